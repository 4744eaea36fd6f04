"""Property tests: bounds, and that scores move only in the right direction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.scoring.builders import (
    NOW,
    PROVIDERS,
    CertFacts,
    ClientFacts,
    ContractFacts,
    DomainFacts,
    VendorFacts,
    book,
)
from vendorrisk.findings.codes import CATALOG, Severity, SubjectKind
from vendorrisk.portfolio.facts import PortfolioFacts, RecordedFinding
from vendorrisk.scoring import ScoreBook

DOMAIN_CODES = sorted(c for c, s in CATALOG.items() if s.subject is SubjectKind.DOMAIN)
CLAUSE_IDS = ("data_return", "exit_strategy", "art28_terms")
flag = st.sampled_from([True, False, None])
ops = st.lists(st.sampled_from([p.key for p in PROVIDERS]), max_size=2, unique=True)
statuses = st.sampled_from(["open", "accepted", "resolved"])
until = st.sampled_from([None, NOW - timedelta(days=3), NOW + timedelta(days=3)])

recorded = st.builds(RecordedFinding, st.sampled_from(DOMAIN_CODES), st.sampled_from(list(Severity)),
                     statuses, until)


@st.composite
def portfolios(draw: st.DrawFn) -> PortfolioFacts:
    clients = [ClientFacts(f"c{i}", frozenset(draw(st.sets(st.sampled_from(
        ["dora", "gdpr", "pci"])))), draw(st.sampled_from(["EU", None]))) for i in range(2)]
    vendors = [VendorFacts(f"v{i}", f"V{i}", kind, draw(st.integers(1, 3)),
                           draw(st.sampled_from([p.key for p in PROVIDERS] + [None])),
                           draw(st.sampled_from([None, frozenset({"DE"}), frozenset({"US"})])))
               for i, kind in enumerate(["dns_provider", "dns_provider", "registrar"])]
    n = draw(st.integers(1, 6))
    domains = [DomainFacts(f"d{i}.example", f"c{i % 2}", "v2",
                           tuple(draw(st.lists(st.sampled_from(["v0", "v1"]), min_size=1,
                                               max_size=2, unique=True))),
                           tuple(draw(ops)) or None, draw(st.booleans()), draw(flag),
                           draw(flag), draw(flag), tuple(draw(st.lists(recorded, max_size=3))))
               for i in range(n)]
    contracts = [ContractFacts(
        f"K{i}", f"v{i % 3}", draw(st.sampled_from(["c0", "c1", None])), date(2025, 1, 1),
        draw(st.sampled_from([date(2026, 1, 1), date(2027, 1, 1)])), draw(flag), 12,
        draw(st.sampled_from([30, 120, None])), draw(flag), draw(st.sampled_from([0, 60, None])),
        draw(flag), draw(flag), draw(flag), draw(st.booleans()),
        frozenset(draw(st.sets(st.sampled_from(CLAUSE_IDS)))),
        frozenset(draw(st.sets(st.sampled_from(["personal_data", "account_data"])))))
        for i in range(draw(st.integers(0, 4)))]
    certs = [CertFacts(f"v{i % 3}", draw(st.sampled_from(["iso27001", "soc2_type2"])), None,
                       date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 900))))
             for i in range(draw(st.integers(0, 3)))]
    return PortfolioFacts.build(clients, vendors, domains=domains, contracts=contracts,
                                certifications=certs, providers=list(PROVIDERS))


def all_scores(b: ScoreBook) -> dict[str, tuple[float, float]]:
    out = {}
    for group in (b.domains, b.vendors, b.clients, b.engagements):
        for s in group.values():
            out[s.subject] = (s.lockin, s.compliance)
    return out


def never_lower(before: ScoreBook, after: ScoreBook) -> None:
    a, b = all_scores(before), all_scores(after)
    assert a.keys() == b.keys()
    for k in a:
        assert b[k][0] >= a[k][0] - 1e-9, (k, a[k], b[k])
        assert b[k][1] >= a[k][1] - 1e-9, (k, a[k], b[k])


@settings(max_examples=80, deadline=None)
@given(portfolios())
def test_scores_stay_in_bounds_and_points_add_up(p: PortfolioFacts) -> None:
    b = book(p)
    for group in (b.domains, b.vendors, b.clients, b.engagements):
        for s in group.values():
            for value, cov in ((s.lockin, s.coverage_lockin),
                               (s.compliance, s.coverage_compliance)):
                assert 0 <= value <= 100
                assert 0 <= cov <= 1
            for kind, value in (("lockin", s.lockin), ("compliance", s.compliance)):
                pts = [f.points for f in s.factors if f.score == kind]
                assert all(x >= 0 for x in pts)
                assert abs(sum(pts) - value) <= 0.01 * len(pts) + 1e-6
            assert all(f.points == 0 for f in s.factors if not f.known)


@settings(max_examples=60, deadline=None)
@given(portfolios(), st.data())
def test_adding_a_risky_finding_never_lowers_a_score(p: PortfolioFacts, data: st.DataObject
                                                     ) -> None:
    i = data.draw(st.integers(0, len(p.domains) - 1))
    new = RecordedFinding(data.draw(st.sampled_from(DOMAIN_CODES)),
                          data.draw(st.sampled_from(list(Severity))))
    domains = list(p.domains)
    domains[i] = replace(domains[i], findings=(*domains[i].findings, new))
    never_lower(book(p), book(replace(p, domains=tuple(domains))))


@settings(max_examples=60, deadline=None)
@given(portfolios(), st.data())
def test_removing_a_clause_never_lowers_a_score(p: PortfolioFacts, data: st.DataObject) -> None:
    with_clauses = [i for i, c in enumerate(p.contracts) if c.clauses]
    if not with_clauses:
        return
    i = data.draw(st.sampled_from(with_clauses))
    clause = data.draw(st.sampled_from(sorted(p.contracts[i].clauses)))
    contracts = list(p.contracts)
    contracts[i] = replace(contracts[i], clauses=contracts[i].clauses - {clause})
    never_lower(book(p), book(replace(p, contracts=tuple(contracts))))


@settings(max_examples=60, deadline=None)
@given(portfolios(), st.data())
def test_accepting_a_finding_never_raises_a_score(p: PortfolioFacts, data: st.DataObject
                                                  ) -> None:
    spots = [(i, j) for i, d in enumerate(p.domains) for j in range(len(d.findings))]
    if not spots:
        return
    i, j = data.draw(st.sampled_from(spots))
    domains = list(p.domains)
    records = list(domains[i].findings)
    records[j] = replace(records[j], status="accepted", accepted_until=NOW + timedelta(days=9))
    domains[i] = replace(domains[i], findings=tuple(records))
    never_lower(book(replace(p, domains=tuple(domains))), book(p))
