"""The one-line screen switcher at the top: number keys, the current screen highlighted, and
the client the app is narrowed to. Labels shorten as the terminal narrows, so the current
screen and the client always stay readable at 80 columns."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

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
SHORT = {"dashboard": "Home", "contracts": "Contr", "findings": "Find", "reviews": "Rev"}


def nav_text(current: str, client: str | None, width: int) -> Text:
    """The bar for ``width`` cells: full labels if they fit, then short ones, then keys only
    (the current screen keeps its label)."""
    name = client if client is None or len(client) <= 30 else client[:29] + "…"
    scope = Text(f" client: {name} " if name else "", style="bold reverse")
    for style in ("full", "short", "keys"):
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, mode, label in SCREENS:
            here = mode == current
            if style == "short" and not here:
                label = SHORT.get(mode, label)
            text.append(f" {key}", style="bold reverse" if here else "bold")
            if style != "keys" or here:
                text.append(f" {label}", style="bold reverse" if here else "")
            if here:
                text.append(" ", style="bold reverse")
        if text.cell_len + scope.cell_len <= width:
            break
    text.append(" " * max(1, width - text.cell_len - scope.cell_len))
    text.append_text(scope)
    return text


class NavBar(Widget):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        return nav_text(self.current, getattr(self.app, "client", None), self.size.width)
