"""The periodic contract review checklist."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.compliance.checklist import load_review_checklist
from vendorrisk.errors import ConfigError


def test_shipped_checklist() -> None:
    checklist = load_review_checklist()
    assert checklist.answers == ("ok", "issue", "not_applicable")
    ids = [i.id for i in checklist.items]
    assert len(ids) == len(set(ids)) >= 30
    for expected in ("exit_assistance", "data_return", "zone_export", "audit_rights",
                     "breach_notification", "subprocessors", "auto_renewal", "next_review"):
        assert expected in ids
    item = checklist.item("zone_export")
    assert item.evidence and item.risky_when and item.references
    assert item.contract_fields == ("zone_export",)
    with pytest.raises(KeyError):
        checklist.item("nope")


@pytest.mark.parametrize(("body", "line", "problem"), [
    ("answers: [ok]\nitems:\n  - id: a\n    area: A\n    question: Q?\n    evidence: E\n"
     "    risky_when: R\n    references: [X]\n  - id: a\n    area: A\n    question: Q?\n"
     "    evidence: E\n    risky_when: R\n    references: [X]\n", 9, "duplicate item id 'a'"),
    ("answers: [ok]\nitems:\n  - id: a\n    area: A\n    question: Q?\n    risky_when: R\n"
     "    references: [X]\n", 3, "'evidence' must be non-empty text"),
    ("answers: [ok]\nitems:\n  - id: Bad-Id\n", 3, "must be a snake_case name"),
    ("items: []\n", 1, "expected 'answers' (list) and 'items' (list)"),
])
def test_bad_checklists(tmp_path: Path, body: str, line: int, problem: str) -> None:
    path = tmp_path / "review-checklist.yaml"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_review_checklist(path)
    assert caught.value.message.startswith(f"{path}:{line}: "), caught.value.message
    assert problem in caught.value.message
