"""Golden explanations for a few demo subjects (fixed clock). Regenerate with
VENDORRISK_UPDATE_GOLDEN=1 after a deliberate change to weights, rules or the demo."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from vendorrisk.services.demo import load_demo

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "scoring" / "demo"
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SUBJECTS = [("domain", "bücher-demo.example"), ("vendor", "NS1"),
            ("client", "Baltic Pay UAB")]


def summary(score: Any) -> dict[str, Any]:
    return {
        "subject": score.subject,
        "lockin": round(score.lockin, 1), "compliance": round(score.compliance, 1),
        "bands": [score.band_lockin, score.band_compliance],
        "coverage": [round(score.coverage_lockin, 2), round(score.coverage_compliance, 2)],
        "factors": sorted(f"{f.id} {f.state} {round(f.points, 1)} {f.subject}"
                          for f in score.factors),
    }


@pytest.mark.parametrize(("kind", "name"), SUBJECTS)
def test_demo_explanation_matches_golden(services: Any, kind: str, name: str) -> None:
    load_demo(services, today=TODAY)
    (score,) = services.scoring.explain(now=NOW, **{kind: name})
    got = summary(score)
    path = GOLDEN / f"{kind}-{name.replace(' ', '_')}.json"
    if os.environ.get("VENDORRISK_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(path.read_text())
