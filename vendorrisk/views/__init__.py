"""Read queries for the terminal UI: every screen's data as frozen :mod:`vendorrisk.views.dto` models.

Each call opens one read-only session and returns plain values, so a TUI worker thread never
holds an ORM object. ``clock`` fixes "today" for tests and snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from vendorrisk.io.chain import format_chain, parse_chain
from vendorrisk.portfolio.fields import SHIPPED_IDS, KnownIds
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.scoring.factors import Score
from vendorrisk.store.database import Database
from vendorrisk.store.lookup import find, record_of
from vendorrisk.store.models import Client, QuestionnaireResponse, Vendor
from vendorrisk.store.scope import client_scope
from vendorrisk.views import cells as C
from vendorrisk.views import detail, forms, portfolio, records
from vendorrisk.views.dto import Dashboard, Detail, FormField, QuestionnaireForm, Table


def utc_today() -> date:
    return datetime.now(UTC).date()


class ViewService:
    def __init__(self, db: Database, clock: Callable[[], date] = utc_today,
                 known: KnownIds = SHIPPED_IDS, templates: TemplateLibrary | None = None,
                 engagements: Callable[[str], Mapping[str, Score]] | None = None) -> None:
        self.db = db
        self.engagements = engagements
        """client name -> {vendor name: engagement score}: a chosen client's vendor scores."""
        self.clock = clock
        self.templates = templates or TemplateLibrary()
        self.known = known

    def is_empty(self) -> bool:
        with self.db.session(readonly=True) as s:
            return not (s.execute(select(func.count()).select_from(Client)).scalar_one()
                        or s.execute(select(func.count()).select_from(Vendor)).scalar_one())

    def dashboard(self, client: str | None = None) -> Dashboard:
        with self.db.session(readonly=True) as s:
            return portfolio.dashboard(s, self.clock(), client)

    def vendors(self, client: str | None = None) -> Table:
        """With a client, each vendor's scores are the client's engagement with it."""
        with self.db.session(readonly=True) as s:
            name = find(s, "client", client).name if client else None
        scores = None
        if name is not None and self.engagements is not None:
            scores = {vendor: (C.score(e.lockin, e.band_lockin, e.coverage_lockin),
                               C.score(e.compliance, e.band_compliance, e.coverage_compliance))
                      for vendor, e in self.engagements(name).items()}
        with self.db.session(readonly=True) as s:
            return portfolio.vendors(s, self.clock(), client, engagement_scores=scores)

    def vendor_detail(self, name: str) -> Detail:
        with self.db.session(readonly=True) as s:
            return detail.vendor_detail(s, name, self.clock(), self.templates)

    def domains(self, client: str | None = None) -> Table:
        with self.db.session(readonly=True) as s:
            return portfolio.domains(s, self.clock(), client)

    def domain_detail(self, domain_id: int) -> Detail:
        with self.db.session(readonly=True) as s:
            return detail.domain_detail(s, domain_id, self.clock())

    def findings(self, *, statuses: Sequence[str] = ("open",), severities: Sequence[str] = (),
                 client: str | None = None, vendor: str | None = None,
                 codes: Sequence[str] = ()) -> Table:
        with self.db.session(readonly=True) as s:
            return records.findings(s, statuses=statuses, severities=severities, client=client,
                                    vendor=vendor, codes=codes)

    def names(self, entity: str) -> list[str]:
        """Every client's or vendor's name, sorted: the choices of the switcher and filters."""
        models: dict[str, type[Client] | type[Vendor]] = {"client": Client, "vendor": Vendor}
        model = models[entity]
        with self.db.session(readonly=True) as s:
            return list(s.execute(select(model.name).order_by(model.name)).scalars())

    @staticmethod
    def finding_codes() -> list[tuple[str, str]]:
        """(code, "code — what it means") for every finding code, for the queue's filter."""
        from vendorrisk.findings.codes import CATALOG

        return [(code, f"{code} — {spec.description}") for code, spec in sorted(CATALOG.items())]

    def finding_evidence(self, finding_id: int) -> list[str]:
        with self.db.session(readonly=True) as s:
            return records.finding_evidence(s, finding_id)

    def contracts(self, client: str | None = None) -> Table:
        with self.db.session(readonly=True) as s:
            return records.contracts(s, self.clock(), scope=client_scope(s, client))

    def certifications(self, client: str | None = None) -> Table:
        with self.db.session(readonly=True) as s:
            return records.certifications(s, self.clock(), scope=client_scope(s, client))

    def reviews(self, client: str | None = None) -> Table:
        with self.db.session(readonly=True) as s:
            return records.reviews(s, self.clock(), scope=client_scope(s, client))

    def audit_log(self, entity_kind: str | None = None) -> Table:
        with self.db.session(readonly=True) as s:
            return records.audit_log(s, entity_kind=entity_kind)

    def form(self, entity: str, key: str | None = None) -> tuple[FormField, ...]:
        """The editor's fields for a new record (``key`` None) or an existing one."""
        record = None
        if key is not None:
            with self.db.session(readonly=True) as s:
                record = record_of(entity, find(s, entity, key))
            if entity == "domain":  # shown as the user would type it
                record["name"] = record["name_unicode"]
        return forms.form(entity, record)

    def dora(self, client: str) -> Detail:
        """The client's DORA readiness (templates, cells to fill, functions)."""
        from vendorrisk.views import dora

        with self.db.session(readonly=True) as s:
            scope = client_scope(s, client)
            assert scope is not None
            found = dora.client_readiness(s, scope, self.clock())
            return dora.readiness_detail(found, dora.function_records(s, scope.client_id),
                                         regulated=dora.under_dora(s, scope.client_id))

    def function_form(self, client: str, identifier: str | None) -> tuple[FormField, ...]:
        """The editor's fields of one of ``client``'s functions (None: a new one)."""
        from vendorrisk.views import dora

        record: dict[str, Any] = {"client": client}
        if identifier is not None:
            with self.db.session(readonly=True) as s:
                owner = find(s, "client", client)
                record = next(f for f in dora.function_records(s, owner.id)
                              if f["identifier"] == identifier)
        return tuple(f for f in forms.form("dora_function", record) if f.name != "client")

    def problems(self, entity: str, raw: dict[str, str], *, partial: bool) -> dict[str, str]:
        return forms.problems(entity, raw, partial=partial, known=self.known)

    def subcontracting_chain(self, vendor: str) -> str:
        """The vendor's ranked chain as text (``1. Akamai (anycast); 2. Equinix``)."""
        with self.db.session(readonly=True) as s:
            return format_chain(record_of("vendor", find(s, "vendor", vendor))["subcontractors"])

    @staticmethod
    def chain_problems(vendor: str, text: str, known: Collection[str]) -> dict[str, str]:
        """field -> message when the chain names a vendor not in ``known``, itself, or one
        vendor twice (empty when it can be saved)."""
        names = [name for name, _ in parse_chain(text)]
        unknown = [n for n in names if n not in known]
        if unknown:
            return {"chain": "not in the inventory: " + ", ".join(unknown)}
        if vendor in names:
            return {"chain": f"{vendor} cannot be its own subcontractor"}
        if len(set(names)) < len(names):
            return {"chain": "a vendor appears twice"}
        return {}

    def questionnaire(self, vendor: str, template_id: str) -> QuestionnaireForm:
        with self.db.session(readonly=True) as s:
            v = find(s, "vendor", vendor)
            resp = s.execute(select(QuestionnaireResponse).where(
                QuestionnaireResponse.vendor_id == v.id,
                QuestionnaireResponse.template_id == template_id)
                .order_by(QuestionnaireResponse.id.desc()).limit(1)).scalar_one_or_none()
            answers = dict(resp.answers or {}) if resp else {}
            status = str(resp.status) if resp else "new"
            name, kind = v.name, str(v.kind)
        return forms.questionnaire(name, kind, self.templates.get(template_id), answers, status,
                                  self.clock())

    def templates_for(self, vendor: str) -> list[str]:
        from vendorrisk import questionnaires

        with self.db.session(readonly=True) as s:
            kind = str(find(s, "vendor", vendor).kind)
        return [t.id for t in questionnaires.templates_for(self.templates.newest(), kind)]

    def export_view(self, table: Table, keys: Sequence[str], directory: Path, *,
                    filter_text: str = "", client: str | None = None) -> Path:
        """Write the rows ``keys`` of ``table`` (the view as filtered and sorted) to a
        workbook in ``directory``; text is made formula-safe."""
        from vendorrisk.views import export  # openpyxl only when exporting
        from vendorrisk.views.output_names import client_file_part

        part = None
        if client:
            with self.db.session(readonly=True) as s:
                found = find(s, "client", client)
                client, part = found.name, client_file_part(s, found.id)
        return export.write_view(table, keys, directory, filter_text=filter_text, client=client,
                                 file_part=part)
