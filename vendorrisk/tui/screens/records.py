"""Contracts and certifications: lists with editor forms (n new, Enter edit)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType

from vendorrisk.dto import FormField, Table
from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.form import FormScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable


class RecordListScreen(TableScreen):
    ENTITY = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", tooltip="Add a record", id="records.new"),
        Binding("enter", "edit", "Edit", show=False, id="records.edit"),
    ]

    def action_new(self) -> None:
        self.open_form(None)

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        self.open_form(event.key)

    def action_edit(self) -> None:
        key = self.table.current_key
        if key:
            self.open_form(key)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def open_form(self, key: str | None) -> None:
        fields = self.backend.views.form(self.ENTITY, key)
        self.app.call_from_thread(self._show_form, key, fields)

    def _show_form(self, key: str | None, fields: tuple[FormField, ...]) -> None:
        inventory, views, entity = self.backend.services.inventory, self.backend.views, self.ENTITY
        if key is None:
            title = f"New {entity}"

            def submit(values: dict[str, str]) -> None:
                inventory.create(entity, values)
        else:
            title = f"Edit {entity} {key}"

            def submit(values: dict[str, str]) -> None:
                inventory.update(entity, key, values)
        partial = key is not None
        self.app.push_screen(FormScreen(
            title, fields, submit, changed_only=partial,
            validate=lambda raw: views.problems(entity, raw, partial=partial)))


class ContractsScreen(RecordListScreen):
    MODE = "contracts"
    ENTITY = "contract"

    def fetch(self) -> Table:
        return self.backend.views.contracts()


class CertificationsScreen(RecordListScreen):
    MODE = "certifications"
    ENTITY = "certification"

    def fetch(self) -> Table:
        return self.backend.views.certifications()
