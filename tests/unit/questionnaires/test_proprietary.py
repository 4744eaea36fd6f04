"""Proprietary features in use: the DNS provider's latest answer and the record types the probe
saw, combined by ``portfolio.proprietary`` (pure), and wired into the stored portfolio facts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from vendorrisk.portfolio.proprietary import (
    QUESTION,
    ResponseView,
    VendorAnswer,
    derive,
    latest_answers,
    proprietary_types,
)
from vendorrisk.questionnaires import Template

D1, D2 = date(2026, 3, 1), date(2026, 9, 1)


@pytest.fixture(scope="module")
def templates(shipped: dict[str, Template]) -> dict[tuple[str, str], Template]:
    return {(t.id, t.version): t for t in shipped.values()}


def view(vendor: str, records: Any, *, status: str = "reviewed", day: date | None = D2,
         template: str = "dns-provider") -> ResponseView:
    return ResponseView(vendor, template, "1", status, day,
                        {} if records is None else {QUESTION: records})


def test_the_shipped_dns_provider_template_asks_the_question(shipped: dict[str, Template]
                                                             ) -> None:
    assert shipped["dns-provider"].has_question(QUESTION)


def test_latest_received_or_reviewed_answer_counts(templates: dict[tuple[str, str], Template]
                                                   ) -> None:
    got = latest_answers([
        view("A", 3, day=D1), view("A", 0, day=D2),           # the newer one wins
        view("B", 2, status="draft"), view("B", "0", status="received", day=D1),
        view("C", 5, status="sent"),                          # not answered yet
        view("D", 5, template="registrar"),                   # a template without the question
        view("E", None),                                      # latest left it blank
    ], templates)
    assert {v: a.records for v, a in got.items()} == {"A": 0, "B": 0, "E": None}
    assert got["A"].day == D2 and got["A"].in_use is False and got["E"].in_use is None


def _answer(vendor: str, records: int | None) -> VendorAnswer:
    return VendorAnswer(vendor, "dns-provider", "1", D2, records)


@pytest.mark.parametrize(("providers", "answers", "types", "in_use", "sources"), [
    (("A",), {"A": 4}, None, True, ("questionnaire",)),
    (("A",), {"A": 0}, (1, 2, 6), False, ("questionnaire",)),
    (("A",), {}, (1, 6, 65402), True, ("probe",)),
    (("A",), {"A": 0}, (6, 65401), True, ("probe",)),          # the probe saw PowerDNS ALIAS
    (("A",), {"A": 2}, (6, 65402), True, ("questionnaire", "probe")),
    (("A", "B"), {"A": 0}, (1, 6), None, ()),                  # B has not said
    (("A", "B"), {"A": 0, "B": 0}, None, False, ("questionnaire",)),
    (("A", "B"), {"A": 0, "B": 1}, None, True, ("questionnaire",)),
    (("A",), {"A": None}, (1, 6), None, ()),                   # standard types prove nothing
    ((), {}, (6, 65534), None, ()),                            # BIND signing state, not a feature
    (("A",), {"Z": 9}, None, None, ()),                        # another vendor's answer
])
def test_derive(providers: tuple[str, ...], answers: dict[str, int | None],
                types: tuple[int, ...] | None, in_use: bool | None,
                sources: tuple[str, ...]) -> None:
    use = derive(providers, {v: _answer(v, n) for v, n in answers.items()}, types)
    assert (use.in_use, use.sources) == (in_use, sources)
    assert use.evidence["probe"]["record_types_seen"] is (types is not None)


def test_evidence_names_the_answer_and_the_types() -> None:
    use = derive(("A",), {"A": _answer("A", 3)}, (6, 65402, 65300))
    assert use.evidence["questionnaire"]["A"] == {
        "template": "dns-provider", "version": "1", "day": "2026-09-01", "question": QUESTION,
        "records": 3}
    assert use.evidence["probe"]["proprietary_types"] == ["TYPE65300", "LUA (PowerDNS)"]


def test_private_use_range_only() -> None:
    assert proprietary_types([1, 65279, 65280, 65402, 65534, 65535]) == (65280, 65402)


# -- wired into the stored portfolio -----------------------------------------------------------

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _stored_use(services: Any) -> dict[str, tuple[tuple[str, ...], bool | None]]:
    from vendorrisk.store.facts import inventory_facts

    with services.db.session(readonly=True) as session:
        portfolio, _ = inventory_facts(session, services.settings, NOW)
    return {d.name: (d.dns_providers, d.proprietary_in_use) for d in portfolio.domains}


def test_a_reviewed_answer_reaches_the_domains_the_vendor_serves(services: Any) -> None:
    from vendorrisk.services.demo import load_demo
    from vendorrisk.vocab import ResponseStatus

    load_demo(services, today=NOW.date())
    before = _stored_use(services)
    vendor = next(p for providers, _ in before.values() for p in providers)
    services.questionnaires.set_answers(vendor, "dns-provider", {QUESTION: 2},
                                        status=ResponseStatus.REVIEWED)
    after = _stored_use(services)
    served = {n for n, (providers, _) in after.items() if vendor in providers}
    assert served and all(after[n][1] is True for n in served)
    assert all(after[n] == before[n] for n in after if n not in served)
