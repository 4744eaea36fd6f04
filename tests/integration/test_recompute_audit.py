"""A score recompute is one audit event (who, when, how many subjects, the scoring version),
not one per snapshot row (issue #22)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vendorrisk.config import Settings
from vendorrisk.services.app import Services, open_services
from vendorrisk.services.demo import load_demo
from vendorrisk.store.models import AuditEvent, ScoreSnapshot


def _events(services: Services) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(actor, label, after) of every recompute event, oldest first."""
    with services.db.session(readonly=True) as s:
        return [(e.actor, e.entity_label, dict(e.after or {})) for e in s.execute(
            select(AuditEvent).where(AuditEvent.entity_kind == "score_recompute")
            .order_by(AuditEvent.seq)).scalars()]


def test_a_recompute_is_one_audited_event(tmp_path: Path) -> None:
    services = open_services(Settings(db=f"sqlite:///{tmp_path / 'v.db'}", user="alice"))
    load_demo(services, today=date(2026, 3, 31))
    [(actor, _, loaded)] = _events(services)
    with services.db.session(readonly=True) as s:
        snapshots = len(s.execute(select(ScoreSnapshot.id)).all())
    assert actor == "alice"
    assert loaded["snapshots"] == snapshots > 100
    assert loaded["subjects"] == snapshots  # first recompute: every subject is new
    assert loaded["scoring_version"] == "2"
    services.scoring.recompute(now=datetime(2026, 4, 1, 12, tzinfo=UTC), note="again")
    events = _events(services)
    assert len(events) == 2 and events[1][1] == "again"
    assert events[1][2]["subjects"] == snapshots and events[1][2]["snapshots"] < snapshots
    assert services.verify_audit().ok
    services.close()
