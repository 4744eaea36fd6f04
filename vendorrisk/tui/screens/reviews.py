"""Reviews: what is due; start a review for a vendor; complete one with a decision.

Both go through the review service the CLI uses (``services.reviews``): a review starts with
the checklist and the record of what changed since the last completed review, a second open
review of the same subject is refused, and completing one needs every checklist item answered.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType

from vendorrisk.services.findings import parse_date
from vendorrisk.tui.backend import backend
from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.form import FormScreen
from vendorrisk.tui.widgets.filtered_table import FilteredTable
from vendorrisk.views.dto import FormField, Table


def start_review_form(app: App[Any], vendor: str = "") -> FormScreen:
    reviews = backend(app).reviews
    fields = (FormField("vendor", "vendor", vendor,
                        "vendor name (or a contract id or reference)", True),
              FormField("due", "due date", "", "YYYY-MM-DD (optional)"))

    def validate(values: dict[str, str]) -> dict[str, str]:
        return {} if values.get("vendor", "").strip() else {"vendor": "is required"}

    def submit(values: dict[str, str]) -> None:
        due = values.get("due", "").strip()
        reviews.start(values["vendor"].strip(), due=parse_date(due) if due else None)

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

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def complete(self, key: str) -> None:
        """The completion form: decision, notes and every checklist item of the review."""
        reviews, review_id = self.backend.reviews, int(key)
        fields = reviews.completion_form(review_id)

        def submit(values: dict[str, str]) -> None:
            reviews.complete_form(review_id, values)

        self.app.call_from_thread(self.app.push_screen, FormScreen(
            f"Complete review {key}", fields, submit, validate=reviews.form_problems))
