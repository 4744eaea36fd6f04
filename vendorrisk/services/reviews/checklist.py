"""A review's checklist: the blank one a review starts with, answering it, and the same
answers typed as text (``ok``, ``issue:the note``) on the command line or in the UI form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vendorrisk.compliance.checklist import ReviewChecklist
from vendorrisk.errors import InputError
from vendorrisk.store import audit
from vendorrisk.views.dto import FormField
from vendorrisk.vocab import ReviewDecision

DECISIONS = tuple(d.value for d in ReviewDecision)
ITEM_PREFIX = "item-"
"""Form field name of a checklist item: ``item-<id>`` (``decision`` and ``notes`` are the rest)."""


def blank(checklist: ReviewChecklist, contract_facts: Mapping[str, Any]) -> dict[str, Any]:
    """Every item unanswered, with the contract facts it reads (none for a vendor review)."""
    out = {}
    for item in checklist.items:
        known = {f: contract_facts[f] for f in item.contract_fields if f in contract_facts}
        out[item.id] = {"area": item.area, "question": item.question, "answer": None,
                        "note": None, "facts": audit.jsonable(known)}
    return out


def answer(checklist: ReviewChecklist, record: dict[str, Any],
           answers: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` (a review's stored checklist) with ``answers`` applied; refuses unknown items
    and answers the checklist does not allow."""
    allowed = checklist.answers
    for item_id, given in answers.items():
        if item_id not in record:
            raise InputError(f"no checklist item {item_id!r}", f"items: {', '.join(record)}")
        value, note = (given.get("answer"), given.get("note")) if isinstance(given, Mapping) \
            else (given, None)
        value = str(value or "").strip().lower()
        if value not in allowed:
            raise InputError(f"checklist item {item_id}: answer must be one of "
                             f"{', '.join(allowed)}, got {value!r}")
        record[item_id] = {**record[item_id], "answer": value, "note": note}
    return record


def unanswered(record: Mapping[str, Any]) -> list[str]:
    return [k for k, v in record.items() if not v.get("answer")]


def parse_answer(text: str) -> dict[str, Any]:
    """``ANSWER[:NOTE]`` as typed -> ``{"answer", "note"}`` (the note None when empty)."""
    value, _, note = text.partition(":")
    return {"answer": value.strip(), "note": note.strip() or None}


def answer_text(item: Mapping[str, Any]) -> str:
    """A stored item's answer as it is typed (empty when unanswered)."""
    if not item.get("answer"):
        return ""
    return str(item["answer"]) + (f":{item['note']}" if item.get("note") else "")


# -- the completion form ---------------------------------------------------------------------
def form_fields(checklist: ReviewChecklist, record: Mapping[str, Any]) -> tuple[FormField, ...]:
    """Decision, notes, then one field per item of ``record`` (a review's stored checklist),
    in the checklist's order."""
    hint = " | ".join(checklist.answers) + ", optionally :note"
    out = [FormField("decision", "decision", "", " | ".join(DECISIONS), True),
           FormField("notes", "notes", "", "what was decided and why")]
    rank = {item.id: i for i, item in enumerate(checklist.items)}
    for item_id, item in sorted(record.items(), key=lambda kv: rank.get(kv[0], len(rank))):
        facts = "; ".join(f"{k}: {v}" for k, v in (item.get("facts") or {}).items())
        out.append(FormField(ITEM_PREFIX + item_id, f"{item['area']}: {item['question']}",
                             answer_text(item), hint + (f" — {facts}" if facts else ""), True))
    return tuple(out)


def form_problems(values: Mapping[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    """field -> message for a decision or an answer the review would refuse (empty answers are
    left to the review, which names every item still to answer)."""
    out = {}
    if values.get("decision", "").strip().lower() not in DECISIONS:
        out["decision"] = "one of " + ", ".join(DECISIONS)
    for name, text in values.items():
        if name.startswith(ITEM_PREFIX) and text.strip() \
                and parse_answer(text)["answer"].lower() not in allowed:
            out[name] = "one of " + ", ".join(allowed)
    return out


def form_answers(values: Mapping[str, str]) -> tuple[str, str | None, dict[str, Any]]:
    """(decision, notes, answers) from the completion form's values."""
    answers = {name.removeprefix(ITEM_PREFIX): parse_answer(text)
               for name, text in values.items() if name.startswith(ITEM_PREFIX) and text.strip()}
    notes = values.get("notes", "").strip() or None
    return values.get("decision", "").strip(), notes, answers
