"""Dashboard: per client, both scores, open critical/high, and what falls due in 90 days."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from vendorrisk.dto import Dashboard
from vendorrisk.tui.backend import Backend, backend
from vendorrisk.tui.screens.base import WorkerErrors
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.tui.widgets.nav import NavBar


class DashboardScreen(WorkerErrors, Screen[None]):
    CSS_PATH = "dashboard.tcss"
    AUTO_FOCUS = "DataTable"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_pane", "Pane", show=False, id="dashboard.pane"),
        Binding("c", "next_client", "Client", tooltip="Show the next client's deadlines",
                id="dashboard.client"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("e", "export", "Export", id="export"),
        Binding("p", "probe_client", "Probe client", id="dashboard.probe"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]

    @dataclass
    class Loaded(Message):
        dashboard: Dashboard

    def __init__(self) -> None:
        super().__init__()
        self.client: str | None = None
        self.generation = -1

    @property
    def backend(self) -> Backend:
        return backend(self.app)

    def compose(self) -> ComposeResult:
        yield NavBar("dashboard")
        yield Static("", id="title")
        yield FilteredTable(id="clients")
        yield Static("", id="upcoming-title")
        yield FilteredTable(id="upcoming")
        yield Footer()

    def on_screen_resume(self) -> None:
        current = getattr(self.app, "generation", 0)
        if current != self.generation:
            self.generation = current
            self.load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.backend.views.dashboard(self.client)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        d = event.dashboard
        who = d.client or "all clients"
        self.query_one("#title", Static).update(
            f"[b]Portfolio[/b] — {len(d.client_names)} clients · showing {who} "
            "· [b]c[/b] next client · [b]Enter[/b] pick")
        self.query_one("#upcoming-title", Static).update(f"[b]{d.upcoming.title}[/b]")
        self.query_one("#clients", FilteredTable).show(d.clients)
        self.query_one("#upcoming", FilteredTable).show(d.upcoming)

    @on(FilteredTable.Opened, "#clients")
    def _pick(self, event: FilteredTable.Opened) -> None:
        self.client = None if self.client == event.key else event.key
        self.load()

    def _focused_table(self) -> FilteredTable:
        for table in self.query(FilteredTable):
            if table.has_focus_within:
                return table
        return self.query_one("#clients", FilteredTable)

    def action_switch_pane(self) -> None:
        self.focus_next()

    def action_next_client(self) -> None:
        source = self.query_one("#clients", FilteredTable).source
        names = [r.key for r in source.rows] if source else []
        if not names:
            return
        index = names.index(self.client) + 1 if self.client in names else 0
        self.client = names[index] if index < len(names) else None
        self.load()

    def action_filter(self) -> None:
        self._focused_table().open_filter()

    def action_export(self) -> None:
        table = self._focused_table()
        if table.source is not None:
            self.export(table)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, table: FilteredTable) -> None:
        assert table.source is not None
        path = self.backend.views.export_csv(table.source, [r.key for r in table.matches],
                                             self.backend.services.settings.exports_path)
        self.app.call_from_thread(self.app.notify, f"Exported to {path}", title="Export")

    def action_reload(self) -> None:
        self.load()

    def action_probe_client(self) -> None:
        from vendorrisk.tui.screens.probe import ProbeScreen

        key = self.query_one("#clients", FilteredTable).current_key
        if key:
            self.app.push_screen(ProbeScreen(client=key))
