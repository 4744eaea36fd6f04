"""DORA register: client country, entity type and authority; contract DORA fields; functions

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 16:45:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import vendorrisk.store.models.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CLIENT: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("country", sa.String(length=2)),
    ("entity_type", sa.String(length=60)),
    ("competent_authority", sa.String(length=200)),
)
_CONTRACT: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("ict_service_type", sa.String(length=3)),
    ("past_year_expense", sa.Numeric(precision=14, scale=2)),
    ("data_storage", sa.Boolean()),
    ("substitutability_reason", sa.String(length=40)),
    ("reintegration", sa.String(length=40)),
    ("discontinuing_impact", sa.String(length=40)),
    ("alternatives_identified", sa.String(length=20)),
    ("last_audit_date", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("client") as batch:
        for name, type_ in _CLIENT:
            batch.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("contract") as batch:
        for name, type_ in _CONTRACT:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_table(
        "dora_function",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("licensed_activity", sa.String(length=20), nullable=True),
        sa.Column("criticality", sa.String(length=20), nullable=True),
        sa.Column("criticality_reason", sa.Text(), nullable=True),
        sa.Column("last_assessed", sa.Date(), nullable=True),
        sa.Column("rto_hours", sa.Integer(), nullable=True),
        sa.Column("rpo_hours", sa.Integer(), nullable=True),
        sa.Column("discontinuing_impact", sa.String(length=20), nullable=True),
        sa.Column("created_at", vendorrisk.store.models.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column("updated_at", vendorrisk.store.models.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.CheckConstraint("rpo_hours IS NULL OR rpo_hours >= 0", name=op.f("ck_dora_function_rpo_nonneg")),
        sa.CheckConstraint("rto_hours IS NULL OR rto_hours >= 0", name=op.f("ck_dora_function_rto_nonneg")),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"],
                                name=op.f("fk_dora_function_client_id_client"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dora_function")),
        sa.UniqueConstraint("client_id", "identifier",
                            name=op.f("uq_dora_function_client_id")),
    )
    op.create_index(op.f("ix_dora_function_client_id"), "dora_function", ["client_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dora_function_client_id"), table_name="dora_function")
    op.drop_table("dora_function")
    with op.batch_alter_table("contract") as batch:
        for name, _type in reversed(_CONTRACT):
            batch.drop_column(name)
    with op.batch_alter_table("client") as batch:
        for name, _type in reversed(_CLIENT):
            batch.drop_column(name)
