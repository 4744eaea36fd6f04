"""Formula-injection defence for every spreadsheet and CSV vendorrisk writes.

A vendor name, WHOIS value or note such as ``=HYPERLINK(...)`` or ``@SUM(...)`` must reach a
reviewer as text, never run as a formula. OWASP's advice is to prefix such text with a single
quote; spreadsheet programs show it as text, and :func:`restore_text` undoes it on import.
Characters that XML 1.0 forbids (which openpyxl would reject) are dropped.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS: tuple[str, ...] = (
    "=", "+", "-", "@", "\t", "\r", "\n",
    "\uff1d", "\uff0b", "\uff0d", "\uff20",  # full-width = + - @, which some locales accept
)
"""A text starting with one of these (after leading spaces) could be read as a formula."""

QUOTE = "'"


def is_dangerous(text: str) -> bool:
    stripped = text.lstrip(" ")
    return stripped.startswith(FORMULA_TRIGGERS)


def safe_text(value: Any) -> Any:
    """Return ``value`` ready for a cell: text made inert, other values unchanged.

    Numbers, dates, booleans and None pass through, because they cannot be formulas and must
    stay typed (real dates and numbers in exports).
    """
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return QUOTE + text if is_dangerous(text) else text


def restore_text(value: Any) -> Any:
    """Undo :func:`safe_text` on a value read back from a vendorrisk export."""
    if isinstance(value, str) and value.startswith(QUOTE) and is_dangerous(value[1:]):
        return value[1:]
    return value
