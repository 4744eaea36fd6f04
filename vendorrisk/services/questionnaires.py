"""Questionnaire round trip: send a workbook, import the answers, or enter them directly.

Every response is validated against its template version in full before anything is
recorded, and each recorded response is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk import questionnaires
from vendorrisk.errors import InputError
from vendorrisk.io.questionnaire_xlsx import read_questionnaire, write_questionnaire
from vendorrisk.questionnaires import Template
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find
from vendorrisk.store.models import QuestionnaireResponse, Vendor
from vendorrisk.vocab import AuditAction, ResponseStatus


def template_summary(template: Template) -> dict[str, Any]:
    return {"id": template.id, "version": template.version, "title": template.title,
            "applies_to": list(template.applies_to), "questions": len(template.questions)}


def template_detail(template: Template) -> dict[str, Any]:
    return {**template_summary(template), "question_list": [
        {"id": q.id, "section": q.section, "text": q.text, "type": str(q.type),
         "choices": list(q.choices), "refs": [f"{r.framework}:{r.requirement}" for r in q.refs],
         "risky": [{"severity": r.severity, "why": r.why} for r in q.risk]}
        for q in template.questions]}


class QuestionnaireService:
    def __init__(self, db: Database | Callable[[], Database], actor: str,
                 on_change: Callable[[str], None] | None = None,
                 templates: TemplateLibrary | None = None) -> None:
        self._db = db
        """The database, or what opens it on first use (listing templates needs none)."""
        self.actor = actor
        self.on_change = on_change
        self.library = templates or TemplateLibrary()

    @property
    def db(self) -> Database:
        return self._db if isinstance(self._db, Database) else self._db()

    def templates(self) -> list[dict[str, Any]]:
        return [template_summary(t) for t in self.library.newest().values()]

    def template(self, template_id: str, version: str | None = None) -> dict[str, Any]:
        return template_detail(self.library.get(template_id, version))

    def send(self, vendor: str, template_id: str, out: Path, *,
             force: bool = False) -> dict[str, Any]:
        """Write the workbook for ``vendor`` and record the response as sent (an existing
        ``out`` is replaced only with ``force``)."""
        template = self.library.get(template_id)
        with self.db.session() as session:
            row = find(session, "vendor", vendor)
            write_questionnaire(template, row.name, out, vendor_kind=str(row.kind), force=force)
            response = self._response(session, row, template, create=True)
            response.status, response.sent_at = ResponseStatus.SENT, datetime.now(UTC)
            return self._record(session, response, row, AuditAction.UPDATE, {"sent_to": str(out)})

    def import_file(self, path: Path, *, vendor: str | None = None) -> dict[str, Any]:
        """Read a filled-in workbook; every answer is checked before the response is stored."""
        parsed = read_questionnaire(path, self.library.all())
        with self.db.session() as session:
            row = find(session, "vendor", vendor or parsed.vendor_name)
            response = self._response(session, row, parsed.template, create=True)
            response.answers = {k: questionnaires.jsonable(v) for k, v in parsed.answers.items()}
            response.evidence_notes = dict(parsed.evidence)
            response.status, response.received_at = ResponseStatus.RECEIVED, datetime.now(UTC)
            record = self._record(session, response, row, AuditAction.IMPORT, {"file": str(path)})
        if self.on_change is not None:
            self.on_change("questionnaire imported")
        return record

    def set_answers(self, vendor: str, template_id: str, answers: Mapping[str, Any], *,
                    status: ResponseStatus = ResponseStatus.DRAFT,
                    reviewer: str | None = None) -> dict[str, Any]:
        """Enter or change answers directly (the TUI's questionnaire screen)."""
        template = self.library.get(template_id)
        cleaned = questionnaires.normalise_answers(template, answers)
        with self.db.session() as session:
            row = find(session, "vendor", vendor)
            response = self._response(session, row, template, create=True)
            merged = {**response.answers, **{k: questionnaires.jsonable(v)
                                             for k, v in cleaned.items()}}
            response.answers = {k: v for k, v in merged.items() if v is not None}
            response.status = status
            now = datetime.now(UTC)
            if status in (ResponseStatus.RECEIVED, ResponseStatus.REVIEWED):
                response.received_at = response.received_at or now
            if status is ResponseStatus.REVIEWED:
                response.reviewed_at, response.reviewer = now, reviewer or self.actor
            record = self._record(session, response, row, AuditAction.UPDATE, None)
        if self.on_change is not None:
            self.on_change("questionnaire answered")
        return record

    def responses(self, vendor: str | None = None) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            query = select(QuestionnaireResponse, Vendor.name).join(Vendor)
            if vendor:
                query = query.where(QuestionnaireResponse.vendor_id == find(session, "vendor",
                                                                             vendor).id)
            rows = session.execute(query.order_by(Vendor.name, QuestionnaireResponse.id)).all()
            return [_response_record(r, name) for r, name in rows]

    def _response(self, session: Session, vendor: Vendor, template: Template, *,
                  create: bool) -> QuestionnaireResponse:
        existing = session.execute(select(QuestionnaireResponse).where(
            QuestionnaireResponse.vendor_id == vendor.id,
            QuestionnaireResponse.template_id == template.id,
            QuestionnaireResponse.template_version == template.version,
            QuestionnaireResponse.status != ResponseStatus.REVIEWED,
        ).order_by(QuestionnaireResponse.id.desc())).scalars().first()
        if existing is not None:
            return existing
        if not create:
            raise InputError(f"no open {template.id} questionnaire for vendor {vendor.name!r}")
        response = QuestionnaireResponse(vendor_id=vendor.id, template_id=template.id,
                                         template_version=template.version, answers={},
                                         evidence_notes={})
        session.add(response)
        session.flush()
        return response

    def _record(self, session: Session, response: QuestionnaireResponse, vendor: Vendor,
                action: AuditAction, extra: Mapping[str, Any] | None) -> dict[str, Any]:
        session.flush()
        record = _response_record(response, vendor.name)
        audit.record(session, actor=self.actor, action=action, entity_kind="questionnaire",
                     entity_id=response.id, label=f"{vendor.name} {response.template_id}",
                     after={**record, **(extra or {})})
        return record


def _response_record(response: QuestionnaireResponse, vendor_name: str) -> dict[str, Any]:
    return audit.jsonable_record({
        "id": response.id, "vendor": vendor_name, "template_id": response.template_id,
        "template_version": response.template_version, "status": response.status,
        "answers": response.answers, "evidence_notes": response.evidence_notes,
        "reviewer": response.reviewer, "sent_at": response.sent_at,
        "received_at": response.received_at, "reviewed_at": response.reviewed_at,
    })
