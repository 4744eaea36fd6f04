"""Default storage: a SQLite file in the user data dir, WAL and foreign keys on."""

from __future__ import annotations

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
    from vendorrisk.model import Client

    with services.db.session(readonly=True) as session:  # type: ignore[attr-defined]
        client = session.query(Client).one()
        assert client.created_at.tzinfo is UTC or client.created_at.utcoffset().total_seconds() == 0
