"""Shared screen behaviour: worker failures become notifications; table screens load in workers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from vendorrisk.errors import VendorRiskError
from vendorrisk.masking import mask_secrets
from vendorrisk.tui.backend import Backend, backend
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.tui.widgets.nav import NavBar
from vendorrisk.views.dto import Table

log = logging.getLogger(__name__)


def report_failure(node: Any, worker: Worker[Any]) -> None:
    """Show a failed worker's error: VendorRiskError message and hint, else the exception."""
    error = worker.error
    if isinstance(error, VendorRiskError):
        text = error.message + (f"\n{error.hint}" if error.hint else "")
    else:
        log.error("worker %s failed", worker.name, exc_info=error)
        text = f"{type(error).__name__}: {error}"
    node.app.notify(mask_secrets(text), title="Could not finish", severity="error", timeout=8)


class ScopedApp(Protocol):
    """What screens need of the app's client scope (the app module imports the screens)."""

    client: str | None
    """The client every screen is narrowed to (None: all clients)."""

    def show_client(self, picked: str | None) -> None: ...


def shown_client(app: Any) -> str | None:
    """The client the app is narrowed to (None: all clients)."""
    return getattr(app, "client", None)


def follow_rename(app: Any, old: str, new: str) -> None:
    """Keep the app narrowed to a client that was just renamed."""
    if shown_client(app) == old:
        cast(ScopedApp, app).client = new


def export_view(screen: Screen[Any], table: FilteredTable) -> None:
    """Write what ``table`` shows (its filter and sort applied) to a workbook, in a worker."""
    if table.source is None:
        return
    source, keys, needle = table.source, [r.key for r in table.matches], table.needle
    b, client = backend(screen.app), shown_client(screen.app)

    def write() -> None:
        path = b.views.export_view(source, keys, b.services.settings.exports_path,
                                   filter_text=needle, client=client)
        screen.app.call_from_thread(screen.app.notify, f"Exported {len(keys)} rows to {path}",
                                    title="Export")

    screen.run_worker(write, thread=True, exclusive=True, group="export", exit_on_error=False)


class WorkerErrors:
    """Mixin for screens: a worker that fails is reported, never silent."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_failure(self, event.worker)


class TableScreen(WorkerErrors, Screen[None]):
    """A screen showing one :class:`Table`: `/` filter, `s` sort, `e` export, `[`/`]` page."""

    CSS_PATH = "table_screen.tcss"
    AUTO_FOCUS = "DataTable"
    MODE = ""
    SELECTABLE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="Filter the table as you type", id="filter"),
        Binding("s", "sort", "Sort", tooltip="Sort by a column (again: reverse, next column)",
                id="sort"),
        Binding("e", "export", "Export", tooltip="Write the rows shown to a workbook", id="export"),
        Binding("left_square_bracket", "page(-1)", "Prev page", show=False, id="page_prev"),
        Binding("right_square_bracket", "page(1)", "Next page", show=False, id="page_next"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]

    @dataclass
    class Loaded(Message):
        table: Table

    def __init__(self) -> None:
        super().__init__()
        self.generation = -1

    @property
    def backend(self) -> Backend:
        return backend(self.app)

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        yield from self.compose_top()
        yield Static("", id="note")
        yield FilteredTable(selectable=self.SELECTABLE, id="table")
        yield Footer(compact=True)

    def compose_top(self) -> ComposeResult:
        yield from ()

    @property
    def table(self) -> FilteredTable:
        return self.query_one("#table", FilteredTable)

    @property
    def client(self) -> str | None:
        return shown_client(self.app)

    def on_screen_resume(self) -> None:
        self.query_one(NavBar).refresh()
        current = getattr(self.app, "generation", 0)
        if current != self.generation:
            self.generation = current
            self.load()

    def fetch(self) -> Table:
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.fetch()))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.query_one("#note", Static).update(event.table.note)
        self.table.show(event.table)
        self.shown(event.table)

    def shown(self, table: Table) -> None:
        """Hook after new data is on screen."""

    def action_filter(self) -> None:
        self.table.open_filter()

    def action_sort(self) -> None:
        self.table.cycle_sort()

    def action_page(self, delta: int) -> None:
        self.table.turn_page(delta)

    def action_reload(self) -> None:
        self.load()

    def action_export(self) -> None:
        export_view(self, self.table)
