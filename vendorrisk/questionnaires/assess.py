"""Score one vendor's answers against a template: which answers are risky, and how much is known.

Unknown is neither pass nor fail: an unanswered question adds no points and lowers
``coverage`` (the share of question weight that rests on an answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from vendorrisk.errors import InputError
from vendorrisk.questionnaires.answers import rule_matches, validate_answer
from vendorrisk.questionnaires.model import (
    DEFAULT_SEVERITY_POINTS,
    SEVERITY_RANK,
    Question,
    RiskRule,
    Template,
)


@dataclass(frozen=True)
class RiskyAnswer:
    question_id: str
    question_text: str
    answer: Any
    severity: str
    points: float
    """Severity points times the question weight."""
    weight: float
    why: str
    remedy: str
    refs: tuple[str, ...]
    """``framework:requirement`` keys, e.g. ``iso27001-2022:A.8.5``."""


@dataclass(frozen=True)
class Assessment:
    template_id: str
    template_version: str
    vendor_kind: str | None
    risky: tuple[RiskyAnswer, ...]
    """Worst first."""
    unanswered: tuple[str, ...]
    answered: tuple[str, ...]
    coverage: float
    """Answered weight / applicable weight, 0.0–1.0 (1.0 when nothing applies)."""

    @property
    def points(self) -> float:
        return sum(r.points for r in self.risky)

    @property
    def max_severity(self) -> str | None:
        if not self.risky:
            return None
        return max((r.severity for r in self.risky), key=SEVERITY_RANK.__getitem__)


def _worst_rule(q: Question, answer: Any, as_of: date) -> RiskRule | None:
    """The most severe rule the answer trips (the first such rule on a tie)."""
    worst: RiskRule | None = None
    for rule in q.risk:
        if rule_matches(rule, answer, as_of) and (
                worst is None or SEVERITY_RANK[rule.severity] > SEVERITY_RANK[worst.severity]):
            worst = rule
    return worst


def normalise_answers(template: Template, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Validate every answer; raise one InputError listing every problem (``.errors``)."""
    out: dict[str, Any] = {}
    problems: list[str] = []
    for qid, raw in answers.items():
        if not template.has_question(qid):
            problems.append(f"{qid}: not a question of {template.id} v{template.version}")
            continue
        try:
            out[qid] = validate_answer(template.question(qid), raw)
        except InputError as e:
            problems.append(str(e))
    if problems:
        error = InputError(problems[0], f"{len(problems)} problem(s): " + "; ".join(problems))
        error.errors = problems  # type: ignore[attr-defined]
        raise error
    return out


def assess(
    template: Template,
    answers: Mapping[str, Any],
    *,
    vendor_kind: str | None = None,
    as_of: date | None = None,
    severity_points: Mapping[str, float] | None = None,
) -> Assessment:
    """Assess raw or normalised ``answers`` (question id → answer).

    Only questions that apply to ``vendor_kind`` count (all when None). ``as_of`` anchors date
    rules (default: today). ``severity_points`` overrides :data:`DEFAULT_SEVERITY_POINTS`.
    """
    as_of = as_of or date.today()
    points = {**DEFAULT_SEVERITY_POINTS, **(severity_points or {})}
    values = normalise_answers(template, answers)
    risky: list[RiskyAnswer] = []
    answered: list[str] = []
    unanswered: list[str] = []
    total = known = 0.0
    for q in template.questions_for(vendor_kind):
        total += q.weight
        answer = values.get(q.id)
        if answer is None:
            unanswered.append(q.id)
            continue
        answered.append(q.id)
        known += q.weight
        rule = _worst_rule(q, answer, as_of)
        if rule is not None:
            risky.append(RiskyAnswer(
                question_id=q.id, question_text=q.text, answer=answer, severity=rule.severity,
                points=points[rule.severity] * q.weight, weight=q.weight, why=rule.why,
                remedy=rule.remedy, refs=tuple(str(r) for r in q.refs)))
    risky.sort(key=lambda r: (-SEVERITY_RANK[r.severity], r.question_id))
    return Assessment(
        template_id=template.id, template_version=template.version, vendor_kind=vendor_kind,
        risky=tuple(risky), unanswered=tuple(unanswered), answered=tuple(answered),
        coverage=known / total if total else 1.0)
