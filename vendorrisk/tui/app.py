"""The Textual app: modes for the main screens, shared bindings, command palette, probing.

``build_app`` is the one factory used by the CLI, the demo and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from vendorrisk.services.app import Services
from vendorrisk.services.views import utc_today
from vendorrisk.tui.backend import Backend
from vendorrisk.tui.messages import DataChanged
from vendorrisk.tui.screens.base import report_failure
from vendorrisk.tui.screens.dashboard import DashboardScreen
from vendorrisk.tui.screens.findings import FindingsScreen
from vendorrisk.tui.screens.lists import AuditScreen, DomainsScreen, VendorsScreen
from vendorrisk.tui.screens.records import CertificationsScreen, ContractsScreen
from vendorrisk.tui.screens.reviews import ReviewsScreen
from vendorrisk.tui.screens.text import TextScreen
from vendorrisk.tui.screens.welcome import WelcomeScreen
from vendorrisk.tui.widgets.nav import SCREENS


class VendorRiskApp(App[None]):
    TITLE = "vendorrisk"
    CSS_PATH = "theme.tcss"
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
        Binding("P", "probe_all", "Probe all", show=False, id="probe_all"),
    ]

    def __init__(self, services: Services, *, clock: Callable[[], date] = utc_today) -> None:
        super().__init__()
        self.backend = Backend(services, clock)
        self.generation = 0

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
        screen = self.screen
        if hasattr(screen, "on_screen_resume"):
            screen.on_screen_resume()
        for node in self.screen_stack:
            if node is not screen and hasattr(node, "load") and not hasattr(node, "generation"):
                node.load()

    # -- actions ----------------------------------------------------------------------------
    def action_help(self) -> None:
        lines = ["Screens: " + "  ".join(f"{k} {label}" for k, _, label in SCREENS), "",
                 "Everywhere: q quit · ? help · ctrl+p command palette · P probe everything",
                 "Tables: / filter as you type · s sort · e export · [ ] page · Enter open",
                 "", "This screen:"]
        seen = set()
        for key, active in self.active_bindings.items():
            b = active.binding
            if b.action in seen or (b.id and b.id.startswith("goto.")):
                continue
            seen.add(b.action)
            lines.append(f"  {b.key_display or key:<10} {b.description}"
                         + (f" — {b.tooltip}" if b.tooltip else ""))
        self.push_screen(TextScreen("Help", lines))

    def action_probe_all(self) -> None:
        from vendorrisk.tui.screens.probe import ProbeScreen

        self.push_screen(ProbeScreen(everything=True))

    def action_new(self, entity: str) -> None:
        mode = {"contract": "contracts", "certification": "certifications"}[entity]
        self.switch_mode(mode)
        screen = self.screen
        if isinstance(screen, (ContractsScreen, CertificationsScreen)):
            screen.action_new()

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
        yield SystemCommand("New contract", "Add a contract", partial(self.action_new, "contract"))
        yield SystemCommand("New certification", "Add a certification",
                            partial(self.action_new, "certification"))
        yield SystemCommand("Verify audit chain", "Check the tamper-evident audit trail",
                            self.action_verify_audit)
        yield SystemCommand("Help", "Keys for this screen", self.action_help)
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description and binding.show:
                yield SystemCommand(f"{binding.description} ({screen.__class__.__name__})",
                                    binding.tooltip or binding.description,
                                    partial(self.run_action, binding.action, screen))


def build_app(services: Services, *, clock: Callable[[], date] = utc_today) -> VendorRiskApp:
    """The one factory: CLI, demo and tests build the app here."""
    return VendorRiskApp(services, clock=clock)


def run_tui(services: Services) -> None:
    build_app(services).run()
