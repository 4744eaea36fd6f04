"""Observations and inventory facts in, findings out. Pure: no I/O, no database."""
