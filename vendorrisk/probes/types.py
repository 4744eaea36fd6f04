"""Value types shared by every probe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reason:
    """Why part of a probe is unknown: which part, and what happened.

    ``part`` is a dotted name such as ``dns.delegation``, ``dns.server`` or
    ``registration.rdap``; ``message`` is one line a person can act on.
    """

    part: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"part": self.part, "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        return cls(part=str(data["part"]), message=str(data["message"]))

    def __str__(self) -> str:
        return f"{self.part}: {self.message}"
