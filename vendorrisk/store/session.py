"""Engines and sessions, made on demand (never at import). SQLite gets foreign keys and WAL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from vendorrisk import paths
from vendorrisk.errors import ConfigError, StorageError
from vendorrisk.filemodes import create_private_file, private_dir
from vendorrisk.masking import mask_secrets

SQLITE_BUSY_TIMEOUT_S = 5
BEGIN_MODE_OPTION = "vendorrisk_sqlite_begin"


SUPPORTED_URLS = "use sqlite:///PATH or postgresql://USER@HOST/DB"
_BACKENDS = ("sqlite", "postgresql")


def public_url(url: str) -> str:
    """The URL with its password and secret parameters masked, for messages and logs."""
    return mask_secrets(url)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``; SQLite files get foreign keys and WAL.

    Only the default database's folder (the user data dir) is created: a folder named in a URL
    that does not exist is a typo, and creating it would hide the database somewhere unexpected.
    """
    parsed = _parse(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    try:
        return create_engine(parsed, **kwargs)
    except ModuleNotFoundError as exc:
        raise StorageError(
            f"no driver for {public_url(url)}",
            "install the PostgreSQL extra: pip install 'vendorrisk[postgres]'",
        ) from exc


def check_url(url: str) -> None:
    """Raise the ConfigError :func:`make_engine` would raise for a malformed ``url``."""
    _parse(url)


def _parse(url: str) -> URL:
    shown = mask_secrets(url)
    if "://" not in url:
        raise ConfigError(f"invalid database URL {shown!r}: no scheme; {SUPPORTED_URLS}")
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        why = "malformed host or port" if isinstance(exc, ValueError) else "not a URL"
        raise ConfigError(f"invalid database URL {shown!r}: {why}; {SUPPORTED_URLS}") from None
    scheme = mask_secrets(parsed.drivername)
    if parsed.get_backend_name() not in _BACKENDS:
        raise ConfigError(f"unsupported database URL scheme {scheme!r}: {SUPPORTED_URLS}")
    try:
        parsed.get_dialect()
    except ArgumentError:  # NoSuchModuleError: postgresql+nosuchdriver://
        raise ConfigError(f"unknown database driver {scheme!r}: {SUPPORTED_URLS}") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise ConfigError(f"invalid database URL {shown!r}: port {parsed.port} is not between "
                          f"1 and 65535")
    return parsed


def _check_sqlite_folder(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if folder.is_dir():
        return
    if folder == paths.data_dir():
        private_dir(folder)
        return
    problem = "is not a folder" if folder.exists() else "does not exist"
    raise ConfigError(f"folder {folder} of the SQLite database {problem}",
                      "create it first, or name a database in an existing folder")


def _sqlite_engine(parsed: URL, **kwargs: Any) -> Engine:
    database = parsed.database
    _check_sqlite_folder(database)
    if database and database != ":memory:" and not database.startswith("file:"):
        try:  # SQLite gives its -wal and -shm files the database file's mode
            create_private_file(Path(database).expanduser())
        except OSError as exc:
            raise StorageError(f"cannot create the SQLite database {database}: "
                               f"{exc.strerror or exc}") from exc
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself so transactions are real (pysqlite quirk).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so a locked database fails at BEGIN rather
        # than half-way; read-only units of work ask for a deferred BEGIN.
        mode = conn.get_execution_options().get(BEGIN_MODE_OPTION, "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
