"""Vendor and domain detail: the sections of a :class:`Detail`, one tab each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static, TabbedContent, TabPane

from vendorrisk.tui.backend import Backend, backend
from vendorrisk.tui.screens.base import WorkerErrors, export_view
from vendorrisk.tui.screens.editor import open_chain_editor, open_editor
from vendorrisk.tui.screens.picker import PickerScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import Detail, Section


class DetailScreen(WorkerErrors, Screen[None]):
    CSS_PATH = "detail.tcss"
    AUTO_FOCUS = "Tabs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("e", "export", "Export", id="export"),
        Binding("ctrl+right", "tab(1)", "Next tab", show=False, id="detail.next_tab"),
        Binding("ctrl+left", "tab(-1)", "Prev tab", show=False, id="detail.prev_tab"),
    ]

    @dataclass
    class Loaded(Message):
        detail: Detail

    def __init__(self, detail: Detail | None = None) -> None:
        super().__init__()
        self.detail = detail
        self.active: str | None = None

    @property
    def backend(self) -> Backend:
        return backend(self.app)

    def compose(self) -> ComposeResult:
        d = self.detail
        title = f"[b]{escape(d.title)}[/b]  {escape(d.subtitle)}" if d else "Loading…"
        yield Static(title, id="detail-title")
        with TabbedContent(id="tabs", initial=self.active or ""):
            for i, section in enumerate(d.sections if d else ()):
                with TabPane(section.title, id=f"s{i}"):
                    if i == 0:
                        yield from _section(i, section)
                    else:  # the other tabs mount after the first paint
                        yield Lazy(_Body(*_section(i, section)))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.detail is None:
            self.load()

    def fetch(self) -> Detail:
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.fetch()))

    @on(Loaded)
    async def _loaded(self, event: Loaded) -> None:
        tabs = self.query("#tabs")
        self.active = tabs.first(TabbedContent).active if tabs else None
        self.detail = event.detail
        await self.recompose()
        self.query_one("Tabs").focus()

    def _table(self) -> FilteredTable | None:
        tabs = self.query_one("#tabs", TabbedContent)
        pane = tabs.active_pane
        found = pane.query(FilteredTable) if pane else None
        return found.first() if found else None

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        ids = [p.id for p in tabs.query(TabPane) if p.id]
        if tabs.active in ids:
            tabs.active = ids[(ids.index(tabs.active) + delta) % len(ids)]

    def action_filter(self) -> None:
        table = self._table()
        if table is not None:
            table.open_filter()

    def action_export(self) -> None:
        table = self._table()
        if table is not None:
            export_view(self, table)


class _Body(Vertical):
    DEFAULT_CSS = "_Body { height: 1fr; }"


def _section(i: int, section: Section) -> list[Widget]:
    """The widgets of one tab, built directly (no compose context: they may go in a Lazy)."""
    lines = Static(escape("\n".join(section.lines)), classes="lines")
    if section.table is None:
        return [VerticalScroll(lines)]
    note = section.table.note
    return [*([lines] if section.lines else []),
            *([Static(escape(note), classes="table-note")] if note else []),
            FilteredTable(id=f"t{i}", initial=section.table)]


class VendorDetailScreen(DetailScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "questionnaire", "Answer questionnaire", id="vendor.questionnaire"),
        Binding("r", "review", "Start review", id="vendor.review"),
        Binding("E", "edit", "Edit", tooltip="Edit this vendor", id="vendor.edit"),
        Binding("S", "subcontractors", "Subcontractors", show=False,
                tooltip="Edit the ranked subcontracting chain", id="vendor.subcontractors"),
    ]

    def __init__(self, vendor: str, detail: Detail | None = None) -> None:
        super().__init__(detail)
        self.vendor = vendor

    def fetch(self) -> Detail:
        return self.backend.views.vendor_detail(self.vendor)

    def action_edit(self) -> None:
        open_editor(self, "vendor", self.vendor, self._saved)

    def _saved(self, record: dict[str, Any]) -> None:
        self.vendor = record["name"]  # follow a rename when the screen reloads

    def action_subcontractors(self) -> None:
        open_chain_editor(self, self.vendor)

    def action_questionnaire(self) -> None:
        self.pick_template()

    @work(thread=True, exclusive=True, group="templates", exit_on_error=False)
    def pick_template(self) -> None:
        templates = self.backend.views.templates_for(self.vendor)
        if not templates:
            self.app.call_from_thread(self.app.notify, "No questionnaire template applies to "
                                      "this kind of vendor.", severity="warning")
        elif len(templates) == 1:
            self.app.call_from_thread(self._answer, templates[0])
        else:
            self.app.call_from_thread(self.app.push_screen, PickerScreen(
                "Answer which questionnaire?", [(t, t) for t in templates], all_label=None),
                self._answer)

    def _answer(self, template_id: str | None) -> None:
        from vendorrisk.tui.screens.questionnaire import QuestionnaireScreen

        if template_id:
            self.app.push_screen(QuestionnaireScreen(self.vendor, template_id))

    def action_review(self) -> None:
        from vendorrisk.tui.screens.reviews import start_review_form

        self.app.push_screen(start_review_form(self.app, self.vendor))


class DomainDetailScreen(DetailScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "probe", "Probe", id="domain.probe"),
        Binding("E", "edit", "Edit", tooltip="Edit this domain's inventory record",
                id="domain.edit"),
    ]

    def __init__(self, domain_id: int, detail: Detail | None = None) -> None:
        super().__init__(detail)
        self.domain_id = domain_id

    def fetch(self) -> Detail:
        return self.backend.views.domain_detail(self.domain_id)

    def action_edit(self) -> None:
        open_editor(self, "domain", str(self.domain_id))

    def action_probe(self) -> None:
        from vendorrisk.tui.screens.probe import ProbeScreen

        if self.detail is not None:  # its DataChanged reloads this screen
            self.app.push_screen(ProbeScreen(names=[self.detail.title]))
