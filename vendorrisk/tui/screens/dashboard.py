"""Dashboard: per client, both scores, open critical/high, and what falls due in 90 days."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from vendorrisk.tui.backend import Backend, backend
from vendorrisk.tui.screens.base import (
    ScopedApp,
    WorkerErrors,
    export_view,
    follow_rename,
    shown_client,
)
from vendorrisk.tui.screens.editor import open_editor
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.tui.widgets.nav import NavBar
from vendorrisk.views.dto import Dashboard


class DashboardScreen(WorkerErrors, Screen[None]):
    CSS_PATH = "dashboard.tcss"
    AUTO_FOCUS = "DataTable"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_pane", "Pane", show=False, id="dashboard.pane"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("e", "export", "Export", id="export"),
        Binding("p", "probe_client", "Probe client", id="dashboard.probe"),
        Binding("n", "new_client", "New client", show=False, id="dashboard.new"),
        Binding("E", "edit_client", "Edit client", show=False, id="dashboard.edit"),
        Binding("D", "dora", "DORA readiness", show=False,
                tooltip="The client's DORA register readiness and functions", id="dashboard.dora"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]

    @dataclass
    class Loaded(Message):
        dashboard: Dashboard

    def __init__(self) -> None:
        super().__init__()
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
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        self.query_one(NavBar).refresh()
        current = getattr(self.app, "generation", 0)
        if current != self.generation:
            self.generation = current
            self.load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.backend.views.dashboard(shown_client(self.app))))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        d = event.dashboard
        who = d.client or "all clients"
        self.query_one("#title", Static).update(
            f"[b]Portfolio[/b] — {len(d.client_names)} clients · showing {escape(who)} "
            "· [b]c[/b] or [b]Enter[/b] switch")
        self.query_one("#upcoming-title", Static).update(f"[b]{d.upcoming.title}[/b]")
        self.query_one("#clients", FilteredTable).show(d.clients)
        self.query_one("#upcoming", FilteredTable).show(d.upcoming)

    @on(FilteredTable.Opened, "#clients")
    def _pick(self, event: FilteredTable.Opened) -> None:
        """Enter on a client shows only that client everywhere; again shows all."""
        app = cast(ScopedApp, self.app)
        app.show_client("" if app.client == event.key else event.key)

    def _focused_table(self) -> FilteredTable:
        for table in self.query(FilteredTable):
            if table.has_focus_within:
                return table
        return self.query_one("#clients", FilteredTable)

    def action_switch_pane(self) -> None:
        self.focus_next()

    def action_new_client(self) -> None:
        open_editor(self, "client", None)

    def action_edit_client(self) -> None:
        key = self.query_one("#clients", FilteredTable).current_key
        if key:
            open_editor(self, "client", key, lambda record: self.app.call_from_thread(
                follow_rename, self.app, key, record["name"]))

    def action_dora(self) -> None:
        key = self.query_one("#clients", FilteredTable).current_key
        if key:
            self.open_dora(key)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def open_dora(self, client: str) -> None:
        """Fetch first, then push: the readiness is built off the UI thread."""
        from vendorrisk.tui.screens.dora import DoraScreen

        detail = self.backend.views.dora(client)
        self.app.call_from_thread(self.app.push_screen, DoraScreen(client, detail))

    def action_filter(self) -> None:
        self._focused_table().open_filter()

    def action_export(self) -> None:
        export_view(self, self._focused_table())

    def action_reload(self) -> None:
        self.load()

    def action_probe_client(self) -> None:
        from vendorrisk.tui.screens.probe import ProbeScreen

        key = self.query_one("#clients", FilteredTable).current_key
        if key:
            self.app.push_screen(ProbeScreen(client=key))
