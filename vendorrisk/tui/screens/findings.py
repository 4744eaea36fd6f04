"""The findings queue: filter by severity, status, code, vendor and (app-wide) client, and by
text as you type; accept or resolve one finding or a selection."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.form import FormScreen
from vendorrisk.tui.screens.picker import PickerScreen
from vendorrisk.tui.screens.text import TextScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import FormField, Table

SEVERITIES: tuple[tuple[str, ...], ...] = ((), ("critical",), ("critical", "high"), ("medium",),
                                           ("low", "info"))
STATUSES: tuple[tuple[str, ...], ...] = (("open",), ("accepted",), ("resolved",), ())


class FindingsScreen(TableScreen):
    MODE = "findings"
    SELECTABLE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select_row", "Select", id="findings.select"),
        Binding("a", "accept", "Accept", tooltip="Accept the risk (justification, expiry)",
                id="findings.accept"),
        Binding("x", "resolve", "Resolve", id="findings.resolve"),
        Binding("o", "reopen", "Reopen", show=False, id="findings.reopen"),
        Binding("v", "severity", "Severity", show=False, tooltip="Cycle the severity filter",
                id="findings.severity"),
        Binding("t", "status", "Status", show=False,
                tooltip="Cycle open / accepted / resolved / all", id="findings.status"),
        Binding("k", "code", "Code", show=False, tooltip="Show one finding code",
                id="findings.code"),
        Binding("w", "vendor", "Vendor", show=False, tooltip="Show one vendor's findings",
                id="findings.vendor"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.severity = 0
        self.status = 0
        self.code_filter: str | None = None
        self.vendor_filter: str | None = None

    def compose_top(self) -> ComposeResult:
        yield Static("", id="scope")

    def fetch(self) -> Table:
        return self.backend.views.findings(
            statuses=STATUSES[self.status], severities=SEVERITIES[self.severity],
            client=self.client, vendor=self.vendor_filter,
            codes=(self.code_filter,) if self.code_filter else ())

    def shown(self, table: Table) -> None:
        sev = "/".join(SEVERITIES[self.severity]) or "all"
        status = "/".join(STATUSES[self.status]) or "all"
        parts = [("v", "sev", sev), ("t", "status", status), ("k", "code", self.code_filter),
                 ("w", "vendor", self.vendor_filter), ("c", "client", self.client)]
        self.query_one("#scope", Static).update(" · ".join(
            f"[dim]{key}[/dim] {what} [b]{escape(value or 'all')}[/b]"
            for key, what, value in parts))

    def action_select_row(self) -> None:
        self.table.toggle_selected()

    def action_severity(self) -> None:
        self.severity = (self.severity + 1) % len(SEVERITIES)
        self.load()

    def action_status(self) -> None:
        self.status = (self.status + 1) % len(STATUSES)
        self.load()

    def action_code(self) -> None:
        self.app.push_screen(PickerScreen("Show finding code", self.backend.views.finding_codes(),
                                          current=self.code_filter, all_label="All codes"),
                             self._picked("code_filter"))

    def action_vendor(self) -> None:
        self.pick_vendor()

    @work(thread=True, exclusive=True, group="picker", exit_on_error=False)
    def pick_vendor(self) -> None:
        names = self.backend.views.names("vendor")
        self.app.call_from_thread(
            self.app.push_screen, PickerScreen("Show vendor", [(n, n) for n in names],
                                               current=self.vendor_filter, all_label="All vendors"),
            self._picked("vendor_filter"))

    def _picked(self, what: str) -> Callable[[str | None], None]:
        def apply(picked: str | None) -> None:
            if picked is not None:
                setattr(self, what, picked or None)
                self.load()
        return apply

    def _ids(self) -> list[int]:
        return [int(k) for k in self.table.chosen()]

    def action_accept(self) -> None:
        ids = self._ids()
        if not ids:
            return
        service = self.backend.findings
        fields = (FormField("reason", "justification", "", "why the risk is acceptable", True),
                  FormField("until", "accepted until", "", "YYYY-MM-DD, after today", True))

        def validate(values: dict[str, str]) -> dict[str, str]:
            return {f.name: "is required" for f in fields if not values.get(f.name, "").strip()}

        def submit(values: dict[str, str]) -> None:
            service.accept(ids, values["reason"], values["until"])

        self.app.push_screen(FormScreen(f"Accept {len(ids)} finding(s)", fields, submit,
                                        validate=validate), self._after)

    def _after(self, saved: bool | None) -> None:
        if saved:
            self.table.selected.clear()

    def action_resolve(self) -> None:
        self.change("resolve", self._ids())

    def action_reopen(self) -> None:
        self.change("reopen", self._ids())

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def change(self, what: str, ids: list[int]) -> None:
        if not ids:
            return
        count = getattr(self.backend.findings, what)(ids)
        self.app.call_from_thread(self._changed, f"{what}d {count} finding(s)")

    def _changed(self, text: str) -> None:
        from vendorrisk.tui.messages import DataChanged

        self.table.selected.clear()
        self.app.notify(text.capitalize())
        self.app.post_message(DataChanged("findings"))

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        self.evidence(int(event.key))

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def evidence(self, finding_id: int) -> None:
        lines = self.backend.views.finding_evidence(finding_id)
        self.app.call_from_thread(self.app.push_screen, TextScreen(f"Finding {finding_id}", lines))
