"""Residency: country ⊂ EU ⊂ EEA ⊂ GLOBAL (data/regions.yaml), unknown is not a violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.scoring.builders import NOW, RULES, ClientFacts, VendorFacts, portfolio
from vendorrisk.errors import ConfigError
from vendorrisk.findings.evaluate import evaluate_inventory
from vendorrisk.findings.rules.inventory import load_regions
from vendorrisk.findings.rules.residency import requirement_codes, residency_verdict

EU27 = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}


def test_shipped_regions() -> None:
    r = load_regions()
    assert len(r.countries) == 249 and {"GB", "US", "NO", "CH"} <= r.countries
    assert r.countries_of("EU") == EU27
    assert r.countries_of("eea") == EU27 | {"IS", "LI", "NO"}
    assert r.countries_of("GLOBAL") == r.countries
    assert r.countries_of("UK") == {"GB"} and r.countries_of("EL") == {"GR"}
    assert r.countries_of("XX") is None and r.countries_of("Europe") is None


@pytest.mark.parametrize(("requirement", "locations", "outside", "unknown"), [
    ("EU", ["DE", "FR"], [], []),
    ("EU", ["EU"], [], []),                      # the location EU is inside EU
    ("EEA", ["EU", "NO"], [], []),
    ("GLOBAL", ["EU", "US", "EEA"], [], []),
    ("GLOBAL", ["Mars"], [], []),                # anything passes GLOBAL
    ("EU", ["EEA"], ["EEA"], []),                # EEA may mean Norway
    ("EU", ["NO", "CH", "GB", "UK"], ["CH", "GB", "NO", "UK"], []),
    ("EU", ["GLOBAL"], ["GLOBAL"], []),
    ("EU", ["DE", "XX", "Frankfurt"], [], ["Frankfurt", "XX"]),  # unknown, not outside
    ("DE,AT", ["de", "AT"], [], []),
    ("DE; AT", ["EU"], ["EU"], []),              # EU is not all inside DE and AT
    ("EU,IS,LI,NO", ["EEA"], [], []),            # a list that adds up to the EEA
    ("US", ["US", "DE"], ["DE"], []),
    ("Europe", ["DE"], [], ["DE"]),              # requirement names no known area
    ("EU, Europe", ["DE", "US"], [], ["US"]),    # US might be inside the unknown part
    ("", ["US"], [], []),
    (None, ["US"], [], []),
])
def test_residency_verdict(requirement: str | None, locations: list[str], outside: list[str],
                           unknown: list[str]) -> None:
    verdict = residency_verdict(requirement, locations)
    assert verdict.outside == tuple(outside)
    assert verdict.unknown == tuple(unknown)
    got_outside, got_unknown = verdict  # a plain pair, for the scores
    assert (list(got_outside), list(got_unknown)) == (outside, unknown)


def test_requirement_codes() -> None:
    assert requirement_codes(" de, at;eu  GB ") == ("DE", "AT", "EU", "GB")
    assert requirement_codes("") == ()


def test_unknown_location_is_evidence_not_a_violation() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"DE", "Moon"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good",
                           frozenset({"EU", "Moon", "US"}))]
    found = evaluate_inventory(portfolio(vendors=vendors), RULES, NOW)
    assert [(f.finding.code, f.key) for f in found] == [("residency.violation", "reg")]
    ev = found[0].finding.evidence
    assert ev["outside"] == ["US"] and ev["unknown"] == ["Moon"]
    assert ev["locations"] == ["EU", "Moon", "US"] and ev["required"] == "EU"
    assert set(ev) >= {"vendor", "client", "required", "outside", "locations"}


def test_region_location_passes_a_wider_requirement() -> None:
    vendors = [VendorFacts("dns", "DNS", "dns_provider", 2, "good", frozenset({"EU"})),
               VendorFacts("reg", "Reg", "registrar", 2, "good", frozenset({"EEA"}))]
    eu = evaluate_inventory(portfolio(vendors=vendors), RULES, NOW)
    assert [(f.key, f.finding.evidence["outside"]) for f in eu] == [("reg", ["EEA"])]
    for wider in ("EEA", "GLOBAL"):
        clients = [ClientFacts("acme", frozenset({"dora"}), wider)]
        assert evaluate_inventory(portfolio(vendors=vendors, clients=clients), RULES, NOW) == []


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "regions.yaml"
    p.write_text(body)
    return p


GOOD = "countries: [DE, NO]\nregions:\n  EU: {members: [DE]}\n"


def test_loader_reads_a_small_file(tmp_path: Path) -> None:
    r = load_regions(_write(tmp_path, GOOD + "  EEA: {members: [EU, NO]}\n  ALL: {members: all}\n"))
    assert r.countries_of("EEA") == {"DE", "NO"} and r.countries_of("ALL") == {"DE", "NO"}


@pytest.mark.parametrize(("body", "message"), [
    ("regions: {}\n", "expected 'countries'"),
    ("countries: [DEU]\nregions: {}\n", "'DEU' is not a two-letter code"),
    (GOOD + "  EEA: {members: [EU, XX]}\n", r"regions.yaml:4: regions.EEA: 'XX' is not"),
    (GOOD + "  R1: {members: [R2]}\n  R2: {members: [R1]}\n", "include each other"),
    (GOOD + "  DE: {members: [DE]}\n", "not a country code"),
    (GOOD + "  EEA: {member: [EU]}\n", "needs 'members'"),
    (GOOD + "aliases: {UK: GB}\n", "aliases.UK: must name a listed country"),
    (GOOD + "colour: red\n", "colour: unknown key"),
    ("countries: [DE\n", "not valid YAML"),
])
def test_loader_errors_name_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_regions(_write(tmp_path, body))
