"""Questionnaire answers as rows, with the risk marks of their template: the workbook's
Questionnaires sheet and the vendor detail show the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from vendorrisk.errors import NotFoundError
from vendorrisk.questionnaires.assess import assess
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.store.models import QuestionnaireResponse


def questionnaire_rows(session: Session, vendor_ids: set[int] | None,
                       templates: TemplateLibrary) -> Iterator[dict[str, Any]]:
    """One row per answer of the vendors' questionnaire responses, with its risk marks."""
    query = (select(QuestionnaireResponse).options(selectinload(QuestionnaireResponse.vendor))
             .order_by(QuestionnaireResponse.vendor_id, QuestionnaireResponse.id))
    for resp in session.execute(query).scalars():
        if vendor_ids is not None and resp.vendor_id not in vendor_ids:
            continue
        questions: dict[str, str] = {}
        risky: dict[str, str] = {}
        try:
            template = templates.get(resp.template_id, resp.template_version)
            questions = {q.id: q.text for q in template.questions}
            result = assess(template, resp.answers or {}, vendor_kind=str(resp.vendor.kind))
            risky = {r.question_id: r.severity for r in result.risky}
        except NotFoundError:
            pass  # an unknown template: answers are listed without risk marks
        base = {"vendor": resp.vendor.name, "template": resp.template_id,
                "version": resp.template_version, "status": str(resp.status),
                "reviewed_at": resp.reviewed_at}
        notes = resp.evidence_notes or {}
        for qid, answer in (resp.answers or {}).items():
            yield {**base, "question_id": qid, "question": questions.get(qid),
                   "answer": answer if not isinstance(answer, list) else ", ".join(map(str, answer)),
                   "risky": (qid in risky) if questions else None,
                   "risk_severity": risky.get(qid), "evidence": notes.get(qid)}
