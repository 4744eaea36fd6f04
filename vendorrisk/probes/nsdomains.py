"""Are the registrable domains of a zone's nameserver hosts registered? (SSAC SAC125)

A nameserver host whose registrable domain is unregistered, or lapses, can be registered by
anyone, who then answers for every zone delegated to it ("sacrificial" nameservers, Akiwate
et al., "Risky BIZness", IMC 2021). For each nameserver host name the DNS probe saw, the
registrable domain is taken from the ICANN section of the Public Suffix List (what a registry
registers; private-section suffixes such as ``github.io`` are not registries) and asked of the
registry through the project's :class:`RegistrationProber` — same limits, same server rules,
once per registrable domain per run. The host's own addresses are never contacted.

Unknown is never fine: an answer that neither shows a registration nor says "not found" is
``unknown`` with its reason, and makes the observation incomplete.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from publicsuffixlist import PublicSuffixList

from vendorrisk.errors import InputError
from vendorrisk.names import normalise_domain
from vendorrisk.probes.dns.types import DnsObservation, iso, parse_iso
from vendorrisk.probes.registration.prober import RegistrationProber
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason

log = logging.getLogger(__name__)
NsDomainStatus = Literal["registered", "unregistered", "unknown"]
PART = "registration.nameserver_domains"
"""The :class:`Reason` part of an unknown nameserver domain."""
MAX_LOOKUPS = 16
"""Distinct registrable domains looked up per probed domain; the rest stay unknown."""
REGISTRY_PARTS = frozenset({"registration.rdap", "registration.whois"})
NOT_FOUND_MARKERS = ("no such domain", "has no match for the domain")
"""How the registration prober words a registry's "not found" (RDAP 404, WHOIS no match)."""


@dataclass(frozen=True)
class NameserverDomain:
    """One nameserver host and what the registry said of its registrable domain."""

    host: str
    registrable_domain: str | None
    status: NsDomainStatus
    expires: datetime | None = None
    source: str | None = None
    """``rdap`` or ``whois`` (None when no registry answered)."""
    server: str | None = None
    reason: str | None = None
    """Why the status is ``unknown`` (or what ``unregistered`` rests on)."""

    def to_json(self) -> dict[str, Any]:
        return {"host": self.host, "registrable_domain": self.registrable_domain,
                "status": self.status, "expires": iso(self.expires), "source": self.source,
                "server": self.server, "reason": self.reason}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> NameserverDomain:
        status = d.get("status")
        if status not in ("registered", "unregistered", "unknown"):
            raise ValueError(f"unknown nameserver domain status {status!r}")
        return cls(str(d["host"]), d.get("registrable_domain"), status,
                   parse_iso(d.get("expires")), d.get("source"), d.get("server"),
                   d.get("reason"))


@dataclass(frozen=True)
class NameserverDomainsObservation:
    """The check for one probed domain; JSON: the list of :class:`NameserverDomain`."""

    domains: tuple[NameserverDomain, ...] = ()

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """One reason per unknown entry: the check did not finish for it."""
        return tuple(Reason(PART, f"{d.registrable_domain or d.host}: {d.reason}")
                     for d in self.domains if d.status == "unknown")

    @property
    def complete(self) -> bool:
        return not self.reasons

    def to_json(self) -> list[dict[str, Any]]:
        return [d.to_json() for d in self.domains]

    @classmethod
    def from_json(cls, data: Iterable[dict[str, Any]]) -> NameserverDomainsObservation:
        return cls(tuple(NameserverDomain.from_json(d) for d in data))


# -- pure: which hosts, which registrable domains -----------------------------------------------

@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


def registrable_domain(host: str) -> str | None:
    """The A-label registrable domain of ``host`` under the ICANN suffixes; None if ``host``
    is not a valid name or is itself a public suffix."""
    try:
        name = normalise_domain(host)
    except InputError:
        return None
    found = _psl().privatesuffix(name)
    return None if found is None else str(found)


def nameserver_hosts(dns: DnsObservation) -> tuple[str, ...]:
    """Every nameserver host name of the delegation (parent, child, observed), deduplicated."""
    names = [*(dns.parent_ns or ()), *(dns.child_ns or ()), *(n.name for n in dns.nameservers)]
    seen: dict[str, None] = {}
    for raw in names:
        seen.setdefault(raw.strip().lower().rstrip("."), None)
    return tuple(h for h in seen if h)


@dataclass(frozen=True)
class Target:
    """A host to check: its registrable domain, or why it has none."""

    host: str
    registrable_domain: str | None
    problem: str | None = None


def targets(domain: str, hosts: Sequence[str]) -> tuple[Target, ...]:
    """Hosts whose registrable domain must be checked; in-bailiwick hosts are left out (the
    domain's own registration is the registration probe's business)."""
    own = {domain.lower().rstrip("."), registrable_domain(domain)}
    out: list[Target] = []
    for host in hosts:
        reg = registrable_domain(host)
        if reg is None:
            out.append(Target(host, None, "no registrable domain (not a valid host name, or "
                                          "a public suffix itself)"))
        elif reg not in own:
            out.append(Target(host, reg))
    return tuple(out)


def status_of(obs: RegistrationObservation) -> tuple[NsDomainStatus, str | None]:
    """``registered`` when a registry answered with data; ``unregistered`` only when every
    registry-level failure says "not found"; anything else ``unknown`` with its reason."""
    if obs.source is not None and not obs.rate_limited:
        return "registered", None
    registry = [r for r in obs.reasons if r.part in REGISTRY_PARTS]
    if registry and not obs.rate_limited and all(_says_not_found(r) for r in registry):
        return "unregistered", "; ".join(r.message for r in registry)
    reason = "; ".join(r.message for r in obs.reasons) or "no registration data"
    return "unknown", ("rate-limited: " + reason) if obs.rate_limited else reason


def _says_not_found(reason: Reason) -> bool:
    text = reason.message.lower()
    return any(marker in text for marker in NOT_FOUND_MARKERS)


def entry(target: Target, obs: RegistrationObservation | None) -> NameserverDomain:
    """The observation entry of ``target`` given the registry's answer (None = not asked)."""
    if target.problem is not None:
        return NameserverDomain(target.host, None, "unknown", reason=target.problem)
    if obs is None:
        return NameserverDomain(target.host, target.registrable_domain, "unknown",
                                reason=f"not checked: more than {MAX_LOOKUPS} nameserver "
                                       "domains")
    status, reason = status_of(obs)
    return NameserverDomain(target.host, target.registrable_domain, status, obs.expires,
                            obs.source, obs.server, reason)


# -- I/O: once per registrable domain per run -----------------------------------------------------

class NameserverDomainChecker:
    """Shares the run's :class:`RegistrationProber` (its limits, admission and cache) with
    the domain probes; each nameserver domain is asked at most once per run."""

    def __init__(self, prober: RegistrationProber) -> None:
        self._prober = prober
        self._tasks: dict[str, asyncio.Task[RegistrationObservation]] = {}

    def registration(self, name: str) -> asyncio.Task[RegistrationObservation]:
        """The one registration probe of nameserver domain ``name`` (A-label) this run."""
        task = self._tasks.get(name)
        if task is None:
            task = asyncio.ensure_future(self._probe(name))
            self._tasks[name] = task
        return task

    async def _probe(self, name: str) -> RegistrationObservation:
        async with self._prober.admission.turn(name):  # the per-registry turn domains take
            return await self._prober.probe(name)

    async def check(self, domain: str, dns: DnsObservation) -> NameserverDomainsObservation:
        """Check every nameserver host of ``dns`` (never raises for a per-domain fault)."""
        try:
            return await self._check(domain, dns)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not abort a portfolio run; recorded, logged
            log.exception("nameserver-domain check of %s failed", domain)
            return NameserverDomainsObservation((NameserverDomain(
                "*", None, "unknown", reason=f"internal error: {type(exc).__name__}: {exc}"),))

    async def _check(self, domain: str, dns: DnsObservation) -> NameserverDomainsObservation:
        wanted = targets(domain, nameserver_hosts(dns))
        names = list(dict.fromkeys(t.registrable_domain for t in wanted
                                   if t.registrable_domain is not None))[:MAX_LOOKUPS]
        answers = await asyncio.gather(*(self.registration(n) for n in names))
        by_name = dict(zip(names, answers, strict=True))
        return NameserverDomainsObservation(tuple(
            entry(t, by_name.get(t.registrable_domain or "")) for t in wanted))
