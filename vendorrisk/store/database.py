"""Open the configured database: engine, schema version check (upgrade or refuse), sessions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from vendorrisk.errors import InputError, StorageError, VendorRiskError
from vendorrisk.store import migrate
from vendorrisk.store.session import BEGIN_MODE_OPTION, make_engine, public_url, session_factory

log = logging.getLogger(__name__)


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def public_url(self) -> str:
        return public_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error, storage errors wrapped."""
        session = self.sessions()
        try:
            if readonly and self.is_sqlite:
                session.connection(execution_options={BEGIN_MODE_OPTION: "DEFERRED"})
            yield session
            if readonly:
                session.rollback()
            else:
                session.commit()
        except VendorRiskError:
            session.rollback()
            raise
        except IntegrityError as exc:
            session.rollback()
            raise InputError(f"rejected by the database: {_first_line(exc.orig)}") from exc
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            raise storage_error(self.url, exc) from exc
        finally:
            session.close()


def storage_error(url: str, exc: SQLAlchemyError) -> StorageError:
    detail = _first_line(getattr(exc, "orig", None) or exc)
    if "locked" in detail.lower():
        return StorageError(f"database {public_url(url)} is locked by another process: {detail}",
                            "try again when the other vendorrisk command has finished")
    return StorageError(f"cannot use database {public_url(url)}: {detail}")


def _first_line(obj: object) -> str:
    text = str(obj).strip()
    return text.splitlines()[0] if text else type(obj).__name__


def open_database(url: str, *, auto_upgrade: bool = True) -> Database:
    """Connect, and bring the schema to head (or refuse if ``auto_upgrade`` is off)."""
    engine = make_engine(url)
    try:
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current != head:
            known = {rev.revision for rev in migrate.script_directory().walk_revisions()}
            if current is not None and current not in known:
                raise StorageError(
                    f"database {public_url(url)} is at schema revision {current}, newer than "
                    "this vendorrisk knows", "upgrade vendorrisk")
            if not auto_upgrade:
                raise StorageError(
                    f"database {public_url(url)} is at schema revision {current or 'empty'}, "
                    f"behind {head}", "run `vendorrisk db upgrade` (auto_upgrade is off)")
            log.info("upgrading %s from %s to %s", public_url(url), current, head)
            migrate.upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise storage_error(url, exc) from exc
    except VendorRiskError:
        engine.dispose()
        raise
    return Database(url=url, engine=engine, sessions=session_factory(engine))
