"""Vendors, domains and the audit log: table screens that open a detail or just list."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType

from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.editor import EDIT_BINDINGS, EditableTableScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import Table


class VendorsScreen(EditableTableScreen):
    MODE = "vendors"
    ENTITY = "vendor"
    BINDINGS: ClassVar[list[BindingType]] = EDIT_BINDINGS

    def fetch(self) -> Table:
        return self.backend.views.vendors(self.client)

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        self.open_detail(event.key)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def open_detail(self, key: str) -> None:
        """Fetch first, then push: the detail screen composes its tabs in one pass."""
        from vendorrisk.tui.screens.detail import VendorDetailScreen

        detail = self.backend.views.vendor_detail(key)
        self.app.call_from_thread(self.app.push_screen, VendorDetailScreen(key, detail))


class DomainsScreen(EditableTableScreen):
    MODE = "domains"
    ENTITY = "domain"
    SELECTABLE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select_row", "Select", id="domains.select"),
        Binding("p", "probe", "Probe", tooltip="Probe the selected domains", id="domains.probe"),
        *EDIT_BINDINGS,
    ]

    def fetch(self) -> Table:
        return self.backend.views.domains(self.client)

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        self.open_detail(int(event.key))

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def open_detail(self, domain_id: int) -> None:
        from vendorrisk.tui.screens.detail import DomainDetailScreen

        detail = self.backend.views.domain_detail(domain_id)
        self.app.call_from_thread(self.app.push_screen, DomainDetailScreen(domain_id, detail))

    def action_select_row(self) -> None:
        self.table.toggle_selected()

    def action_probe(self) -> None:
        from vendorrisk.tui.screens.probe import ProbeScreen

        source = self.table.source
        by_key = {r.key: r.cells[0].text for r in source.rows} if source else {}
        names = [by_key[k] for k in self.table.chosen() if k in by_key]
        if names:
            self.app.push_screen(ProbeScreen(names=names))


class AuditScreen(TableScreen):
    MODE = "audit"

    def fetch(self) -> Table:
        return self.backend.views.audit_log()

    def shown(self, table: Table) -> None:
        broken = "BROKEN" in table.note
        note = self.query_one("#note")
        note.set_class(broken, "-broken")
