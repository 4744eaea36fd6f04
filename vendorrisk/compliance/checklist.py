"""The periodic contract review checklist (``data/review-checklist.yaml``).

A review walks every item and records one answer per item; the services layer stores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vendorrisk.datafiles import MarkedDict, Problems, line_of, load_yaml
from vendorrisk.paths import data_file

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEXT_KEYS = ("area", "question", "evidence", "risky_when")


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    area: str
    question: str
    evidence: str
    risky_when: str
    contract_fields: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True)
class ReviewChecklist:
    answers: tuple[str, ...]
    """Allowed answers per item, e.g. ok, issue, not_applicable."""
    items: tuple[ChecklistItem, ...]

    def item(self, item_id: str) -> ChecklistItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(f"checklist item {item_id!r} does not exist")


def _item(problems: Problems, node: object, seen: set[str]) -> ChecklistItem | None:
    if not isinstance(node, MarkedDict):
        problems.add(line_of(node), "a checklist item must be a mapping")
        return None
    iid = node.get("id")
    if not isinstance(iid, str) or not _ID.match(iid):
        problems.add(node.line_of("id"), f"item id {iid!r} must be a snake_case name")
        return None
    if iid in seen:
        problems.add(node.line_of("id"), f"duplicate item id {iid!r}")
    seen.add(iid)
    allowed = {"id", "contract_fields", "references", *_TEXT_KEYS}
    for key in set(node) - allowed:
        problems.add(node.line_of(key), f"{iid}: unknown key {key!r}")
    texts: dict[str, str] = {}
    for key in _TEXT_KEYS:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.add(node.line_of(key), f"{iid}: {key!r} must be non-empty text")
        texts[key] = str(value or "").strip()
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("contract_fields", "references"):
        value = node.get(key, [])
        if not isinstance(value, list):
            problems.add(node.line_of(key), f"{iid}: {key!r} must be a list")
            value = []
        lists[key] = tuple(str(v) for v in value)
    if not lists["references"]:
        problems.add(node.line, f"{iid}: needs at least one reference")
    return ChecklistItem(iid, texts["area"], texts["question"], texts["evidence"],
                         texts["risky_when"], lists["contract_fields"], lists["references"])


def load_review_checklist(path: Path | None = None) -> ReviewChecklist:
    """Load and validate ``data/review-checklist.yaml`` (or ``path``)."""
    path = path or data_file("review-checklist.yaml")
    data = load_yaml(path)
    problems = Problems(path)
    if not isinstance(data, MarkedDict) or not isinstance(data.get("items"), list) \
            or not isinstance(data.get("answers"), list) or not data["answers"]:
        problems.add(line_of(data), "expected 'answers' (list) and 'items' (list)")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    seen: set[str] = set()
    items = [_item(problems, n, seen) for n in data["items"]]
    problems.raise_if_any()
    return ReviewChecklist(tuple(str(a) for a in data["answers"]),
                           tuple(i for i in items if i is not None))
