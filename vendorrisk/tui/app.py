"""The Textual app. For now: the clients of the portfolio, quit with q (the full UI is issue 6)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from vendorrisk.services.app import Services


class VendorRiskApp(App[None]):
    TITLE = "vendorrisk"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading clients…", id="status")
        yield DataTable(id="clients", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#clients", DataTable)
        table.add_columns("Client", "Regimes", "Residency", "Account manager")
        self.load_clients()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_clients(self) -> None:
        rows = self.services.inventory.list("client")
        self.call_from_thread(self._show_clients, rows)

    def _show_clients(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#clients", DataTable)
        status = self.query_one("#status", Static)
        if not rows:
            status.update("No clients yet. Load the demo with `vendorrisk demo`, or add one "
                          "with `vendorrisk client add NAME`.")
            return
        status.update(f"{len(rows)} clients")
        for row in rows:
            table.add_row(row["name"], ", ".join(row["regimes"]) or "-",
                          row["residency"] or "-", row["account_manager"] or "-",
                          key=str(row["id"]))


def run_tui(services: Services) -> None:
    VendorRiskApp(services).run()
