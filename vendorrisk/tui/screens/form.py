"""A modal form: one input per field, inline validation, nothing saved while invalid.

Validation is the caller's (``vendorrisk.portfolio.fields.clean`` through the view service); saving runs
``submit`` in a worker thread, and a refusal from the service is shown in the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from vendorrisk.errors import VendorRiskError
from vendorrisk.tui.messages import DataChanged
from vendorrisk.tui.screens.base import WorkerErrors
from vendorrisk.views.dto import FormField

Validate = Callable[[dict[str, str]], Mapping[str, str]]
Submit = Callable[[dict[str, str]], Any]


class FormScreen(WorkerErrors, ModalScreen[bool]):
    CSS_PATH = "form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
    ]

    def __init__(self, title: str, fields: tuple[FormField, ...], submit: Submit, *,
                 validate: Validate | None = None, changed_only: bool = False) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.validate = validate
        self.changed_only = changed_only
        self.problems: Mapping[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"[b]{self.form_title}[/b]  (Ctrl+S save · Esc cancel)", id="form-title")
            with VerticalScroll(id="form-fields"):
                for f in self.fields:
                    yield Label(f.label + (" *" if f.required else ""), classes="field-label")
                    yield Input(f.value, placeholder=f.help, id=f"f-{f.name}", tooltip=f.help)
                    yield Static("", id=f"err-{f.name}", classes="field-error")
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._check()
        if self.fields:  # typing straight after the form opens goes into the first field
            self.query_one(f"#f-{self.fields[0].name}", Input).focus()

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            value = self.query_one(f"#f-{f.name}", Input).value
            if self.changed_only:
                if value != f.value:
                    out[f.name] = value
            elif value.strip():
                out[f.name] = value
        return out

    def _check(self) -> bool:
        self.problems = self.validate(self.values()) if self.validate else {}
        for f in self.fields:
            message = self.problems.get(f.name, "")
            err = self.query_one(f"#err-{f.name}", Static)
            err.update(message)
            err.display = bool(message)
            self.query_one(f"#f-{f.name}", Input).set_class(bool(message), "-invalid")
        self.query_one("#save", Button).disabled = bool(self.problems)
        return not self.problems

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._check()
        self.query_one("#form-error", Static).update("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self._check():
            self.query_one("#form-error", Static).update("Fix the fields marked above first.")
            return
        if self.changed_only and not self.values():
            self.dismiss(False)
            return
        self.save(self.values())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, values: dict[str, str]) -> None:
        try:
            self.submit(values)
        except VendorRiskError as exc:
            text = exc.message + (f" — {exc.hint}" if exc.hint else "")
            self.app.call_from_thread(self._refused, text)
            return
        self.app.call_from_thread(self._saved)

    def _refused(self, text: str) -> None:
        self.query_one("#form-error", Static).update(f"Not saved: {text}")

    def _saved(self) -> None:
        self.app.post_message(DataChanged(self.form_title))
        self.dismiss(True)
