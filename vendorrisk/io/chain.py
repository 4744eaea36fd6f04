"""A vendor's ranked subcontracting chain as one line of text, the way the workbook shows it
and a person types it: ``1. Akamai (anycast); 2. Equinix``. The workbook import, the CLI and
the terminal UI read it with :func:`parse_chain`; exports write it with :func:`format_chain`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_CHAIN_ITEM = re.compile(r"^\s*(?:\d+\.\s*)?(.*?)(?:\s*\(([^()]*)\))?\s*$")


def format_chain(links: Iterable[Mapping[str, Any]]) -> str:
    """A vendor record's ``subcontractors`` as the text :func:`parse_chain` reads back."""
    return "; ".join(f"{s['rank']}. {s['name']}" + (f" ({s['service']})" if s.get("service") else "")
                     for s in links)


def parse_chain(text: Any) -> list[tuple[str, str | None]]:
    """``1. Akamai (anycast); 2. Equinix`` -> [("Akamai", "anycast"), ("Equinix", None)]."""
    if text is None or str(text).strip() == "":
        return []
    chain = []
    for part in str(text).split(";"):
        match = _CHAIN_ITEM.match(part)
        if match and match.group(1).strip():
            chain.append((match.group(1).strip(), (match.group(2) or "").strip() or None))
    return chain
