"""Answer validation and risk-rule matching: one set of rules for YAML, TUI and spreadsheets.

Normalised forms (what :func:`validate_answer` returns and what is stored):

- ``yes_no``: the string ``"yes"`` or ``"no"`` (accepts bools, yes/no, y/n, true/false, 1/0);
- ``choice``: the template's spelling of the choice (matched case-insensitively);
- ``multi_choice``: a tuple of choices in template order (accepts a list or "a, b; c");
- ``number``: ``int`` when integral, else ``float``;
- ``date``: :class:`datetime.date` (accepts date, datetime, ISO ``YYYY-MM-DD``);
- ``text``: stripped ``str``.

``None`` and blank text mean *unanswered* and are returned as ``None``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from vendorrisk.dates import months_before
from vendorrisk.errors import InputError
from vendorrisk.questionnaires.model import AnswerType, Question, RiskRule, RuleOp

MAX_TEXT = 4000
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_SPLIT = re.compile(r"[,;\n]")


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def validate_answer(question: Question, raw: Any) -> Any:
    """Normalise ``raw`` for ``question`` or raise InputError saying what is wrong."""
    if is_blank(raw):
        return None
    try:
        return _NORMALISERS[question.type](question, raw)
    except InputError as e:
        raise InputError(f"{question.id}: {e.message}", e.hint) from None


def _yes_no(q: Question, raw: Any) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    text = str(raw).strip().lower() if isinstance(raw, str | int) else None
    if text in _YES:
        return "yes"
    if text in _NO:
        return "no"
    raise InputError(f"expected yes or no, got {raw!r}")


def _choice_map(q: Question) -> dict[str, str]:
    return {c.lower(): c for c in q.choices}


def _choice(q: Question, raw: Any) -> str:
    if isinstance(raw, bool):  # a YAML 1.1 boolean for a choice such as "yes"
        raw = "yes" if raw else "no"
    if not isinstance(raw, str):
        raise InputError(f"expected one of {', '.join(q.choices)}, got {raw!r}")
    found = _choice_map(q).get(raw.strip().lower())
    if found is None:
        raise InputError(f"unknown choice {raw.strip()!r}", f"valid: {', '.join(q.choices)}")
    return found


def _multi_choice(q: Question, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        items: Iterable[Any] = [p for p in _SPLIT.split(raw) if p.strip()]
    elif isinstance(raw, list | tuple | set | frozenset):
        items = raw
    else:
        raise InputError(f"expected a list of choices, got {raw!r}")
    choices = _choice_map(q)
    picked: set[str] = set()
    unknown: list[str] = []
    for item in items:
        key = str(item).strip().lower()
        if key in choices:
            picked.add(choices[key])
        else:
            unknown.append(str(item).strip())
    if unknown:
        raise InputError(f"unknown choice(s) {', '.join(map(repr, unknown))}",
                         f"valid: {', '.join(q.choices)}")
    return tuple(c for c in q.choices if c in picked)


def _number(q: Question, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise InputError(f"expected a number, got {raw!r}")
    if isinstance(raw, int | float | Decimal):
        try:
            value = float(raw)
        except OverflowError:  # an int or Decimal beyond float's range
            raise InputError("expected a finite number, got one out of range") from None
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
        try:
            value = float(text)
        except ValueError:
            raise InputError(f"expected a number, got {raw!r}") from None
    else:
        raise InputError(f"expected a number, got {raw!r}")
    if not math.isfinite(value):
        raise InputError(f"expected a finite number, got {raw!r}")
    if q.minimum is not None and value < q.minimum:
        raise InputError(f"{value:g} is below the minimum {q.minimum:g}")
    if q.maximum is not None and value > q.maximum:
        raise InputError(f"{value:g} is above the maximum {q.maximum:g}")
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _date(q: Question, raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 \
                else datetime.fromisoformat(text).date()
        except ValueError:
            raise InputError(f"expected a date as YYYY-MM-DD, got {raw!r}") from None
    raise InputError(f"expected a date as YYYY-MM-DD, got {raw!r}")


def _text(q: Question, raw: Any) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise InputError(f"expected text, got {raw!r}")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise InputError(f"text is {len(text)} characters long (at most {MAX_TEXT})")
    return text


_NORMALISERS = {
    AnswerType.YES_NO: _yes_no,
    AnswerType.CHOICE: _choice,
    AnswerType.MULTI_CHOICE: _multi_choice,
    AnswerType.NUMBER: _number,
    AnswerType.DATE: _date,
    AnswerType.TEXT: _text,
}


def jsonable(value: Any) -> Any:
    """A normalised answer in JSON form (dates as ISO text, choices as lists) for storage."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def rule_matches(rule: RiskRule, answer: Any, as_of: date) -> bool:
    """Whether a normalised, non-None ``answer`` is risky under ``rule``."""
    op, v = rule.op, rule.value
    if op is RuleOp.EQUALS:
        return bool(answer == v)
    if op is RuleOp.IN:
        return answer in v
    if op is RuleOp.CONTAINS_ANY:
        return any(c in answer for c in v)
    if op is RuleOp.NOT_CONTAINS:
        return v not in answer
    if op is RuleOp.ONLY_WITHIN:
        return bool(answer) and all(c in v for c in answer)
    if op is RuleOp.GT:
        return bool(answer > v)
    if op is RuleOp.GE:
        return bool(answer >= v)
    if op is RuleOp.LT:
        return bool(answer < v)
    if op is RuleOp.LE:
        return bool(answer <= v)
    if op is RuleOp.OLDER_THAN_DAYS:
        return bool(answer < as_of - timedelta(days=v))
    if op is RuleOp.OLDER_THAN_MONTHS:
        return bool(answer < months_before(as_of, int(v)))
    if op is RuleOp.WITHIN_DAYS:
        return bool(answer < as_of + timedelta(days=v))
    raise AssertionError(f"unhandled rule op {op}")
