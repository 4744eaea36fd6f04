"""Shown on an empty database: how to import, or load the demo portfolio."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from vendorrisk.tui.backend import backend
from vendorrisk.tui.messages import DataChanged
from vendorrisk.tui.screens.base import WorkerErrors

WELCOME = """\
[b]Welcome to vendorrisk[/b]

This database is empty. vendorrisk shows, for every client, which DNS providers,
registrars and DNS vendors it depends on, how hard leaving each would be, and
whether they are compliant.

To start, either
  • load the demo portfolio (a fictional MSP) — press [b]d[/b] or the button below, or
  • import your inventory from a shell:
      vendorrisk import inventory.xlsx      (or .csv)
      vendorrisk client add NAME · vendorrisk domain add NAME --client NAME
  then press [b]ctrl+r[/b] here.

Press [b]q[/b] to quit, [b]?[/b] for help."""


class WelcomeScreen(WorkerErrors, Screen[None]):
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen Vertical { width: 84; max-width: 100%; height: auto; padding: 1 2;
                             border: round $primary; }
    WelcomeScreen Button { margin: 1 1 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "demo", "Load demo", id="welcome.demo"),
        Binding("ctrl+r", "check", "Reload", id="welcome.reload"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(WELCOME)
            with Center():
                yield Button("Load the demo portfolio", id="demo", variant="primary")
        yield Footer(compact=True)

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        self.query_one("#demo", Button).disabled = True
        self.load_demo()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def load_demo(self) -> None:
        b = backend(self.app)
        b.services.load_demo(today=b.clock())
        self.app.call_from_thread(self._done)

    def action_check(self) -> None:
        self.check()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def check(self) -> None:
        if not backend(self.app).views.is_empty():
            self.app.call_from_thread(self._done)

    def _done(self) -> None:
        self.app.post_message(DataChanged("welcome"))
        self.dismiss()
