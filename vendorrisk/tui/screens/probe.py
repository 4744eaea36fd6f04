"""Probe domains from the UI: an async worker around ProbingService.run, cancellable, with a
progress bar and live count; the rest of the UI keeps working while it runs.

The screen passes only what was asked (which domains); the probing service plans the run
(registration cache included) exactly as for ``vendorrisk probe``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from vendorrisk.services.probing import ProbeRequest
from vendorrisk.tui.backend import backend
from vendorrisk.tui.messages import DataChanged, ProbeFinished, ProbeProgress
from vendorrisk.tui.screens.base import WorkerErrors


class ProbeScreen(WorkerErrors, ModalScreen[bool]):
    DEFAULT_CSS = """
    ProbeScreen { align: center middle; }
    ProbeScreen > Vertical { width: 70; height: auto; border: thick $primary;
                             background: $surface; padding: 1 2; }
    ProbeScreen #probe-count { height: 2; }
    ProbeScreen Button { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel / close", id="probe.cancel"),
    ]

    def __init__(self, *, names: Sequence[str] = (), client: str | None = None,
                 everything: bool = False) -> None:
        super().__init__()
        self.names, self.client, self.everything = list(names), client, everything
        self.cancelled = False
        self.finished = False

    def compose(self) -> ComposeResult:
        scope = (f"{len(self.names)} domain(s)" if self.names else
                 f"client {self.client}" if self.client else "every domain")
        with Vertical():
            yield Static(f"[b]Probing {scope}[/b]")
            yield ProgressBar(id="probe-bar", show_eta=False)
            yield Static("Choosing domains…", id="probe-count")
            yield Button("Cancel", id="probe-button", variant="warning")

    def on_mount(self) -> None:
        self.run_probe()

    @work(exclusive=True, group="probe", exit_on_error=False)
    async def run_probe(self) -> None:
        probing = backend(self.app).services.probing
        request = ProbeRequest(names=tuple(self.names), client=self.client,
                               everything=self.everything)
        targets = await asyncio.to_thread(probing.targets, request)
        self.query_one("#probe-bar", ProgressBar).update(total=len(targets), progress=0)

        def progress(done: int, total: int, result: object) -> None:
            domain = getattr(getattr(result, "observation", None), "domain", "")
            self.post_message(ProbeProgress(done, total, domain))

        summary = await probing.run(targets, request, on_progress=progress,
                                    cancelled=lambda: self.cancelled)
        self.post_message(ProbeFinished(summary.probed, summary.incomplete, summary.new_findings,
                                        summary.resolved_findings, summary.cancelled))

    @on(ProbeProgress)
    def _progress(self, event: ProbeProgress) -> None:
        self.query_one("#probe-bar", ProgressBar).update(total=event.total, progress=event.done)
        self.query_one("#probe-count", Static).update(
            f"{event.done} of {event.total} probed · last: {event.domain}")

    @on(ProbeFinished)
    def _finished(self, event: ProbeFinished) -> None:
        self.finished = True
        state = "Cancelled" if event.cancelled else "Done"
        self.query_one("#probe-count", Static).update(
            f"{state}: {event.probed} probed, {event.incomplete} incomplete, "
            f"{event.new_findings} new and {event.resolved_findings} resolved findings")
        self.query_one("#probe-button", Button).label = "Close"
        self.app.post_message(DataChanged("probe"))

    @on(Button.Pressed, "#probe-button")
    def action_cancel(self) -> None:
        if self.finished or self.cancelled:
            self.dismiss(self.finished)
            return
        self.cancelled = True
        self.query_one("#probe-count", Static).update("Cancelling… (finishing the domains in flight)")
        self.query_one("#probe-button", Button).label = "Close"
