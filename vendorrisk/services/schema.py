"""Schema administration for `vendorrisk db`: upgrade and status, storage errors wrapped."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from vendorrisk.store import migrate
from vendorrisk.store.database import storage_error
from vendorrisk.store.session import check_url, make_engine, public_url


def public(url: str) -> str:
    """``url`` as shown: masked, once it is known to be well-formed (a ConfigError if not)."""
    check_url(url)
    return public_url(url)


def upgrade(url: str) -> tuple[str | None, str]:
    engine = make_engine(url)
    try:
        before = migrate.current_revision(engine)
        migrate.upgrade(engine)
        return before, migrate.head_revision()
    except SQLAlchemyError as exc:
        raise storage_error(url, exc) from exc
    finally:
        engine.dispose()


def status(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        current = migrate.current_revision(engine)
    except SQLAlchemyError as exc:
        raise storage_error(url, exc) from exc
    finally:
        engine.dispose()
    head = migrate.head_revision()
    return {"database": public_url(url), "current": current, "head": head,
            "up_to_date": current == head}
