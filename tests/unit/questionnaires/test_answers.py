"""Answer validation: every type, every error, and the yes/no spellings."""

from __future__ import annotations

import contextlib
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendorrisk.dates import months_before
from vendorrisk.errors import InputError
from vendorrisk.questionnaires import Template, validate_answer


@pytest.mark.parametrize("raw", [True, "yes", "YES", " y ", "true", "1", 1])
def test_yes_spellings(sample: Template, raw: object) -> None:
    assert validate_answer(sample.question("s.mfa"), raw) == "yes"


@pytest.mark.parametrize("raw", [False, "no", "No", "n", "FALSE", "0", 0])
def test_no_spellings(sample: Template, raw: object) -> None:
    assert validate_answer(sample.question("s.mfa"), raw) == "no"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_is_unanswered(sample: Template, raw: object) -> None:
    for q in sample.questions:
        assert validate_answer(q, raw) is None


@pytest.mark.parametrize(("qid", "raw", "message"), [
    ("s.mfa", "maybe", "s.mfa: expected yes or no, got 'maybe'"),
    ("s.mfa", 2.5, "expected yes or no"),
    ("s.dpa", "sometimes", "s.dpa: unknown choice 'sometimes'"),
    ("s.dpa", 3, "expected one of yes, partial, no"),
    ("s.factors", "sms_otp, carrier_pigeon", "unknown choice(s) 'carrier_pigeon'"),
    ("s.factors", 7, "expected a list of choices"),
    ("s.breach_hours", "soon", "expected a number, got 'soon'"),
    ("s.breach_hours", True, "expected a number"),
    ("s.breach_hours", -1, "-1 is below the minimum 0"),
    ("s.breach_hours", "nan", "expected a finite number"),
    ("s.cert_until", "31/12/2026", "expected a date as YYYY-MM-DD, got '31/12/2026'"),
    ("s.cert_until", "2026-02-30", "expected a date as YYYY-MM-DD"),
    ("s.cert_until", 45000, "expected a date"),
    ("s.subs", "x" * 4001, "at most 4000"),
    ("s.subs", ["a"], "expected text"),
])
def test_invalid_answers(sample: Template, qid: str, raw: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        validate_answer(sample.question(qid), raw)
    assert message in str(caught.value)


def test_unknown_choice_hint_lists_valid_choices(sample: Template) -> None:
    with pytest.raises(InputError) as caught:
        validate_answer(sample.question("s.dpa"), "sometimes")
    assert caught.value.hint == "valid: yes, partial, no"


def test_choice_normalisation(sample: Template) -> None:
    assert validate_answer(sample.question("s.dpa"), " Partial ") == "partial"
    assert validate_answer(sample.question("s.dpa"), True) == "yes"


def test_multi_choice_normalisation(sample: Template) -> None:
    q = sample.question("s.factors")
    assert validate_answer(q, "FIDO2_WEBAUTHN; sms_otp") == ("sms_otp", "fido2_webauthn")
    assert validate_answer(q, ["totp_app", "totp_app"]) == ("totp_app",)
    assert validate_answer(q, []) == ()


def test_number_normalisation(sample: Template) -> None:
    q = sample.question("s.breach_hours")
    assert validate_answer(q, "24") == 24
    assert isinstance(validate_answer(q, 24.0), int)
    assert validate_answer(q, "1 000") == 1000
    assert validate_answer(q, "99.5%") == 99.5


def test_date_normalisation(sample: Template) -> None:
    q = sample.question("s.cert_until")
    assert validate_answer(q, "2026-12-31") == date(2026, 12, 31)
    assert validate_answer(q, datetime(2026, 12, 31, 0, 0)) == date(2026, 12, 31)
    assert validate_answer(q, "2026-12-31T00:00:00") == date(2026, 12, 31)
    assert validate_answer(q, date(2027, 1, 1)) == date(2027, 1, 1)


def test_text_normalisation(sample: Template) -> None:
    assert validate_answer(sample.question("s.subs"), "  Acme NL  ") == "Acme NL"
    assert validate_answer(sample.question("s.subs"), 42) == "42"


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 11, 30), -3) == date(2027, 2, 28)


@given(raw=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                     st.dates(), st.datetimes(), st.lists(st.text(max_size=5), max_size=3)))
def test_validate_answer_raises_only_input_error(sample: Template, raw: object) -> None:
    """Any input either normalises or gives an InputError, never another exception."""
    for q in sample.questions:
        with contextlib.suppress(InputError):
            validate_answer(q, raw)


def test_jsonable_round_trips_through_validation(sample: Template) -> None:
    import json

    from vendorrisk.questionnaires import jsonable

    answers = {"s.cert_until": date(2027, 1, 1), "s.factors": ("sms_otp",), "s.mfa": "yes",
               "s.breach_hours": 24}
    stored = json.loads(json.dumps({k: jsonable(v) for k, v in answers.items()}))
    assert {k: validate_answer(sample.question(k), v) for k, v in stored.items()} == answers
