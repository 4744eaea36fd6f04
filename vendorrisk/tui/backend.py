"""What the screens call: the service facade plus the UI read/write services, one clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from vendorrisk.services.app import Services
from vendorrisk.services.findings import FindingService
from vendorrisk.services.reviews_ui import ReviewActions
from vendorrisk.views import ViewService, utc_today

if TYPE_CHECKING:
    from textual.app import App


@dataclass
class Backend:
    services: Services
    clock: Callable[[], date] = utc_today
    views: ViewService = field(init=False)
    findings: FindingService = field(init=False)
    reviews: ReviewActions = field(init=False)

    def __post_init__(self) -> None:
        db, actor = self.services.db, self.services.actor
        self.views = ViewService(db, self.clock, self.services.inventory.known,
                                 self.services.templates)
        self.findings = FindingService(db, actor, self.clock, self.services.rescore)
        self.reviews = ReviewActions(db, actor, self.clock)


def backend(app: App[Any]) -> Backend:
    """The app's backend (every screen reaches the services through this)."""
    found = getattr(app, "backend", None)
    if not isinstance(found, Backend):
        raise RuntimeError("the running app has no vendorrisk backend")
    return found
