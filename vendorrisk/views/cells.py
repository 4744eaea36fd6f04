"""Formatting shared by the UI read models: score cells, dates, yes/no, tones."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from vendorrisk.views.dto import Cell

NOT_SCORED = "not scored"
BAND_SHORT = {"low": "low", "medium": "med", "high": "high", "critical": "crit"}
"""Bands abbreviated so two scores with coverage fit an 80-column dashboard."""


_EMPTY = Cell("-", "muted")


def text(value: Any, empty: str = "-") -> Cell:
    if value is None or value == "" or value == []:
        return _EMPTY if empty == "-" else Cell(empty, "muted")
    if isinstance(value, (list, tuple)):
        return Cell(", ".join(str(v) for v in value))
    return Cell(str(value))


def number(value: int | float | None, tone: str | None = None) -> Cell:
    if value is None:
        return Cell("-", "muted", -1)
    return Cell(str(value), tone if value else None, value)


def when(value: date | datetime | str | None) -> Cell:
    if value is None or value == "":
        return Cell("-", "muted", "")
    if isinstance(value, datetime):
        return Cell(value.strftime("%Y-%m-%d %H:%M"), None, value.isoformat())
    if isinstance(value, date):
        return Cell(value.isoformat(), None, value.isoformat())
    return Cell(str(value)[:16].replace("T", " "), None, str(value))


def days_left(days: int | None, window: int = 90) -> Cell:
    if days is None:
        return Cell("-", "muted", 10**6)
    tone = "critical" if days < 0 else "high" if days <= 30 else "medium" if days <= window else None
    return Cell(f"{days}d", tone, days)


def yes_no(value: bool | None, *, good: bool = True) -> Cell:
    if value is None:
        return Cell("unknown", "muted")
    ok = value if good else not value
    return Cell("yes" if value else "no", "ok" if ok else "high")


@lru_cache(maxsize=4096)
def score(value: float | None, band: str | None, coverage: float | None = None) -> Cell:
    """A 0–100 score with its band; coverage below 100 % is shown as "(cov 80%)"."""
    if value is None:
        return Cell(NOT_SCORED, "muted", -1.0)
    cov = f" {coverage:.0%}" if coverage is not None and coverage < 0.995 else ""
    short = BAND_SHORT.get(band or "", band or "")
    return Cell(f"{value:.0f} {short}{cov}".strip(), band, float(value))


def severity(value: str) -> Cell:
    rank = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
    return Cell(value, value, rank.get(value, -1))


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
