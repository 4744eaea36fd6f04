"""Migrations are the only way the schema is made; they must match the models on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from vendorrisk.config import Settings
from vendorrisk.errors import StorageError
from vendorrisk.services.app import open_services
from vendorrisk.store import migrate
from vendorrisk.store.models import Base
from vendorrisk.store.session import make_engine


def test_upgrade_leaves_no_difference_from_models_then_downgrades(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        leftover = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert leftover == set()
    finally:
        engine.dispose()


def test_revision_chain_is_linear() -> None:
    script = migrate.script_directory()
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    bases = [r for r in revisions if r.down_revision is None]
    assert len(bases) == 1
    for rev in revisions:
        assert not isinstance(rev.down_revision, (tuple, list)), f"{rev.revision} is a merge"
        assert len(rev.nextrev) <= 1, f"{rev.revision} branches"


def test_revision_files_are_date_prefixed() -> None:
    for rev in migrate.script_directory().walk_revisions():
        name = rev.path.rsplit("/", 1)[-1]
        assert name[:8].isdigit(), name


def test_opening_a_database_that_is_behind_upgrades_it(empty_db_url: str) -> None:
    services = open_services(Settings(db=empty_db_url, user="t"))
    try:
        assert migrate.current_revision(services.db.engine) == migrate.head_revision()
        services.inventory.create("client", {"name": "Acme"})
    finally:
        services.close()


def test_refuses_when_auto_upgrade_is_off(empty_db_url: str) -> None:
    with pytest.raises(StorageError, match="vendorrisk db upgrade"):
        open_services(Settings(db=empty_db_url, user="t", auto_upgrade=False))
