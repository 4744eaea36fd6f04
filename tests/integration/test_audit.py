"""The audit chain detects edits, deletions and reordering of stored events."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import text


def make_events(services: Any) -> None:
    inv = services.inventory
    inv.create("client", {"name": "Acme"})
    inv.create("vendor", {"name": "NS1", "kind": "dns_provider"})
    inv.update("vendor", "NS1", {"tier": "1"})
    inv.create("domain", {"name": "a.example", "client": "Acme"})


def test_intact_chain_verifies(services: Any) -> None:
    make_events(services)
    result = services.verify_audit()
    events = services.audit_log()
    assert result.ok and result.events == len(events) >= 4
    assert sum(e["entity_kind"] != "score_recompute" for e in events) == 4  # + their rescores


def test_edited_event_is_named(services: Any) -> None:
    make_events(services)
    with services.db.sessions() as session:
        session.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2"))
        session.commit()
    result = services.verify_audit()
    assert not result.ok
    assert result.broken_seq == 2
    assert "altered" in (result.problem or "")


def test_deleted_event_is_named(services: Any) -> None:
    make_events(services)
    with services.db.sessions() as session:
        session.execute(text("DELETE FROM audit_event WHERE seq = 3"))
        session.commit()
    result = services.verify_audit()
    assert not result.ok and result.broken_seq == 3


def test_truncated_tail_is_detected(services: Any) -> None:
    make_events(services)
    last = max(e["seq"] for e in services.audit_log())
    with services.db.sessions() as session:
        session.execute(text(f"DELETE FROM audit_event WHERE seq = {last}"))
        session.commit()
    result = services.verify_audit()
    assert not result.ok and f"head records event {last}" in (result.problem or "")


def test_each_event_links_to_the_previous_hash(services: Any) -> None:
    make_events(services)
    events = sorted(services.audit_log(), key=lambda e: e["seq"])
    assert events[0]["prev_hash"] == "0" * 64
    for earlier, later in itertools.pairwise(events):
        assert later["prev_hash"] == earlier["hash"]
    assert all(e["actor"] == "tester" for e in events)
