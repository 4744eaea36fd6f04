"""Assessing answers: risky answers with severity, points and refs; unknown is not fail."""

from __future__ import annotations

from datetime import date

import pytest

from vendorrisk.errors import InputError
from vendorrisk.questionnaires import DEFAULT_SEVERITY_POINTS, Template, assess

AS_OF = date(2026, 11, 23)


def test_nothing_answered(sample: Template) -> None:
    a = assess(sample, {}, as_of=AS_OF)
    assert a.risky == () and a.answered == ()
    assert a.unanswered == tuple(q.id for q in sample.questions)
    assert a.coverage == 0.0 and a.points == 0 and a.max_severity is None


def test_risky_answer_carries_explanation(sample: Template) -> None:
    a = assess(sample, {"s.mfa": False}, as_of=AS_OF)
    (r,) = a.risky
    assert (r.question_id, r.answer, r.severity) == ("s.mfa", "no", "high")
    assert r.points == DEFAULT_SEVERITY_POINTS["high"]
    assert r.why == "Passwords alone are phished." and r.remedy == "Enforce MFA."
    assert r.refs == ("iso27001-2022:A.8.5",)
    assert r.question_text == "Is MFA enforced?"


def test_good_answers_are_not_risky(sample: Template) -> None:
    answers = {"s.mfa": "yes", "s.dpa": "yes", "s.factors": "fido2_webauthn, sms_otp",
               "s.breach_hours": 24, "s.cert_until": "2027-06-30", "s.soc2_end": "2026-06-30",
               "s.subs": "none", "s.lock": "yes"}
    a = assess(sample, answers, as_of=AS_OF)
    assert a.risky == () and a.unanswered == () and a.coverage == 1.0


@pytest.mark.parametrize(("hours", "severity"), [(24, None), (25, "medium"), (72, "medium"),
                                                 (73, "critical")])
def test_number_thresholds_take_the_worst_rule(sample: Template, hours: int,
                                                severity: str | None) -> None:
    a = assess(sample, {"s.breach_hours": hours}, as_of=AS_OF)
    assert a.max_severity == severity
    if severity:
        assert a.risky[0].points == DEFAULT_SEVERITY_POINTS[severity] * 2  # weight 2


@pytest.mark.parametrize(("until", "severity"), [
    ("2026-11-22", "high"), ("2026-11-23", "low"), ("2027-01-21", "low"), ("2027-01-22", None)])
def test_date_within_days(sample: Template, until: str, severity: str | None) -> None:
    assert assess(sample, {"s.cert_until": until}, as_of=AS_OF).max_severity == severity


@pytest.mark.parametrize(("end", "risky"), [("2025-11-22", True), ("2025-11-23", False)])
def test_date_older_than_months(sample: Template, end: str, risky: bool) -> None:
    assert bool(assess(sample, {"s.soc2_end": end}, as_of=AS_OF).risky) is risky


@pytest.mark.parametrize(("picked", "risky"), [
    ("sms_otp", True), ("sms_otp, totp_app", False), ("", False), ([], False)])
def test_multi_choice_only_within(sample: Template, picked: object, risky: bool) -> None:
    assert bool(assess(sample, {"s.factors": picked}, as_of=AS_OF).risky) is risky


def test_choice_in(sample: Template) -> None:
    assert assess(sample, {"s.dpa": "partial"}, as_of=AS_OF).max_severity == "medium"
    assert assess(sample, {"s.dpa": "Yes"}, as_of=AS_OF).risky == ()


def test_vendor_kind_filters_questions(sample: Template) -> None:
    a = assess(sample, {"s.lock": "no"}, vendor_kind="dns_provider", as_of=AS_OF)
    assert "s.lock" not in a.unanswered + a.answered and a.risky == ()
    b = assess(sample, {"s.lock": "no"}, vendor_kind="registrar", as_of=AS_OF)
    assert b.risky[0].question_id == "s.lock"


def test_coverage_is_weighted(sample: Template) -> None:
    total = sum(q.weight for q in sample.questions)  # 8 questions, one with weight 2
    a = assess(sample, {"s.breach_hours": 1}, as_of=AS_OF)
    assert a.coverage == pytest.approx(2 / total)


def test_risky_sorted_worst_first_and_points_override(sample: Template) -> None:
    a = assess(sample, {"s.dpa": "no", "s.mfa": "no", "s.breach_hours": 100}, as_of=AS_OF,
               severity_points={"critical": 20})
    assert [r.severity for r in a.risky] == ["critical", "high", "medium"]
    assert a.risky[0].points == 40
    assert a.points == 40 + 6 + 3


def test_invalid_answers_raise_one_error_listing_all(sample: Template) -> None:
    with pytest.raises(InputError) as caught:
        assess(sample, {"s.mfa": "perhaps", "s.nope": 1, "s.breach_hours": "x"}, as_of=AS_OF)
    errors = caught.value.errors  # type: ignore[attr-defined]
    assert len(errors) == 3
    assert any("s.nope: not a question of sample v2" in e for e in errors)


def test_shipped_templates_assess(shipped: dict[str, Template]) -> None:
    t = shipped["registrar"]
    a = assess(t, {"reg.mfa": "no", "reg.auth_code_release_hours": 240}, as_of=AS_OF)
    assert [r.question_id for r in a.risky] == ["reg.mfa", "reg.auth_code_release_hours"]
    assert a.risky[0].severity == "critical"
