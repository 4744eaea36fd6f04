"""DORA readiness of one client (D on the dashboard): which register templates are complete,
each cell still to fill with the command and the screen that fill it, and the client's
functions (B_06.01), added and edited here through the function service."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from vendorrisk.tui.backend import backend
from vendorrisk.tui.screens.detail import DetailScreen
from vendorrisk.tui.screens.form import FormScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import Detail, FormField

FUNCTIONS_TAB = "s2"
"""The id of the Functions tab (the third section of the readiness detail)."""


def open_function_editor(screen: Screen[Any], client: str, identifier: str | None) -> None:
    """The form for ``client``'s function ``identifier`` (None: a new one), fetched in a
    worker; saved through the function service, validated by the shared field rules."""

    def fetch() -> None:
        fields = backend(screen.app).views.function_form(client, identifier)
        screen.app.call_from_thread(_show, screen, client, identifier, fields)

    screen.run_worker(fetch, thread=True, exclusive=True, group="form", exit_on_error=False)


def _show(screen: Screen[Any], client: str, identifier: str | None,
          fields: tuple[FormField, ...]) -> None:
    b = backend(screen.app)
    functions, views = b.services.functions, b.views

    def submit(values: dict[str, str]) -> None:
        if identifier is None:
            functions.create({**values, "client": client})
        else:
            functions.update(client, identifier, values)

    def validate(raw: dict[str, str]) -> dict[str, str]:
        return views.problems("dora_function", {**raw, "client": client},
                              partial=identifier is not None)

    title = (f"Edit function {identifier} of {client}" if identifier is not None
             else f"New function of {client}")
    screen.app.push_screen(FormScreen(title, fields, submit, changed_only=identifier is not None,
                                      validate=validate))


class DoraScreen(DetailScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_function", "New function", id="dora.new"),
        Binding("E", "edit_function", "Edit function",
                tooltip="Edit the function under the cursor (Functions tab)", id="dora.edit"),
    ]

    def __init__(self, client: str, detail: Detail | None = None) -> None:
        super().__init__(detail)
        self.client = client

    def fetch(self) -> Detail:
        return self.backend.views.dora(self.client)

    def _function_key(self) -> str | None:
        table = self._table()
        if table is None or table.id != f"t{FUNCTIONS_TAB[1:]}":
            return None
        return table.current_key

    def action_new_function(self) -> None:
        open_function_editor(self, self.client, None)

    def action_edit_function(self) -> None:
        key = self._function_key()
        if key:
            open_function_editor(self, self.client, key)
        else:
            self.app.notify("Pick a function on the Functions tab first.", severity="warning")

    @on(FilteredTable.Opened)
    def _opened(self, event: FilteredTable.Opened) -> None:
        if event.control.id == f"t{FUNCTIONS_TAB[1:]}":
            open_function_editor(self, self.client, event.key)
