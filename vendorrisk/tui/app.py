"""The Textual app: modes for the main screens, shared bindings, command palette, probing.

``build_app`` is the one factory used by the CLI, the demo and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import PurePath
from typing import Any, ClassVar, Protocol, cast

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from vendorrisk.services.app import Services
from vendorrisk.tui.backend import Backend
from vendorrisk.tui.messages import DataChanged
from vendorrisk.tui.screens.base import report_failure
from vendorrisk.tui.screens.dashboard import DashboardScreen
from vendorrisk.tui.screens.editor import open_editor
from vendorrisk.tui.screens.findings import FindingsScreen
from vendorrisk.tui.screens.lists import AuditScreen, DomainsScreen, VendorsScreen
from vendorrisk.tui.screens.picker import PickerScreen
from vendorrisk.tui.screens.records import CertificationsScreen, ContractsScreen
from vendorrisk.tui.screens.reviews import ReviewsScreen
from vendorrisk.tui.screens.text import TextScreen
from vendorrisk.tui.screens.welcome import WelcomeScreen
from vendorrisk.tui.widgets.nav import SCREENS
from vendorrisk.warnpolicy import hide_foreign_warnings

SCREEN_STYLES = ("dashboard", "table_screen", "detail", "form")
"""The ``.tcss`` files in ``screens/`` (each screen also names its own in ``CSS_PATH``)."""


class _Reloading(Protocol):
    """A screen with a ``generation`` (table screens, the dashboard): reloads when resumed."""

    generation: int

    def on_screen_resume(self) -> None: ...


class VendorRiskApp(App[None]):
    TITLE = "vendorrisk"
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "theme.tcss", *(f"screens/{name}.tcss" for name in SCREEN_STYLES)]
    """Every screen's stylesheet, read at start: a screen that brought its own on first show
    would make Textual re-parse and re-apply all CSS to every widget of the app."""
    MODES: ClassVar[dict[str, Any]] = {
        "dashboard": DashboardScreen, "vendors": VendorsScreen, "domains": DomainsScreen,
        "findings": FindingsScreen, "contracts": ContractsScreen,
        "certifications": CertificationsScreen, "reviews": ReviewsScreen, "audit": AuditScreen,
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", tooltip="Keys for this screen", id="help"),
        *(Binding(key, f"switch_mode('{mode}')", label, show=False, id=f"goto.{mode}")
          for key, mode, label in SCREENS),
        Binding("c", "switch_client", "Client", tooltip="Show one client, or all of them",
                id="client"),
        Binding("P", "probe_all", "Probe all", show=False, id="probe_all"),
        Binding("W", "workbook", "Workbook", show=False,
                tooltip="Write the procurement workbook (for the client shown)", id="workbook"),
    ]

    def __init__(self, services: Services, *, clock: Callable[[], date] | None = None) -> None:
        super().__init__()
        self.backend = Backend(services, clock)
        self.generation = 0
        self.client: str | None = None
        """The client every screen is narrowed to (None: all clients)."""

    def on_mount(self) -> None:
        self.check_empty()

    @work(thread=True, exclusive=True, group="startup", exit_on_error=False)
    def check_empty(self) -> None:
        if self.backend.views.is_empty():
            self.call_from_thread(self.push_screen, WelcomeScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_failure(self, event.worker)

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        """Bump the generation; the visible screen reloads now, the others when shown."""
        self.generation += 1
        for node in self.screen_stack:
            if hasattr(node, "generation"):  # table screens: now if shown, else when shown
                if node is self.screen:
                    cast(_Reloading, node).on_screen_resume()
            elif hasattr(node, "load"):  # details and questionnaires under a form: now
                node.load()

    # -- actions ----------------------------------------------------------------------------
    def action_switch_client(self) -> None:
        self.pick_client()

    @work(thread=True, exclusive=True, group="picker", exit_on_error=False)
    def pick_client(self) -> None:
        choices = [(name, name) for name in self.backend.views.names("client")]
        self.call_from_thread(self.push_screen, PickerScreen(
            "Show client", choices, current=self.client, all_label="All clients"),
            self.show_client)

    def show_client(self, picked: str | None) -> None:
        """Narrow every screen to ``picked`` (ALL: every client; None: picker cancelled)."""
        if picked is None or (picked or None) == self.client:
            return
        self.client = picked or None
        self.post_message(DataChanged("client"))

    def action_workbook(self) -> None:
        self.write_workbook(self.client)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write_workbook(self, client: str | None) -> None:
        self.call_from_thread(self.notify, "Writing the procurement workbook…", title="Export")
        result = self.backend.services.exports.workbook(  # a second one that day: "…-2.xlsx"
            client=client, today=self.backend.clock(), free_name=True)
        rows = sum(result.rows.values())
        self.call_from_thread(self.notify, f"Wrote {result.path} ({rows} rows)", title="Export")

    def action_help(self) -> None:
        half = len(SCREENS) // 2
        own = screen_bindings(self.screen)
        enter_is_own = any(b.key == "enter" for b in own)
        lines = ["Screens:    " + "  ".join(f"{k} {label}" for k, _, label in SCREENS[:half]),
                 "            " + "  ".join(f"{k} {label}" for k, _, label in SCREENS[half:]),
                 "Everywhere: q quit · ? help · ctrl+p palette · c show one client",
                 "            P probe everything · W procurement workbook",
                 "Tables:     / filter as you type · s sort · e export rows shown",
                 "            [ ] page" + ("" if enter_is_own else " · Enter open"), "",
                 "This screen:"]
        # No key twice: the header's keys, then each key once, the screen's own first.
        keys = set(HELP_HEADER_KEYS) | (set() if enter_is_own else {"enter"})
        actions: set[str] = set()

        def fresh(b: Binding) -> bool:
            names = {k.strip() for k in b.key.split(",")}
            if not b.description or b.action in actions or names & keys:
                return False
            actions.add(b.action)
            keys.update(names)
            return True

        lines += [self._help_line(b) for b in own if fresh(b)]
        others = [self._help_line(active.binding) for active in self.active_bindings.values()
                  if not (active.binding.id or "").startswith("goto.") and fresh(active.binding)]
        if others:
            lines += ["", "Also here:", *others]
        self.push_screen(TextScreen("Help", lines))

    def _help_line(self, binding: Binding) -> str:
        first = replace(binding, key=binding.key.split(",")[0].strip())  # not "c,super+^c"
        return (f"  {self.get_key_display(first):<10} {binding.description}"
                + (f" — {binding.tooltip}" if binding.tooltip else ""))

    def action_probe_all(self) -> None:
        from vendorrisk.tui.screens.probe import ProbeScreen

        self.push_screen(ProbeScreen(everything=True))

    def action_new(self, entity: str) -> None:
        mode = {"client": "dashboard", "vendor": "vendors", "domain": "domains",
                "contract": "contracts", "certification": "certifications"}[entity]
        self.switch_mode(mode)
        open_editor(self.screen, entity, None)

    def action_verify_audit(self) -> None:
        self.verify_audit()

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def verify_audit(self) -> None:
        result = self.backend.services.verify_audit()
        text = (f"Audit chain intact: {result.events} events" if result.ok
                else f"Audit chain BROKEN at event {result.broken_seq}: {result.problem}")
        self.call_from_thread(self.notify, text, severity="information" if result.ok else "error")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, mode, label in SCREENS:
            yield SystemCommand(f"Go to {label}", f"Open the {label.lower()} screen (key {key})",
                                partial(self.switch_mode, mode))
        yield SystemCommand("Probe everything", "Probe every domain in the inventory",
                            self.action_probe_all)
        yield SystemCommand("Show one client", "Narrow every screen to one client (key c)",
                            self.action_switch_client)
        for entity in ("client", "vendor", "domain", "contract", "certification"):
            yield SystemCommand(f"New {entity}", f"Add a {entity}",
                                partial(self.action_new, entity))
        yield SystemCommand("Export procurement workbook",
                            "Every sheet, for the client shown or all clients (key W)",
                            self.action_workbook)
        yield SystemCommand("Verify audit chain", "Check the tamper-evident audit trail",
                            self.action_verify_audit)
        yield SystemCommand("Help", "Keys for this screen", self.action_help)
        for binding in screen_bindings(screen):
            yield SystemCommand(f"{binding.description} ({screen.__class__.__name__})",
                                binding.tooltip or binding.description,
                                partial(self.run_action, binding.action, screen))


HELP_HEADER_KEYS = frozenset({
    *(key for key, _, _ in SCREENS), "q", "question_mark", "ctrl+p", "c", "P", "W", "slash", "s",
    "e", "left_square_bracket", "right_square_bracket"})
"""The keys the help page's header already explains: not listed again under the screen."""


def screen_bindings(screen: Screen[Any]) -> list[Binding]:
    """The screen's own bindings with a description (its classes', most specific first), one
    per action: what help lists first and the command palette offers."""
    seen: set[str] = set()
    out = []
    for cls in type(screen).__mro__:
        for binding in vars(cls).get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description and binding.action not in seen:
                seen.add(binding.action)
                out.append(binding)
    return out


def build_app(services: Services, *, clock: Callable[[], date] | None = None) -> VendorRiskApp:
    """The one factory: CLI, demo and tests build the app here (``clock`` fixes "today")."""
    return VendorRiskApp(services, clock=clock)


def run_tui(services: Services) -> None:
    hide_foreign_warnings()  # a warning printed on stderr would tear the screen
    build_app(services).run()
