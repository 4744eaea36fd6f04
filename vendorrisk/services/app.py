"""The service facade handed to the CLI and the TUI: one object, built from settings.

Services other than the inventory are created on first use, so a command that only lists
records does not pay for importing the probes, the questionnaires or the scoring engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vendorrisk.config import Settings
from vendorrisk.portfolio.fields import KnownIds
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.services.inventory import InventoryService
from vendorrisk.store import audit
from vendorrisk.store.database import Database, open_database

if TYPE_CHECKING:
    from vendorrisk.services.exports import ExportService
    from vendorrisk.services.probing import ProbingService
    from vendorrisk.services.questionnaires import QuestionnaireService
    from vendorrisk.services.scoring import ScoringService


@dataclass
class Services:
    settings: Settings
    db: Database
    inventory: InventoryService = field(init=False)

    def __post_init__(self) -> None:
        probe = self.settings.probe
        self.inventory = InventoryService(self.db, self.settings.audit_user, self.rescore,
                                          KnownIds(probe.providers_file, probe.registrars_file))

    @cached_property
    def probing(self) -> ProbingService:
        from vendorrisk.services.probing import ProbingService

        return ProbingService(self.db, self.settings, self.settings.audit_user, self.rescore)

    @cached_property
    def questionnaires(self) -> QuestionnaireService:
        from vendorrisk.services.questionnaires import QuestionnaireService

        return QuestionnaireService(self.db, self.settings.audit_user, self.rescore,
                                    self.templates)

    @cached_property
    def exports(self) -> ExportService:
        from vendorrisk.services.exports import ExportService

        return ExportService(self.db, self.settings)

    @cached_property
    def scoring(self) -> ScoringService:
        from vendorrisk.services.scoring import ScoringService

        return ScoringService(self.db, self.settings)

    @property
    def templates(self) -> TemplateLibrary:
        """The shipped questionnaire templates and those of the user's ``questionnaire_dirs``."""
        return TemplateLibrary(self.settings.questionnaire_paths)

    @property
    def actor(self) -> str:
        return self.settings.audit_user

    def verify_audit(self) -> audit.VerifyResult:
        with self.db.session(readonly=True) as session:
            return audit.verify(session)

    def audit_log(self, *, entity_kind: str | None = None,
                  limit: int | None = None) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            return audit.log(session, entity_kind=entity_kind, limit=limit)

    def rescore(self, note: str) -> None:
        """Recompute scores after a change (writes snapshots of what changed)."""
        self.scoring.recompute(note=note)

    def close(self) -> None:
        self.db.dispose()


def open_services(settings: Settings) -> Services:
    return Services(settings, open_database(settings.db_url, auto_upgrade=settings.auto_upgrade))
