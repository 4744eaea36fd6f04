"""Contracts and certifications: lists with editor forms (n new, Enter edit)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import BindingType

from vendorrisk.tui.screens.editor import EDIT_BINDINGS, EditableTableScreen, open_editor
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import Table


class RecordListScreen(EditableTableScreen):
    """Records edited in place: Enter opens the editor too."""

    BINDINGS: ClassVar[list[BindingType]] = EDIT_BINDINGS

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        open_editor(self, self.ENTITY, event.key)


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
