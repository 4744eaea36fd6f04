"""Reviews: what is due; start a review for a vendor; complete one with a decision."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType

from vendorrisk.services.findings import parse_date
from vendorrisk.tui.backend import backend
from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.form import FormScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import FormField, Table
from vendorrisk.vocab import ReviewDecision

DECISIONS = tuple(d.value for d in ReviewDecision)


def start_review_form(app: App[Any], vendor: str = "") -> FormScreen:
    actions = backend(app).reviews
    fields = (FormField("vendor", "vendor", vendor, "vendor name", True),
              FormField("due", "due date", "", "YYYY-MM-DD (empty: today)"))

    def validate(values: dict[str, str]) -> dict[str, str]:
        return {} if values.get("vendor", "").strip() else {"vendor": "is required"}

    def submit(values: dict[str, str]) -> None:
        due = values.get("due", "").strip()
        actions.start(values["vendor"].strip(), parse_date(due) if due else None)

    return FormScreen("Start a review", fields, submit, validate=validate)


class ReviewsScreen(TableScreen):
    MODE = "reviews"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "start", "Start review", id="reviews.start"),
        Binding("enter", "complete", "Complete", show=False, id="reviews.complete"),
    ]

    def fetch(self) -> Table:
        return self.backend.views.reviews(self.client)

    def action_start(self) -> None:
        self.app.push_screen(start_review_form(self.app))

    @on(FilteredTable.Opened)
    def _open(self, event: FilteredTable.Opened) -> None:
        self.complete(event.key)

    def action_complete(self) -> None:
        key = self.table.current_key
        if key:
            self.complete(key)

    def complete(self, key: str) -> None:
        actions = self.backend.reviews
        fields = (FormField("decision", "decision", "", " | ".join(DECISIONS), True),
                  FormField("notes", "notes", "", "what was decided and why"))

        def validate(values: dict[str, str]) -> dict[str, str]:
            choice = values.get("decision", "").strip().lower()
            return {} if choice in DECISIONS else {"decision": "one of " + ", ".join(DECISIONS)}

        def submit(values: dict[str, str]) -> None:
            actions.complete(int(key), values["decision"], values.get("notes", ""))

        self.app.push_screen(FormScreen(f"Complete review {key}", fields, submit,
                                        validate=validate))
