"""Persistence: SQLAlchemy models, Alembic migrations, the unit of work, the audit trail,
findings sync, latest-per-subject queries and the mapping of rows to typed values."""
