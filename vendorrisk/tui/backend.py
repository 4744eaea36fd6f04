"""What the screens call: the service facade, and the clock it reads "today" from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from vendorrisk.services.app import Services

if TYPE_CHECKING:
    from textual.app import App

    from vendorrisk.services.findings import FindingService
    from vendorrisk.services.reviews import ReviewService
    from vendorrisk.views import ViewService


class Backend:
    """The facade every screen calls, and the clock it reads "today" from."""

    def __init__(self, services: Services, clock: Callable[[], date] | None = None) -> None:
        self.services = services
        if clock is not None:  # tests and snapshots fix "today" for every use case
            services.clock = clock

    @property
    def clock(self) -> Callable[[], date]:
        return self.services.clock

    @property
    def views(self) -> ViewService:
        return self.services.views

    @property
    def findings(self) -> FindingService:
        return self.services.findings

    @property
    def reviews(self) -> ReviewService:
        return self.services.reviews


def backend(app: App[Any]) -> Backend:
    """The app's backend (every screen reaches the services through this)."""
    found = getattr(app, "backend", None)
    if not isinstance(found, Backend):
        raise RuntimeError("the running app has no vendorrisk backend")
    return found
