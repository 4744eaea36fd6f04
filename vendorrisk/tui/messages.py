"""App-wide messages. Progress and data-changed messages coalesce (``can_replace``)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """Something was saved: screens reload their data when next shown."""

    what: str = ""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DataChanged)


@dataclass
class ProbeProgress(Message):
    done: int
    total: int
    domain: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ProbeProgress)


@dataclass
class ProbeFinished(Message):
    probed: int
    incomplete: int
    new_findings: int
    resolved_findings: int
    cancelled: bool
