"""The DORA register of one client (gathered by :func:`vendorrisk.views.dora.client_register`
through the client's scope), validated, written as a package (optionally checked by Arelle
too) or summed up as its readiness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from vendorrisk.config import Settings
from vendorrisk.errors import InputError
from vendorrisk.io import dora_package, dora_register, dora_validate, filenames
from vendorrisk.io.atomic import refuse_existing
from vendorrisk.io.dora_readiness import Readiness
from vendorrisk.store.database import Database
from vendorrisk.store.scope import client_scope
from vendorrisk.views.dora import client_readiness, client_register
from vendorrisk.views.output_names import client_file_part


@dataclass(frozen=True)
class DoraResult:
    directory: Path
    files: list[Path]
    rows: dict[str, int]
    missing: list[list[str]]
    breaches: list[str]
    """Every breach of the validator, blocking ones first (``str`` of each Breach)."""
    blocking: int = 0
    problems: list[str] | None = None
    draft: bool = False
    arelle: list[str] | None = None
    """Arelle's errors (None: Arelle did not run, no ``--taxonomy``)."""

    @property
    def package(self) -> Path:
        return next(p for p in self.files if p.suffix == ".zip")

    def to_json(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "files": [p.name for p in self.files],
                "package": self.package.name, "rows": self.rows, "missing": len(self.missing),
                "blocking": self.blocking, "warnings": len(self.breaches) - self.blocking,
                "problems": self.problems or [], "draft": self.draft,
                "arelle": self.arelle}


class DoraRefusedError(InputError):
    """The register breaks a blocking rule or its input is wrong; nothing was written."""

    def __init__(self, client: str, problems: list[str], breaches: list[str]) -> None:
        lines = [*problems, *breaches]
        super().__init__(
            f"the DORA register for {client} would be rejected ({len(problems)} input "
            f"problem(s), {len(breaches)} blocking breach(es)); no package written:\n  "
            + "\n  ".join(lines), "record what is listed, or pass --draft to write it anyway")
        self.problems, self.breaches = problems, breaches


class DoraService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def _register(self, client: str, today: date) -> tuple[dora_register.Register, str]:
        with self.db.session(readonly=True) as session:
            scope = client_scope(session, client)
            assert scope is not None
            return client_register(session, scope, today), client_file_part(
                session, scope.client_id)

    def readiness(self, client: str, today: date) -> Readiness:
        """Which templates are complete, which cells are missing and what fills each."""
        with self.db.session(readonly=True) as session:
            scope = client_scope(session, client)
            assert scope is not None
            return client_readiness(session, scope, today)

    def export(self, client: str, out_dir: Path | None = None, *, today: date | None = None,
               force: bool = False, draft: bool = False,
               taxonomy: Path | None = None) -> DoraResult:
        """Build, validate and write one client's DORA register package (see
        :mod:`vendorrisk.io.dora_package`). Input problems, a blocking breach or (with
        ``taxonomy``) an Arelle error raise :class:`DoraRefusedError` and write nothing,
        unless ``draft``. An existing folder is replaced only with ``force``."""
        from vendorrisk.io import dora_arelle

        if not client:
            raise InputError("the DORA register needs a client", "the register is per entity")
        if taxonomy is not None:
            dora_arelle.check(taxonomy)
        now = datetime.now(UTC)
        today = today or now.date()
        register, part = self._register(client, today)
        target = out_dir or self.settings.exports_path / filenames.dora_register_name(
            part, today)
        refuse_existing(target, force=force)
        breaches = dora_validate.validate(register)
        blocking = [str(b) for b in breaches if b.blocking]
        problems = [str(p) for p in register.problems]
        arelle = None
        if taxonomy is not None:
            with TemporaryDirectory() as tmp:
                arelle = dora_arelle.validate(
                    dora_package.write_zip(register, Path(tmp), now), taxonomy)
        if (blocking or problems or arelle) and not draft:
            raise DoraRefusedError(register.client, problems, [*blocking, *(arelle or [])])
        files = dora_package.write_package(register, breaches, target, now, force=force,
                                           arelle=arelle or ())
        return DoraResult(target, files, {t: len(r) for t, r in register.tables.items()},
                          [m.as_row() for m in register.missing], [str(b) for b in breaches],
                          len(blocking), problems, draft, arelle)
