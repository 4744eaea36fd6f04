"""Editor forms (fields with their current values as text) and questionnaire forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from vendorrisk import questionnaires
from vendorrisk.errors import InputError
from vendorrisk.portfolio import fields
from vendorrisk.questionnaires.model import Template
from vendorrisk.views.dto import FormField, Question, QuestionnaireForm


def as_text(value: Any) -> str:
    """A stored value as the text a user would type to enter it again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def form(entity: str, record: dict[str, Any] | None) -> tuple[FormField, ...]:
    out = []
    for spec in fields.ENTITY_FIELDS[entity]:
        hint = spec.help
        if spec.enum is not None:
            hint = " | ".join(m.value for m in spec.enum)
        elif spec.choices:
            hint = " | ".join(spec.choices)
        elif spec.kind in ("date",):
            hint = hint or "YYYY-MM-DD"
        elif spec.kind == "bool":
            hint = hint or "yes / no"
        out.append(FormField(spec.name, spec.name.replace("_", " "),
                             as_text((record or {}).get(spec.name)), hint, spec.required))
    return tuple(out)


def problems(entity: str, raw: dict[str, str], *, partial: bool,
             known: fields.KnownIds = fields.SHIPPED_IDS) -> dict[str, str]:
    """field -> message for everything :func:`fields.clean` rejects (empty when valid)."""
    try:
        fields.clean(entity, raw, partial=partial, known=known)
    except fields.ValidationError as exc:
        return {p.field: p.message for p in exc.problems}
    return {}


def questionnaire(vendor: str, vendor_kind: str, template: Template, answers: dict[str, Any],
                  status: str, today: date) -> QuestionnaireForm:
    try:
        risky = {r.question_id for r in questionnaires.assess(
            template, answers, vendor_kind=vendor_kind, as_of=today).risky}
    except InputError:
        risky = set()
    qs = tuple(Question(q.id, q.section, q.text, str(q.type), tuple(q.choices),
                        as_text(answers.get(q.id)),
                        tuple(f"{r.severity}: {r.why}" for r in q.risk), q.id in risky)
               for q in template.questions_for(vendor_kind))
    return QuestionnaireForm(vendor, template.id, f"{template.title} v{template.version}",
                             status, qs)
