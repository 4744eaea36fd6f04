"""Aggregation: vendors and clients lean on their weakest members, never a plain average."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.unit.scoring.builders import (
    NOW,
    VendorFacts,
    book,
    clean_domain,
    factor,
    finding,
    portfolio,
    weights,
)
from vendorrisk.findings.codes import Severity
from vendorrisk.scoring import ScoreBook
from vendorrisk.scoring.aggregate import aggregate
from vendorrisk.scoring.factors import Tally, counted_part, finish, part


def tally(*points: float) -> Tally:
    """A member with one problem of each of ``points`` (0 = a pass)."""
    spec = weights().factors["compliance.open_findings"]
    t = Tally()
    for i, pts in enumerate(points):
        t.add(counted_part(spec, f"domain:m{i}", [pts], {}))
    return t


def test_the_group_is_its_worst_member_plus_a_decayed_share_of_the_next() -> None:
    w = weights()
    members = [tally(20.0), tally(60.0), tally(0.0), tally(40.0)]
    got = aggregate(members, w).resolve(w)
    # worst (60, high) in full; the 40 (medium) ranks second at 0.25 and fills the high band
    second = 0.25 * 40.0
    lift = w.lift
    assert got.value == pytest.approx(60 + (75 - 60) * (1 - (1 - lift * second / 100)
                                                          * (1 - lift * 0.0625 * 20.0 / 100)))
    assert aggregate([], w).resolve(w).value == 0


def test_aggregate_never_below_the_worst_member() -> None:
    w = weights()
    worst = tally(85.0)
    group = aggregate([worst] + [tally(0.0) for _ in range(500)], w)
    assert group.resolve(w).value == pytest.approx(worst.resolve(w).value)


def test_far_members_are_folded_into_a_residual() -> None:
    w = weights()
    group = aggregate([tally(35.0) for _ in range(12)], w)
    residual = [p for p in group.problems if not p.parts]
    assert len(residual) == 1 and residual[0].members == 7
    assert residual[0].points == pytest.approx(35.0 * sum(0.25 ** k for k in range(5, 12)))
    score = finish("client:x", Tally(), group, w)
    minor = [f for f in score.factors if f.id == "aggregate.minor"]
    assert minor and minor[0].evidence["members"] == 7


def test_coverage_of_a_group_is_the_mean_of_its_members() -> None:
    spec = weights().factors["compliance.open_findings"]
    known, unknown = Tally(), Tally()
    known.add(part(spec, "domain:a", 0.0, {}))
    unknown.add(part(spec, "domain:b", None, {}))
    group = aggregate([known, unknown], weights(), group="domains")
    assert group.coverage == 0.5
    summary = [p for p in group.parts if not p.known]
    assert summary[0].subject == "1 domains" and summary[0].evidence["count"] == 1


def one_bad_domain(clean: int) -> ScoreBook:
    domains = [clean_domain("bad.example", findings=(finding("dnssec.bogus",
                                                             Severity.CRITICAL),))]
    domains += [clean_domain(f"ok{i}.example") for i in range(clean)]
    return book(portfolio(domains=domains))


@pytest.mark.parametrize("clean", [1, 50])
def test_many_clean_domains_do_not_hide_one_bad_one(clean: int) -> None:
    b = one_bad_domain(clean)
    bad = b.domains["bad.example"].compliance
    assert b.vendors["dns"].compliance == bad
    assert b.clients["acme"].compliance == bad
    assert b.clients["acme"].band_compliance == "critical"
    f = factor(b.vendors["dns"], "compliance.open_findings", "domain:bad.example")
    assert f.evidence["findings"][0]["code"] == "dnssec.bogus"


def test_registrar_does_not_inherit_dns_side_findings() -> None:
    b = one_bad_domain(1)
    assert b.vendors["reg"].compliance == 0
    assert b.engagements[("acme", "reg")].compliance == 0
    lock = clean_domain("lock.example", findings=(finding("lock.transfer_unlocked"),))
    b2 = book(portfolio(domains=[lock]))
    assert b2.vendors["reg"].compliance > 0 and b2.vendors["dns"].compliance == 0


def test_two_bad_domains_score_higher_than_one_and_stay_in_its_band() -> None:
    bad = (finding("dns.lame_nameserver", Severity.HIGH),)
    one = book(portfolio(domains=[clean_domain("a.example", findings=bad),
                                  clean_domain("b.example")]))
    two = book(portfolio(domains=[clean_domain("a.example", findings=bad),
                                  clean_domain("b.example", findings=bad)]))
    high = weights().points_of(Severity.HIGH)
    assert one.vendors["dns"].compliance == high
    lifted = high + (100 - high) * weights().lift * 0.25 * high / 100  # second at rank 0.25
    assert two.vendors["dns"].compliance == round(lifted, 1)
    assert one.vendors["dns"].band_compliance == two.vendors["dns"].band_compliance == "high"


def test_vendor_without_domains_is_scored_from_its_own_facts() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"})),
               VendorFacts("msp", "MSP", "msp", 1, None, None)]
    b = book(portfolio(vendors=vendors))
    msp = b.vendors["msp"]
    assert msp.compliance > 0  # tier 1: certification and questionnaire missing
    assert factor(msp, "compliance.cert_missing", "vendor:msp").state == "fail"


def test_scorebook_is_json() -> None:
    b = one_bad_domain(2)
    data = json.loads(json.dumps(b.to_json()))
    assert set(data) == {"computed_at", "domains", "vendors", "clients", "engagements"}
    assert data["computed_at"] == NOW.isoformat()
    dom = data["domains"]["bad.example"]
    assert {"lockin", "compliance", "band_lockin", "band_compliance", "coverage_lockin",
            "coverage_compliance", "factors"} <= set(dom)
    assert {"id", "title", "points", "weight", "source", "evidence", "remedy", "known",
            "state", "subject", "score"} == set(dom["factors"][0])


def test_dangling_references_are_tolerated() -> None:
    stray = clean_domain("stray.example", client="ghost", registrar="nobody",
                         dns_providers=("dns", "missing"))
    b = book(portfolio(domains=[clean_domain("a.example"), stray]))
    assert "stray.example" in b.domains
    assert "ghost" not in b.clients and ("ghost", "dns") not in b.engagements


def test_default_rules_are_the_shipped_files() -> None:
    from vendorrisk.findings.evaluate import with_inventory_findings
    from vendorrisk.findings.rules.inventory import load_inventory_rules
    from vendorrisk.scoring import compute_all

    b = compute_all(with_inventory_findings(portfolio(), load_inventory_rules(), NOW),
                    weights(), NOW)
    assert set(b.clients) == {"acme"}


def test_scores_read_recorded_findings_and_raise_none() -> None:
    """Unjudged facts carry no inventory finding: scoring evaluates none of its own."""
    from vendorrisk.scoring import compute_all

    p = portfolio(certifications=[])
    tier1 = replace(p, vendors={k: replace(v, tier=1) for k, v in p.vendors.items()})
    assert factor(compute_all(tier1, weights(), NOW).vendors["dns"],
                  "compliance.cert_missing", "vendor:dns").state == "pass"  # not recorded
    assert factor(book(tier1).vendors["dns"], "compliance.cert_missing",
                  "vendor:dns").state == "fail"  # once judged and recorded
