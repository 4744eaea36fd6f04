"""Contracts and certifications: lists with editor forms (n new, Enter edit)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from vendorrisk.dto import Table
from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.editor import open_editor
from vendorrisk.tui.widgets.filtered_table import FilteredTable


class RecordListScreen(TableScreen):
    ENTITY = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", tooltip="Add a record", id="records.new"),
        Binding("enter", "edit", "Edit", show=False, id="records.edit"),
    ]

    def action_new(self) -> None:
        open_editor(self, self.ENTITY, None)

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        open_editor(self, self.ENTITY, event.key)

    def action_edit(self) -> None:
        key = self.table.current_key
        if key:
            open_editor(self, self.ENTITY, key)


class ContractsScreen(RecordListScreen):
    MODE = "contracts"
    ENTITY = "contract"

    def fetch(self) -> Table:
        return self.backend.views.contracts(self.client)


class CertificationsScreen(RecordListScreen):
    MODE = "certifications"
    ENTITY = "certification"

    def fetch(self) -> Table:
        return self.backend.views.certifications(self.client)
