"""The persistence mapping: a stored observation row is read once, as the typed observation."""

from __future__ import annotations

from datetime import UTC, datetime

from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    NameserverObservation,
    ServerAnswer,
)
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason
from vendorrisk.store.models import ObservationRow
from vendorrisk.store.observations import stored, typed

AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def test_a_row_reads_back_as_the_observation_it_stored() -> None:
    obs = DomainObservation("a.example", AT, RegistrationObservation(
        "a.example", source="rdap", registrar="Reg", expires=datetime(2027, 1, 1, tzinfo=UTC),
        epp_status=("clientTransferProhibited",), registrar_locked=True),
        DnsObservation("a.example", AT, "example", ("ns1.a.net",), ("ns1.a.net",), (
            NameserverObservation("ns1.a.net", ("192.0.2.1",), "prov", (), True, True, (
                ServerAnswer("192.0.2.1", True, "NOERROR", 7, ("ns1.a.net",), "denied"),)),),
            ("prov",), DnssecObservation("insecure"),
            reasons=(Reason("dns.server", "ns1.a.net (192.0.2.1): SOA: timeout after 3s"),)))
    row = ObservationRow(id=5, run_id=2, domain_id=3, probed_at=AT, complete=obs.complete,
                         data=obs.to_json(), reasons=[r.to_json() for r in obs.reasons])
    assert typed(row) == obs
    got = stored(row)
    assert (got.id, got.run_id, got.domain_id, got.probed_at, got.complete) == (5, 2, 3, AT, False)
    assert got.reasons == obs.reasons and got.observation == obs


def test_the_older_demo_shape_still_reads() -> None:
    """Rows the demo wrote before it stored real observations: a ``dns`` object without its
    domain and host-level nameserver results."""
    row = ObservationRow(id=1, run_id=1, domain_id=1, probed_at=AT, complete=True, reasons=[],
                         data={
        "domain": "old.example", "probed_at": "2026-11-22T02:00:00Z", "complete": True,
        "registration": {"source": "rdap", "registrar": "Reg", "registrar_locked": True,
                         "expires": "2027-05-01T00:00:00Z"},
        "dns": {"parent_ns": ["ns1.a.net"], "child_ns": ["ns1.a.net"], "providers": ["prov"],
                "nameservers": [{"name": "ns1.a.net", "addresses": ["192.0.2.1"],
                                 "provider": "prov", "authoritative": True,
                                 "soa_serial": 7, "axfr_open": True, "update_open": False}],
                "dnssec": {"status": "secure"}},
        "findings": []})
    obs = typed(row)
    assert obs.dns is not None and obs.registration is not None
    (ns,) = obs.dns.nameservers
    assert (ns.authoritative, ns.soa_serial, ns.axfr_open, ns.update_open) == (True, 7, True, False)
    assert ns.in_parent and ns.in_child and obs.dns.dnssec.status == "secure"
    assert obs.registration.registrar == "Reg" and obs.dns.domain == "old.example"
