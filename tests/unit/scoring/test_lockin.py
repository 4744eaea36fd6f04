"""Every lock-in factor both ways: fails, passes, and (where facts can be missing) unknown."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.unit.scoring.builders import (
    TODAY,
    VendorFacts,
    book,
    clean_domain,
    factor,
    good_contract,
    portfolio,
)
from vendorrisk.scoring import Factor


def domain_factor(factor_id: str, vendors: list[VendorFacts] | None = None,
                  **domain: Any) -> Factor:
    d = clean_domain("a.example", **domain)
    extra = {"vendors": vendors} if vendors else {}
    return factor(book(portfolio(domains=[d], **extra)).domains["a.example"], factor_id)


S, G, V = ("sticky",), ("good",), ("vague",)


@pytest.mark.parametrize(("factor_id", "observed", "state"), [
    ("lockin.no_outbound_transfer", S, "fail"),
    ("lockin.no_outbound_transfer", G, "pass"),
    ("lockin.no_outbound_transfer", ("good", "sticky"), "pass"),  # the zone lives at both
    ("lockin.no_outbound_transfer", V, "unknown"),
    ("lockin.no_outbound_transfer", ("vague", "sticky"), "unknown"),
    ("lockin.apex_ns_not_customer", S, "fail"),
    ("lockin.apex_ns_not_customer", G, "pass"),
    ("lockin.apex_ns_not_customer", V, "unknown"),
    ("lockin.single_operator", S, "fail"),
    ("lockin.single_operator", ("good", "sticky"), "pass"),
    ("lockin.single_operator", None, "unknown"),
    ("lockin.dnssec_keys_held", S, "fail"),
    ("lockin.dnssec_keys_held", ("good", "sticky"), "fail"),  # sticky signs alone
    ("lockin.dnssec_keys_held", G, "pass"),
    ("lockin.dnssec_keys_held", V, "unknown"),
])
def test_domain_operator_factors(factor_id: str, observed: tuple[str, ...] | None,
                                 state: str) -> None:
    f = domain_factor(factor_id, observed_operators=observed)
    assert f.state == state
    assert f.source in ("catalog", "probe")
    assert (f.points > 0) is (state == "fail")


def test_declared_providers_stand_in_when_not_probed() -> None:
    vendors = [VendorFacts("dns", "Sticky DNS", "dns_provider", 2, "sticky", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    f = domain_factor("lockin.no_outbound_transfer", vendors, observed_operators=None)
    assert f.state == "fail" and f.evidence["operators"] == ["sticky"]


def test_dnssec_keys_do_not_matter_for_an_unsigned_zone() -> None:
    assert domain_factor("lockin.dnssec_keys_held", observed_operators=S,
                         signed=False).state == "pass"
    assert domain_factor("lockin.dnssec_keys_held", observed_operators=S,
                         signed=None).state == "unknown"


@pytest.mark.parametrize(("in_use", "observed", "state"), [
    (True, G, "fail"), (False, S, "pass"), (None, S, "unknown"), (None, G, "pass"),
])
def test_proprietary_features(in_use: bool | None, observed: tuple[str, ...],
                              state: str) -> None:
    assert domain_factor("lockin.proprietary_features", observed_operators=observed,
                         proprietary_in_use=in_use).state == state


@pytest.mark.parametrize(("catalog", "state"), [("sticky", "fail"), ("good", "pass"),
                                                ("vague", "unknown"), (None, "unknown")])
def test_registrar_requires_own_nameservers(catalog: str | None, state: str) -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, catalog, frozenset({"FR"}))]
    assert domain_factor("lockin.registrar_own_ns", vendors).state == state


# --- contract terms (per client–vendor engagement) ------------------------------------------

def contract_factor(factor_id: str, **terms: Any) -> Factor:
    contracts = [good_contract("K-dns", "dns", "acme", **terms),
                 good_contract("K-reg", "reg", "acme")]
    score = book(portfolio(contracts=contracts)).engagements[("acme", "dns")]
    return factor(score, factor_id)


@pytest.mark.parametrize(("factor_id", "terms", "state"), [
    ("lockin.no_termination_for_convenience", {"termination_for_convenience": False}, "fail"),
    ("lockin.no_termination_for_convenience", {"termination_for_convenience": True}, "pass"),
    ("lockin.no_termination_for_convenience", {"termination_for_convenience": None}, "unknown"),
    ("lockin.long_notice", {"notice_days_customer": 120}, "fail"),
    ("lockin.long_notice", {"notice_days_customer": 90}, "pass"),
    ("lockin.long_notice", {"notice_days_customer": None}, "unknown"),
    ("lockin.auto_renewal", {"auto_renew": True}, "fail"),
    ("lockin.auto_renewal", {"auto_renew": False}, "pass"),
    ("lockin.no_exit_assistance", {"exit_assistance_days": 0}, "fail"),
    ("lockin.no_exit_assistance", {"exit_assistance_days": 29}, "fail"),
    ("lockin.no_exit_assistance", {"exit_assistance_days": 30}, "pass"),
    ("lockin.no_exit_assistance", {"exit_assistance_days": None}, "unknown"),
    ("lockin.no_export_clause", {"zone_export": False}, "fail"),
    ("lockin.no_export_clause", {"data_return": False}, "fail"),
    ("lockin.no_export_clause", {}, "pass"),
    ("lockin.no_export_clause", {"zone_export": None}, "unknown"),
    ("lockin.early_termination_fee", {"early_termination_fee": True}, "fail"),
    ("lockin.early_termination_fee", {"early_termination_fee": False}, "pass"),
    ("lockin.notice_deadline", {"auto_renew": True, "end": TODAY + timedelta(days=100)}, "fail"),
    ("lockin.notice_deadline", {"auto_renew": True, "end": TODAY + timedelta(days=200)}, "pass"),
])
def test_contract_factors(factor_id: str, terms: dict[str, Any], state: str) -> None:
    f = contract_factor(factor_id, **terms)
    assert f.state == state
    assert f.source == "contract"
    assert f.subject == "contract:K-dns"


def test_zone_export_is_not_asked_of_a_registrar() -> None:
    contracts = [good_contract("K-dns", "dns", "acme"),
                 good_contract("K-reg", "reg", "acme", zone_export=False)]
    score = book(portfolio(contracts=contracts)).engagements[("acme", "reg")]
    assert factor(score, "lockin.no_export_clause").state == "pass"


def test_no_current_contract_makes_contract_terms_unknown() -> None:
    ended = good_contract("K-dns", "dns", "acme", end=TODAY - timedelta(days=1))
    score = book(portfolio(contracts=[ended])).engagements[("acme", "dns")]
    f = factor(score, "lockin.no_termination_for_convenience")
    assert f.state == "unknown" and f.evidence["ended"] == ["K-dns"]
    assert score.coverage_lockin < 1


def test_msp_wide_contract_covers_the_client() -> None:
    score = book(portfolio(contracts=[good_contract("K-msp", "dns", None, auto_renew=True)])
                 ).engagements[("acme", "dns")]
    assert factor(score, "lockin.auto_renewal").state == "fail"


@pytest.mark.parametrize(("other_domains", "state", "share"), [
    (0, "fail", 1.0), (2, "pass", 0.5), (1, "fail", 0.667)])
def test_concentration(other_domains: int, state: str, share: float) -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE"})),
               VendorFacts("dns2", "DNS 2", "dns_provider", 2, "good", frozenset({"DE"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"FR"}))]
    domains = [clean_domain("a.example"), clean_domain("b.example")] + [
        clean_domain(f"o{i}.example", dns_providers=("dns2",)) for i in range(other_domains)]
    score = book(portfolio(vendors=vendors, domains=domains)).engagements[("acme", "dns")]
    f = factor(score, "lockin.concentration")
    assert f.state == state and f.source == "concentration"
    assert f.evidence["share"] == share
