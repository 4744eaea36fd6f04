"""How a finding's status reads and counts: a lapsed acceptance is open again, everywhere.

The CLI, the TUI lists and the workbook all take the status from ``views.derived``; scoring
counts with ``RecordedFinding.counts``. These tests pin that the two agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from vendorrisk.portfolio.facts import RecordedFinding
from vendorrisk.views.derived import acceptance_lapsed, shown_status
from vendorrisk.vocab import Severity

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("status", "until", "lapsed", "shown"), [
    ("open", None, False, "open"),
    ("accepted", date(2026, 12, 8), False, "accepted to 2026-12-08"),
    ("accepted", date(2026, 12, 7), True, "open (acceptance lapsed 2026-12-07)"),
    ("accepted", date(2026, 11, 1), True, "open (acceptance lapsed 2026-11-01)"),
    ("resolved", None, False, "resolved"),
])
def test_a_lapsed_acceptance_shows_and_counts_as_open(status: str, until: date | None,
                                                      lapsed: bool, shown: str) -> None:
    assert acceptance_lapsed(status, "cert.expired", until, NOW) is lapsed
    assert shown_status(status, until, lapsed) == shown
    end = datetime.combine(until, time.min, UTC) if until else None
    counts = RecordedFinding("cert.expired", Severity.HIGH, status, end).counts(NOW)
    assert counts is (status == "open" or lapsed)
