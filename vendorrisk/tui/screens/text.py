"""A modal page of text (finding evidence, help): Esc or q closes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class TextScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > Vertical { width: 90%; max-width: 110; height: 90%; border: thick $primary;
                            background: $surface; padding: 0 1; }
    TextScreen #text-title { height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Close", id="text.close"),
        Binding("q", "app.pop_screen", "Close", show=False, id="text.close_q"),
    ]

    def __init__(self, title: str, lines: Sequence[str], *, markup: bool = False) -> None:
        super().__init__()
        self.page_title = title
        self.lines = list(lines)
        self.markup = markup

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{escape(self.page_title)}[/b]  (Esc closes)", id="text-title")
            with VerticalScroll():
                body = "\n".join(self.lines if self.markup else (escape(x) for x in self.lines))
                yield Static(body, id="text-body")
