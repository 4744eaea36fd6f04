"""`review start|complete|due` through the real entry point: completing a review records the
decision, sets the subject's next review date from its interval, and `review due` stops
listing it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from vendorrisk.compliance.checklist import load_review_checklist
from vendorrisk.config import ReviewSettings

REVIEW_KINDS = {"contract.review", "vendor.review"}


@pytest.fixture
def demo(run: Run, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    assert run("demo").code == 0
    return run


def _due(run: Run) -> list[dict[str, Any]]:
    done = run("review", "due", "--json")
    assert done.code == 0, done.err
    items: list[dict[str, Any]] = json.loads(done.out)
    return items


def _review_items(run: Run, subject: str) -> list[dict[str, Any]]:
    return [i for i in _due(run) if i["kind"] in REVIEW_KINDS and i["subject"] == subject]


def _complete(run: Run, tmp_path: Path, subject: str) -> dict[str, Any]:
    started = run("review", "start", subject, "--json")
    assert started.code == 0, started.err
    review_id = json.loads(started.out)["id"]
    answers = tmp_path / f"answers-{review_id}.json"
    answers.write_text(json.dumps({i.id: "ok" for i in load_review_checklist().items}), "utf-8")
    done = run("review", "complete", str(review_id), "--decision", "renew", "--notes", "fine",
               "--answers", str(answers), "--json")
    assert done.code == 0, done.err
    record: dict[str, Any] = json.loads(done.out)
    return record


def _today() -> date:
    return datetime.now(UTC).date()


def test_contract_review_sets_next_date_and_leaves_the_due_list(demo: Run, tmp_path: Path
                                                                ) -> None:
    (overdue,) = _review_items(demo, "NS1 NS1-BP-2023")
    assert overdue["kind"] == "contract.review" and overdue["days_left"] < 0
    record = _complete(demo, tmp_path, "NS1-BP-2023")
    assert record["decision"] == "renew" and record["completed_at"]
    interval = ReviewSettings().interval_days(1, contract=True)  # NS1 is a tier-1 vendor
    expected = (_today() + timedelta(days=interval)).isoformat()
    assert record["next_review_date"] == expected
    shown = json.loads(demo("contract", "show", "NS1-BP-2023", "--json").out)
    assert shown["next_review_date"] == expected
    assert _review_items(demo, "NS1 NS1-BP-2023") == []
    # the date change is in the audit trail, before the review's own event
    log = json.loads(demo("audit", "log", "--entity", "contract", "--json").out)
    assert any(e["after"] == {"next_review_date": expected} for e in log)
    text = demo("review", "show", str(record["id"]))
    assert json.loads(text.out)["decision"] == "renew"


def test_vendor_review_leaves_the_due_list(demo: Run, tmp_path: Path) -> None:
    (never,) = _review_items(demo, "NS1")
    assert never["kind"] == "vendor.review" and never["detail"] == "never reviewed"
    record = _complete(demo, tmp_path, "NS1")
    interval = ReviewSettings().interval_days(1)
    assert record["next_review_date"] == (_today() + timedelta(days=interval)).isoformat()
    assert _review_items(demo, "NS1") == []
    # within a horizon past the interval, it is due again on that day
    later = json.loads(demo("review", "due", "--json", "--within", str(interval + 1)).out)
    (again,) = [i for i in later if i["kind"] == "vendor.review" and i["subject"] == "NS1"]
    assert again["due"] == record["next_review_date"]
    text = demo("review", "complete", str(record["id"]), "--decision", "renew")
    assert text.code != 0 and "was completed" in text.err
