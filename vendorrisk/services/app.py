"""The service facade handed to the CLI and the TUI: one object, built from settings, that
exposes every use case. Neither front end constructs a service or a probe plan.

The database is opened on first use (:func:`open_services` opens it at once), so commands that
need none (``probe --no-store``, ``db``, ``locate``, ``data refresh``, the questionnaire
templates) never connect. Services other than the inventory are created on first use too, so
a command that only lists records does not pay for importing the probes, the questionnaires or
the scoring engine. ``clock`` is "today" for every use case that asks (the TUI and its tests
fix it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vendorrisk.config import Settings
from vendorrisk.portfolio.fields import KnownIds
from vendorrisk.questionnaires.loader import TemplateLibrary
from vendorrisk.services.inventory import InventoryService
from vendorrisk.store import audit
from vendorrisk.store.database import Database, open_database

if TYPE_CHECKING:
    from vendorrisk.services.changes import ChangeService
    from vendorrisk.services.datarefresh import RefreshResult
    from vendorrisk.services.demo import DemoSummary
    from vendorrisk.services.dora import DoraService
    from vendorrisk.services.dora_functions import FunctionService
    from vendorrisk.services.evidence import EvidenceService
    from vendorrisk.services.exports import ExportService
    from vendorrisk.services.findings import FindingService
    from vendorrisk.services.imports import ImportService
    from vendorrisk.services.probing import ProbingService
    from vendorrisk.services.questionnaires import QuestionnaireService
    from vendorrisk.services.reviews import ReviewService
    from vendorrisk.services.scoring import ScoringService
    from vendorrisk.views import ViewService


def utc_today() -> date:
    return datetime.now(UTC).date()


class Services:
    def __init__(self, settings: Settings, db: Database | None = None, *,
                 clock: Callable[[], date] = utc_today) -> None:
        self.settings = settings
        self.clock = clock
        """What "today" is for the views, findings and reviews (read at each call)."""
        self._db = db

    @property
    def db(self) -> Database:
        """The database, connected (and brought to the schema head) on first use."""
        if self._db is None:
            self._db = open_database(self.settings.db_url,
                                     auto_upgrade=self.settings.auto_upgrade)
        return self._db

    def open(self) -> Services:
        """Connect now (a bad URL or schema fails here rather than in the first use case)."""
        _ = self.db
        return self

    def today(self) -> date:
        return self.clock()

    def exposed_folders(self) -> list[str]:
        """One line per database or exports folder (or database file) others can read."""
        from vendorrisk.filemodes import exposure

        places: list[tuple[str, Path]] = [("exports folder", self.settings.exports_path)]
        database = _sqlite_file(self.settings.db_url)
        if database is not None:
            places += [("database folder", database.parent), ("database", database)]
        return [f"warning: the {what} {path} is {how}; other users of this machine can read "
                f"your clients' data (chmod go-rwx {path})"
                for what, path in places if (how := exposure(path))]

    @property
    def actor(self) -> str:
        return self.settings.audit_user

    # -- use cases ---------------------------------------------------------------------------
    @cached_property
    def inventory(self) -> InventoryService:
        probe = self.settings.probe
        return InventoryService(self.db, self.actor, self.rescore,
                                KnownIds(probe.providers_file, probe.registrars_file))

    @cached_property
    def probing(self) -> ProbingService:
        """Probe runs; the database is only opened for a probe that stores or reads inventory."""
        from vendorrisk.services.probing import ProbingService

        return ProbingService(lambda: self.db, self.settings, self.actor, self.rescore)

    @cached_property
    def questionnaires(self) -> QuestionnaireService:
        from vendorrisk.services.questionnaires import QuestionnaireService

        return QuestionnaireService(lambda: self.db, self.actor, self.rescore, self.templates)

    @cached_property
    def exports(self) -> ExportService:
        from vendorrisk.services.exports import ExportService

        return ExportService(self.db, self.settings, book=lambda: self.scoring.book())

    @cached_property
    def dora(self) -> DoraService:
        """One client's DORA register: the package and its readiness."""
        from vendorrisk.services.dora import DoraService

        return DoraService(self.db, self.settings)

    @cached_property
    def functions(self) -> FunctionService:
        """A client's DORA functions (B_06.01), for the CLI and the TUI."""
        from vendorrisk.services.dora_functions import FunctionService

        return FunctionService(self.db, self.actor)

    @cached_property
    def imports(self) -> ImportService:
        from vendorrisk.services.imports import ImportService

        return ImportService(self.db, self.inventory, self.actor)

    @cached_property
    def scoring(self) -> ScoringService:
        from vendorrisk.services.scoring import ScoringService

        return ScoringService(self.db, self.settings, self.actor)

    @cached_property
    def findings(self) -> FindingService:
        """List and show findings; accept, resolve, reopen them (audited, rescoring after
        each change): the one findings service of the CLI and the TUI."""
        from vendorrisk.services.findings import FindingService

        return FindingService(self.db, self.actor, self.today, self.rescore)

    @cached_property
    def reviews(self) -> ReviewService:
        """The one review service: due items, start, complete (the CLI's and the TUI's)."""
        from vendorrisk.services.reviews import ReviewService

        return ReviewService(self.db, self.actor, clock=self.today,
                             intervals=self.settings.review)

    @cached_property
    def views(self) -> ViewService:
        """The read models every screen shows."""
        from vendorrisk.views import ViewService

        return ViewService(self.db, self.today, self.inventory.known, self.templates,
                           engagements=lambda client: self.scoring.engagements_of(client))

    @cached_property
    def changes(self) -> ChangeService:
        from vendorrisk.services.changes import ChangeService

        return ChangeService(self.db, self.actor)

    @cached_property
    def evidence(self) -> EvidenceService:
        from vendorrisk.services.evidence import EvidenceService

        return EvidenceService(self.db, self.settings, self.actor)

    @cached_property
    def templates(self) -> TemplateLibrary:
        """The shipped questionnaire templates and those of the user's ``questionnaire_dirs``."""
        return TemplateLibrary(self.settings.questionnaire_paths)

    def load_demo(self, *, today: date | None = None) -> DemoSummary:
        """Load the demo portfolio (safe to run twice)."""
        from vendorrisk.services.demo import load_demo

        return load_demo(self, today=today)

    # -- audit -------------------------------------------------------------------------------
    def verify_audit(self) -> audit.VerifyResult:
        with self.db.session(readonly=True) as session:
            return audit.verify(session)

    def audit_log(self, *, entity_kind: str | None = None,
                  limit: int | None = None) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            return audit.log(session, entity_kind=entity_kind, limit=limit)

    # -- schema and shipped data (no open database needed) ------------------------------------
    @property
    def public_db_url(self) -> str:
        """The database URL without its password."""
        from vendorrisk.services import schema

        return schema.public(self.settings.db_url)

    def upgrade_schema(self) -> tuple[str | None, str]:
        """(revision before, revision after) of bringing the schema to the newest revision."""
        from vendorrisk.services import schema

        return schema.upgrade(self.settings.db_url)

    def schema_status(self) -> dict[str, Any]:
        from vendorrisk.services import schema

        return schema.status(self.settings.db_url)

    @staticmethod
    def refresh_data(*, bootstrap_url: str | None = None, anchors_url: str | None = None,
                     out_dir: Path | None = None) -> list[RefreshResult]:
        """Fetch a newer RDAP bootstrap and root trust anchors (needs the network)."""
        from vendorrisk.services import datarefresh

        return datarefresh.refresh_all(bootstrap_url=bootstrap_url, anchors_url=anchors_url,
                                       out_dir=out_dir)

    # -- housekeeping ------------------------------------------------------------------------
    def rescore(self, note: str) -> None:
        """Recompute scores after a change (writes snapshots of what changed)."""
        self.scoring.recompute(note=note)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None  # opening the database reports a bad URL in full
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" \
            or name.startswith("file:"):
        return None
    return Path(name).expanduser()


def open_services(settings: Settings) -> Services:
    """The facade with its database connected (and its schema brought to head)."""
    return Services(settings).open()
