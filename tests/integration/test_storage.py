"""Default storage: a SQLite file in the user data dir, WAL and foreign keys on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from vendorrisk import paths
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services


def test_default_database_lives_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    settings = Settings()
    assert settings.db_url == f"sqlite:///{tmp_path / 'data-home' / 'vendorrisk' / 'vendorrisk.db'}"
    services = open_services(settings)
    try:
        services.inventory.create("client", {"name": "Acme"})
        assert (paths.data_dir() / "vendorrisk.db").is_file()
        with services.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        services.close()


def test_timestamps_come_back_as_utc(services: object) -> None:
    from datetime import UTC

    services.inventory.create("client", {"name": "Acme"})  # type: ignore[attr-defined]
    event = services.audit_log(limit=1)[0]  # type: ignore[attr-defined]
    assert event["at"].endswith("+00:00")
    from vendorrisk.store.models import Client

    with services.db.session(readonly=True) as session:  # type: ignore[attr-defined]
        client = session.query(Client).one()
        assert client.created_at.tzinfo is UTC or client.created_at.utcoffset().total_seconds() == 0


def test_sqlite_database_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    from vendorrisk.errors import ConfigError
    from vendorrisk.store.session import make_engine

    folder = tmp_path / "missing" / "dir"
    with pytest.raises(ConfigError, match=re.escape(f"folder {folder} of the SQLite database does not")):
        make_engine(f"sqlite:///{folder / 'x.db'}")
    assert not folder.parent.exists()
    (tmp_path / "file").touch()
    with pytest.raises(ConfigError, match="is not a folder"):
        make_engine(f"sqlite:///{tmp_path / 'file' / 'x.db'}")


def test_the_default_folder_is_still_made(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    from vendorrisk.store.session import make_engine

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    make_engine(paths.default_db_url()).dispose()
    assert paths.data_dir().is_dir()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_opens(url: str) -> None:
    services = open_services(Settings(db=url, user="t"))
    try:
        assert services.inventory.list("client") == []
    finally:
        services.close()


@pytest.mark.parametrize(("url", "scheme"), [("mysql://root:pw@h/db", "mysql"),
                                             ("mysql+pymysql://h/db", "mysql+pymysql"),
                                             ("postgres://u:pw@h/db", "postgres")])
def test_unsupported_schemes_name_the_supported_ones(url: str, scheme: str) -> None:
    from vendorrisk.errors import ConfigError
    from vendorrisk.store.session import make_engine

    with pytest.raises(ConfigError) as err:
        make_engine(url)
    assert str(err.value) == (f"unsupported database URL scheme {scheme!r}: use sqlite:///PATH "
                              "or postgresql://USER@HOST/DB")


def test_public_url_masks_the_password_of_any_url() -> None:
    from vendorrisk.store.session import public_url

    assert public_url("postgresql://u:s3cret@h:port/db") == "postgresql://u:***@h:port/db"
    assert public_url("postgresql://u:s3cret@h/db") == "postgresql://u:***@h/db"
