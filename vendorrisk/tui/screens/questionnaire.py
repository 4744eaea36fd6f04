"""Answer a questionnaire template for a vendor, question by question; risky answers marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from vendorrisk.errors import VendorRiskError
from vendorrisk.tui.backend import backend
from vendorrisk.tui.messages import DataChanged
from vendorrisk.tui.screens.base import WorkerErrors
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import Cell, QuestionnaireForm, Row, Table


def question_table(form: QuestionnaireForm) -> Table:
    rows = tuple(Row(q.id, (
        Cell(q.id), Cell(q.answer or "—", None if q.answer else "muted"),
        Cell("RISKY", "high") if q.risky_now else Cell("", None),
        Cell(q.text))) for q in form.questions)
    return Table(form.title, ("Question", "Answer", "Risk", "Text"), rows)


class QuestionnaireScreen(WorkerErrors, Screen[None]):
    AUTO_FOCUS = "DataTable"
    DEFAULT_CSS = """
    QuestionnaireScreen #q-title { height: 1; padding: 0 1; background: $boost; }
    QuestionnaireScreen #questions { height: 1fr; }
    QuestionnaireScreen #q-text { height: auto; max-height: 7; padding: 0 1; }
    QuestionnaireScreen #q-error { color: $error; height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="questionnaire.back"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("ctrl+o", "answer", "Answer", show=False, id="questionnaire.answer"),
    ]

    @dataclass
    class Loaded(Message):
        form: QuestionnaireForm

    def __init__(self, vendor: str, template_id: str) -> None:
        super().__init__()
        self.vendor, self.template_id = vendor, template_id
        self.form: QuestionnaireForm | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="q-title")
        yield FilteredTable(id="questions")
        yield Static("", id="q-text")
        yield Input(placeholder="answer, Enter saves and moves on", id="answer")
        yield Static("", id="q-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(backend(self.app).views.questionnaire(self.vendor,
                                                                           self.template_id)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.form = event.form
        risky = sum(q.risky_now for q in event.form.questions)
        answered = sum(bool(q.answer) for q in event.form.questions)
        self.query_one("#q-title", Static).update(
            f"[b]{escape(self.vendor)}[/b] · {escape(event.form.title)} · {event.form.status} · "
            f"{answered}/{len(event.form.questions)} answered · {risky} risky")
        self.query_one("#questions", FilteredTable).show(question_table(event.form))
        self._describe()

    def _question(self) -> str | None:
        return self.query_one("#questions", FilteredTable).current_key

    def _describe(self) -> None:
        qid = self._question()
        q = next((q for q in self.form.questions if q.id == qid), None) if self.form else None
        if q is None:
            return
        lines = [f"[b]{escape(q.id)}[/b] ({escape(q.section)}, {q.kind}) {escape(q.text)}"]
        if q.choices:
            lines.append("choices: " + escape(" | ".join(q.choices)))
        lines += [f"[dim]risky → {escape(r)}[/dim]" for r in q.risky[:2]]
        self.query_one("#q-text", Static).update("\n".join(lines))
        self.query_one("#answer", Input).value = q.answer

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    @on(FilteredTable.Opened)
    def action_answer(self) -> None:
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted, "#answer")
    def _submit(self, event: Input.Submitted) -> None:
        qid = self._question()
        if qid is not None:
            self.save(qid, event.value)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, qid: str, value: str) -> None:
        try:
            backend(self.app).services.questionnaires.set_answers(
                self.vendor, self.template_id, {qid: value or None})
        except VendorRiskError as exc:
            self.app.call_from_thread(self.query_one("#q-error", Static).update,
                                      f"Not saved: {exc.message}")
            return
        self.app.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.query_one("#q-error", Static).update("")
        self.app.post_message(DataChanged("questionnaire"))
        table = self.query_one("#questions", FilteredTable)
        dt = table.data_table
        dt.move_cursor(row=min(dt.cursor_row + 1, dt.row_count - 1))
        table.data_table.focus()  # DataChanged reloads this screen

    def action_filter(self) -> None:
        self.query_one("#questions", FilteredTable).open_filter()

    def action_back(self) -> None:
        self.app.pop_screen()
