"""Input facts: JSON-able, and when a recorded finding counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.unit.scoring.builders import NOW, finding, portfolio
from vendorrisk.portfolio.facts import to_jsonable


def test_portfolio_is_json_able() -> None:
    data = json.loads(json.dumps(to_jsonable(portfolio())))
    assert data["clients"]["acme"]["regimes"] == ["dora"]
    assert data["contracts"][0]["start"] == "2025-01-01"


@pytest.mark.parametrize(("status", "until", "counts"), [
    ("open", None, True),
    ("resolved", None, False),
    ("accepted", None, False),                       # accepted without end
    ("accepted", NOW + timedelta(seconds=1), False),
    ("accepted", NOW, True),                         # acceptance ends now
])
def test_recorded_finding_counts(status: str, until: object, counts: bool) -> None:
    assert finding("x.y", status=status, accepted_until=until).counts(NOW) is counts
