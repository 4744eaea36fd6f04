"""Alembic environment: runs on the connection vendorrisk hands over (see model.migrate)."""

from __future__ import annotations

from alembic import context

from vendorrisk.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("vendorrisk migrations run through `vendorrisk db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
