"""Open the editor form of any inventory record: fetch its fields in a worker, then show them.

Validation is the shared field rules' (through the view service), saving is the inventory
service's, so the TUI holds no rule of its own and every save is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from vendorrisk.tui.backend import backend
from vendorrisk.tui.screens.base import TableScreen
from vendorrisk.tui.screens.form import FormScreen
from vendorrisk.views.dto import FormField

Saved = Callable[[dict[str, Any]], None]
"""Called in the worker thread with the saved record (e.g. to follow a rename)."""


def open_editor(screen: Screen[Any], entity: str, key: str | None,
                on_saved: Saved | None = None) -> None:
    """Show the form for ``entity`` ``key`` (None: a new record) over ``screen``."""

    def fetch() -> None:
        fields = backend(screen.app).views.form(entity, key)
        screen.app.call_from_thread(_show, screen, entity, key, fields, on_saved)

    screen.run_worker(fetch, thread=True, exclusive=True, group="form", exit_on_error=False)


def _show(screen: Screen[Any], entity: str, key: str | None, fields: tuple[FormField, ...],
          on_saved: Saved | None) -> None:
    b = backend(screen.app)
    inventory, views = b.services.inventory, b.views
    partial = key is not None

    def submit(values: dict[str, str]) -> None:
        record = (inventory.update(entity, key, values) if key is not None
                  else inventory.create(entity, values))
        if on_saved is not None:
            on_saved(record)

    label = next((f.value for f in fields if f.name in ("name", "reference") and f.value), key)
    title = f"Edit {entity} {label}" if partial else f"New {entity}"
    screen.app.push_screen(FormScreen(
        title, fields, submit, changed_only=partial,
        validate=lambda raw: views.problems(entity, raw, partial=partial)))


def open_chain_editor(screen: Screen[Any], vendor: str) -> None:
    """Edit ``vendor``'s ranked subcontracting chain as one line of text (the workbook's
    form), checked against the vendors in the inventory as it is typed."""

    def fetch() -> None:
        views = backend(screen.app).views
        current, known = views.subcontracting_chain(vendor), set(views.names("vendor"))
        screen.app.call_from_thread(_show_chain, screen, vendor, current, known)

    screen.run_worker(fetch, thread=True, exclusive=True, group="form", exit_on_error=False)


def _show_chain(screen: Screen[Any], vendor: str, current: str, known: set[str]) -> None:
    b = backend(screen.app)
    field = FormField("chain", "ranked subcontracting chain (vendors already in the inventory)",
                      current, "1. Vendor (service); 2. Vendor")
    screen.app.push_screen(FormScreen(
        f"Subcontractors of {vendor}", (field,),
        lambda values: b.services.inventory.set_subcontracting_chain(
            vendor, values.get("chain", "")),
        changed_only=True,
        validate=lambda raw: b.views.chain_problems(vendor, raw.get("chain", current), known)))


class EditableTableScreen(TableScreen):
    """A table of one inventory entity: ``n`` adds a record, ``E`` edits the one under the
    cursor (subclasses list ``EDIT_BINDINGS`` in their bindings)."""

    ENTITY: ClassVar[str] = ""

    def action_new(self) -> None:
        open_editor(self, self.ENTITY, None)

    def action_edit(self) -> None:
        key = self.table.current_key
        if key:
            open_editor(self, self.ENTITY, key)


EDIT_BINDINGS: list[BindingType] = [
    Binding("n", "new", "New", tooltip="Add a record", id="records.new"),
    Binding("E", "edit", "Edit", tooltip="Edit the record under the cursor", id="records.edit"),
]
