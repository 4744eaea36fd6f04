"""Politeness and source choice against loopback servers of this module's own.

Published per-registry limits are never exceeded, Retry-After is honoured, a throttled domain
ends as rate-limited (not "no data"), ``auto`` falls back from a failed RDAP answer to WHOIS,
a thin registry's ``related`` link is followed, and one to an unconfigured internal address
is refused. Every server listens on 127.0.0.1; nothing else is contacted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.registration import rdap_fixture
from tests.lab.driver import probe_registration
from tests.lab.registration.cases import LOCKED, thick, thin_registry
from tests.lab.registration.servers import RdapLab, Reply, WhoisLab, json_reply
from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.config import ProbeSettings
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.runner import ProbePlan, probe_many

pytestmark = pytest.mark.lab
WHOIS_TEXT = ("Domain Name: {d}\r\nRegistrar: Gandi SAS\r\nRegistrar IANA ID: 81\r\n"
              "Registry Expiry Date: 2028-01-01T00:00:00Z\r\n"
              "Domain Status: clientTransferProhibited https://icann.org/epp#x\r\n")


class Servers:
    def __init__(self) -> None:
        self.rdap = RdapLab().start()
        self.whois = WhoisLab().start()
        self.whois.table.default = lambda q: Reply(body=WHOIS_TEXT.format(d=q.upper()).encode())

    def stop(self) -> None:
        self.rdap.stop()
        self.whois.stop()

    def settings(self, folder: Path, limits: list[dict[str, Any]] | None = None,
                 **changes: Any) -> ProbeSettings:
        boot = folder / "dns.json"
        boot.write_text(json.dumps({"services": [[["rd"], [self.rdap.base + "registry/"]]]}))
        file = folder / "limits.yaml"
        file.write_text(json.dumps({"registries": limits or [
            {"name": "none", "hosts": ["registry.invalid"]}]}))
        base: dict[str, Any] = dict(rdap_bootstrap=str(boot), whois_server=self.whois.address,
                                    timeout=1.0, retries=2, whois_rate_limit=100.0,
                                    rdap_rate_limit=100.0, registry_limits=str(file))
        base.update(changes)
        return ProbeSettings(**base)

    def hits(self, lab: RdapLab | WhoisLab, prefix: str) -> list[float]:
        return [t for key, t in lab.table.times if key.startswith(prefix)]


@pytest.fixture
def servers() -> Iterator[Servers]:
    lab = Servers()
    yield lab
    lab.stop()


def probe(settings: ProbeSettings, *names: str) -> dict[str, RegistrationObservation]:
    return probe_registration(names, settings, cache_dir=None)  # type: ignore[arg-type]


def test_published_per_second_limit_is_never_exceeded(servers: Servers, tmp_path: Path) -> None:
    limits = [{"name": "Lab NIC", "hosts": ["127.0.0.1"], "per_second": 4}]
    names = [f"p{i}.wh" for i in range(12)]
    out = probe(servers.settings(tmp_path, limits), *names)
    assert all(o.complete and o.source == "whois" for o in out.values())
    times = sorted(servers.hits(servers.whois, "p"))
    assert len(times) == 12
    for i, start in enumerate(times):  # any one-second window holds at most 4 queries
        assert sum(1 for t in times[i:] if t - start < 0.999) <= 4, times
    assert times[-1] - times[0] >= 2.7


def test_rolling_quota_ends_as_rate_limited_without_asking(servers: Servers,
                                                           tmp_path: Path) -> None:
    limits = [{"name": "Lab NIC", "hosts": ["127.0.0.1"], "per_hour": 3}]
    out = probe(servers.settings(tmp_path, limits), *[f"q{i}.wh" for i in range(5)])
    answered = [o for o in out.values() if o.complete]
    limited = [o for o in out.values() if o.rate_limited]
    assert len(answered) == 3 and len(limited) == 2
    assert all(o.source is None and "3 per hour" in o.reasons[0].message for o in limited)
    assert len(servers.hits(servers.whois, "q")) == 3  # the quota is ours: never sent


def test_retry_after_is_honoured(servers: Servers, tmp_path: Path) -> None:
    ok = json_reply(thick("later.rd", status=LOCKED))
    servers.rdap.replies["/registry/domain/later.rd"] = Reply(
        status=429, headers={"Retry-After": "1"}, times=1, then=ok)
    obs = probe(servers.settings(tmp_path), "later.rd")["later.rd"]
    assert obs.complete and obs.source == "rdap" and not obs.rate_limited
    first, second = servers.hits(servers.rdap, "/registry/domain/later.rd")
    assert second - first >= 0.95


def test_throttled_domain_ends_rate_limited_and_is_not_no_data(servers: Servers,
                                                              tmp_path: Path) -> None:
    servers.rdap.replies["/registry/domain/busy.rd"] = Reply(
        status=429, headers={"Retry-After": "1"})
    obs = probe(servers.settings(tmp_path, retries=2), "busy.rd")["busy.rd"]
    assert obs.rate_limited and obs.source is None and not obs.complete
    assert "rate-limited" in obs.reasons[0].message
    assert "gave up after 3 tries" in obs.reasons[0].message
    assert obs.to_json()["rate_limited"] is True and obs.pii_fields_exposed is None
    assert len(servers.hits(servers.rdap, "/registry/domain/busy.rd")) == 3
    assert servers.hits(servers.whois, "busy.rd") == []  # throttled: no WHOIS fallback


def test_failed_rdap_falls_back_to_whois_in_auto_mode(servers: Servers, tmp_path: Path) -> None:
    servers.rdap.replies["/registry/domain/down.rd"] = Reply(status=503, body=b"busy")
    auto = probe(servers.settings(tmp_path, retries=0), "down.rd")["down.rd"]
    assert auto.source == "whois" and auto.complete, auto.reasons
    assert auto.registrar == "Gandi SAS"
    assert auto.source_note is not None and "RDAP failed" in auto.source_note
    assert "HTTP 503" in auto.source_note
    rdap_only = probe(servers.settings(tmp_path, retries=0, registration_source="rdap"),
                      "down.rd")["down.rd"]
    assert rdap_only.source is None and "HTTP 503" in rdap_only.reasons[0].message


def test_not_found_does_not_fall_back(servers: Servers, tmp_path: Path) -> None:
    obs = probe(servers.settings(tmp_path), "gone.rd")["gone.rd"]
    assert obs.source is None and "404" in obs.reasons[0].message
    assert servers.hits(servers.whois, "gone.rd") == []


def test_related_link_is_followed(servers: Servers, tmp_path: Path) -> None:
    registrar = servers.rdap.base + "registrar/"
    servers.rdap.replies["/registry/domain/thin.rd"] = json_reply(
        thin_registry("thin.rd", registrar))
    servers.rdap.replies["/registrar/domain/thin.rd"] = json_reply(
        rdap_fixture("registrar_rfc9537"))
    obs = probe(servers.settings(tmp_path), "thin.rd")["thin.rd"]
    assert obs.complete and obs.source == "rdap", obs.reasons
    assert obs.registrant_redacted is True and obs.pii_fields_exposed == ()
    assert servers.hits(servers.rdap, "/registrar/domain/thin.rd")
    assert "->" in (obs.server or "")


def test_related_link_to_unconfigured_internal_address_is_refused(servers: Servers,
                                                                   tmp_path: Path) -> None:
    # 127.0.0.9 is loopback but no configured server lives there: not followed, not contacted
    servers.rdap.replies["/registry/domain/sneaky.rd"] = json_reply(
        thin_registry("sneaky.rd", "http://127.0.0.9:9/"))
    obs = probe(servers.settings(tmp_path), "sneaky.rd")["sneaky.rd"]
    assert obs.source == "rdap" and obs.registrar is not None
    assert [r.part for r in obs.reasons] == ["registration.registrar"]
    assert "internal address; not followed" in obs.reasons[0].message
    assert obs.pii_fields_exposed is None


def test_busy_registry_never_stalls_the_others(servers: Servers, tmp_path: Path) -> None:
    """Slow registry first and outnumbering the pool: the fast one still runs at its rate."""
    servers.rdap.table.default = lambda key: json_reply(thick(key.rsplit("/", 1)[-1],
                                                              status=LOCKED))
    limits = [{"name": "slow", "hosts": ["127.0.0.1"], "per_second": 2}]
    cfg = servers.settings(tmp_path, limits, concurrency=4, whois_rate_limit=100.0)
    # both servers are on 127.0.0.1: let WHOIS through at its own rate via a second address
    fast = WhoisLab("127.0.0.2").start()
    fast.table.default = servers.whois.table.default
    try:
        cfg = dataclasses.replace(cfg, whois_server=fast.address)
        finished: dict[str, float] = {}
        start = time.monotonic()

        def seen(obs: DomainObservation) -> None:
            finished[obs.domain] = time.monotonic() - start

        names = [f"s{i}.rd" for i in range(10)] + [f"f{i}.wh" for i in range(10)]
        asyncio.run(probe_many(names, cfg, load_provider_catalog(),
                               plan=ProbePlan(dns=False), on_result=seen))
    finally:
        fast.stop()
    slow_last = max(t for n, t in finished.items() if n.endswith(".rd"))
    fast_last = max(t for n, t in finished.items() if n.endswith(".wh"))
    assert slow_last >= 4.0 and fast_last < 1.5, (slow_last, fast_last)


def test_cancelling_a_run_leaves_the_rest_out(servers: Servers, tmp_path: Path) -> None:
    limits = [{"name": "slow", "hosts": ["127.0.0.1"], "per_second": 5}]
    cfg = servers.settings(tmp_path, limits)
    done: list[str] = []
    out = asyncio.run(probe_many([f"c{i}.wh" for i in range(30)], cfg,
                                 load_provider_catalog(), plan=ProbePlan(dns=False),
                                 on_result=lambda o: done.append(o.domain),
                                 cancelled=lambda: len(done) >= 2))
    # those already admitted (one registry's turns) finish; the queued rest is left out
    assert 2 <= len(out) <= 12 and all(o.registration is not None for o in out)
