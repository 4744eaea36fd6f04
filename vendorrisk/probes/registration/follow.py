"""Decisions the prober takes between sources: RDAP -> WHOIS fallback, where a referral may
lead, and how a throttled or failed answer is recorded. Pure, so they are tested alone.

* ``auto`` mode falls back from a failed RDAP answer (timeout, connection, HTTP 5xx, an
  answer that is not RDAP, too large, redirect loops) to the TLD's WHOIS server. It does not
  fall back after an authoritative "no such domain" (404) or a rate limit: a 404 is the
  registry's answer, and a throttled registry is asked again later in the run, then recorded
  as *rate-limited* (``RegistrationObservation.rate_limited``), never as "no data".
* A referral (thin registry -> registrar, RDAP ``related`` link or WHOIS registrar server)
  may not lead to an internal address unless configuration named that host
  (:class:`~vendorrisk.probes.registration.servers.AddressPolicy`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from vendorrisk.config import ProbeSettings
from vendorrisk.probes.registration.bootstrap import Bootstrap
from vendorrisk.probes.registration.servers import AddressPolicy
from vendorrisk.probes.registration.transport import split_host_port
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason

NO_FALLBACK_KINDS = frozenset({"not_found", "rate_limited"})
"""RDAP failure kinds after which ``auto`` mode does not ask WHOIS."""


def falls_back(mode: str, kind: str, whois_server: str | None) -> bool:
    """Whether a failed RDAP answer of ``kind`` is retried over WHOIS."""
    return mode == "auto" and whois_server is not None and kind not in NO_FALLBACK_KINDS


def fallback_note(rdap_reason: Reason) -> str:
    """What the observation says about a WHOIS answer given after RDAP failed."""
    return f"RDAP failed ({rdap_reason.message}); answered over WHOIS"


def with_fallback(obs: RegistrationObservation, rdap_reason: Reason
                  ) -> RegistrationObservation:
    """The WHOIS observation, noting why WHOIS answered. If WHOIS failed too, both reasons."""
    note = fallback_note(rdap_reason)
    if obs.source is None:
        return replace(obs, reasons=(rdap_reason, *obs.reasons), source_note=note)
    return replace(obs, source_note=note)


def failed(domain: str, reason: Reason, kind: str, now: datetime) -> RegistrationObservation:
    """An observation for a domain no source answered; throttling is kept apart."""
    return RegistrationObservation(domain, reasons=(reason,), fetched_at=now,
                                   rate_limited=kind == "rate_limited")


def configured_hosts(settings: ProbeSettings, bootstrap: Bootstrap | None,
                     whois_servers: Iterable[str] = ()) -> list[str]:
    """Hosts the user's configuration names: a supplied bootstrap's servers, the WHOIS
    override, a supplied WHOIS table. The shipped data never names an internal host."""
    hosts: list[str] = []
    if bootstrap is not None and bootstrap.allow_http:  # supplied by the user
        hosts += [urlsplit(u).hostname or "" for urls in bootstrap.services.values()
                  for u in urls]
    for server in [settings.whois_server or "", *whois_servers]:
        try:
            hosts.append(split_host_port(server)[0] if server else "")
        except ValueError:
            continue
    return [h for h in hosts if h]


def policy_for(settings: ProbeSettings, bootstrap: Bootstrap | None,
               whois_servers: Iterable[str] = ()) -> AddressPolicy:
    return AddressPolicy.of(configured_hosts(settings, bootstrap, whois_servers))
