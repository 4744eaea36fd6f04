"""Stored observations as the probes' typed ``DomainObservation``: the one place that reads the
JSON a probe run stored, so nothing above the store reads it as a dict."""

from __future__ import annotations

from vendorrisk.probes.observation import DomainObservation
from vendorrisk.store.models import ObservationRow


def typed(row: ObservationRow) -> DomainObservation:
    """The observation a row holds (the DESIGN §3 JSON it was stored as)."""
    return DomainObservation.from_json(dict(row.data))
