"""Alembic migrations: the only way vendorrisk's schema is made."""
