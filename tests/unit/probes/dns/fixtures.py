"""Load the recorded wire-format responses of tests/fixtures/dns (see record_fixtures.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import dns.message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "dns"


def wire(*parts: str) -> dns.message.Message:
    return dns.message.from_wire((FIXTURES.joinpath(*parts)).read_bytes())


def meta() -> tuple[datetime, str]:
    data = json.loads((FIXTURES / "meta.json").read_text())
    return datetime.fromisoformat(data["now"].replace("Z", "+00:00")), data["anchor"]
