"""Pick one value from a long list by typing: the client switcher and the findings filters.

Typing narrows the list, arrows move, Enter picks, Esc leaves things as they were. The screen
dismisses with the picked key, ``ALL`` for the "no filter" entry, or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

ALL = ""
"""The key of the entry that clears the filter."""


class PickerScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 60; max-width: 95%; height: 80%; border: thick $primary;
                              background: $surface; padding: 0 1; }
    PickerScreen #picker-title { height: 1; }
    PickerScreen OptionList { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], *,
                 current: str | None = None, all_label: str | None = "All") -> None:
        """``choices`` are (key, label) pairs; ``all_label`` names the entry that clears the
        filter (None: there is none)."""
        super().__init__()
        self.picker_title = title
        self.choices = ([(ALL, all_label)] if all_label is not None else []) + list(choices)
        self.current = ALL if current is None else current
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.picker_title}[/b]  (type to narrow · Enter pick · Esc cancel)",
                         id="picker-title", markup=True)
            yield Input(placeholder="type to narrow", id="picker-filter")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._show("")

    def _show(self, needle: str) -> None:
        words = needle.lower().split()
        options = self.query_one(OptionList)
        options.clear_options()
        shown = [(key, label) for key, label in self.choices
                 if all(w in label.lower() for w in words)]
        options.add_options(Option(Text(label, style="bold" if key == self.current else ""),
                                   id=f"k{index}")
                            for index, (key, label) in enumerate(shown))
        self._shown = [key for key, _ in shown]
        if self._shown:
            keep = self._shown.index(self.current) if self.current in self._shown else 0
            options.highlighted = keep

    @on(Input.Changed, "#picker-filter")
    def _narrow(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self, event: Input.Submitted) -> None:
        self._pick(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self._shown):
            self.dismiss(self._shown[index])

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
