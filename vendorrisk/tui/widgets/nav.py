"""The one-line screen switcher at the top: number keys, current screen highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SCREENS: tuple[tuple[str, str, str], ...] = (
    ("1", "dashboard", "Dashboard"),
    ("2", "vendors", "Vendors"),
    ("3", "domains", "Domains"),
    ("4", "findings", "Findings"),
    ("5", "contracts", "Contracts"),
    ("6", "certifications", "Certs"),
    ("7", "reviews", "Reviews"),
    ("8", "audit", "Audit"),
)


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(self._render_text(current))

    @staticmethod
    def _render_text(current: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, mode, label in SCREENS:
            style = "bold reverse" if mode == current else ""
            text.append(f" {key}", style="bold " + style)
            text.append(f" {label} ", style=style)
        return text
