"""Stored observations as the probes' typed ``DomainObservation``: the one place that reads the
JSON a probe run stored, so nothing above the store reads it as a dict.

:func:`typed` turns one row into the observation; :class:`StoredObservation` carries it with
the row's own facts (id, run, when, complete, reasons); :func:`latest_typed` and
:func:`history` are the queries the views and services use.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.types import Reason
from vendorrisk.store.latest import newest_observations
from vendorrisk.store.models import ObservationRow


@dataclass(frozen=True)
class StoredObservation:
    """One stored observation: the typed observation and the row that holds it."""

    id: int
    run_id: int
    domain_id: int
    probed_at: datetime
    complete: bool
    reasons: tuple[Reason, ...]
    """Why the probe was incomplete, as stored with the row."""
    observation: DomainObservation


def typed(row: ObservationRow) -> DomainObservation:
    """The observation a row holds (the DESIGN §3 JSON it was stored as)."""
    return _typed(row.data)


def _typed(data: dict[str, Any]) -> DomainObservation:
    return DomainObservation.from_json(_upgrade(data))


def stored(row: ObservationRow) -> StoredObservation:
    return StoredObservation(row.id, row.run_id, row.domain_id, row.probed_at, row.complete,
                             tuple(_reason(r) for r in row.reasons or ()), typed(row))


_COLUMNS = (ObservationRow.id, ObservationRow.run_id, ObservationRow.domain_id,
            ObservationRow.probed_at, ObservationRow.complete, ObservationRow.reasons,
            ObservationRow.data)


def latest_typed(session: Session, client_id: int | None = None) -> dict[int, StoredObservation]:
    """domain id -> its newest stored observation (of one client's domains, if given).

    Reads plain columns rather than ORM rows: a 10,000-domain workbook reads them all."""
    query = newest_observations(select(*_COLUMNS), client_id)
    return {did: StoredObservation(oid, run_id, did, probed_at, complete,
                                   tuple(_reason(r) for r in reasons or ()), _typed(data))
            for oid, run_id, did, probed_at, complete, reasons, data in session.execute(query)}


def history(session: Session, domain_id: int, limit: int = 20) -> list[StoredObservation]:
    """A domain's stored observations, newest first."""
    rows = session.execute(select(ObservationRow).where(ObservationRow.domain_id == domain_id)
                           .order_by(ObservationRow.probed_at.desc(), ObservationRow.id.desc())
                           .limit(limit)).scalars()
    return [stored(row) for row in rows]


def _reason(value: Any) -> Reason:
    if isinstance(value, dict) and "part" in value and "message" in value:
        return Reason.from_json(value)
    return Reason("probe", str(value.get("message") or value) if isinstance(value, dict)
                  else str(value))


_HOST_FIELDS = ("authoritative", "soa_serial", "axfr_open", "update_open")


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Read the older hand-written demo shape (before the demo stored real observations) as
    the probes' shape: a ``dns`` object without its ``domain``, and nameservers that carry
    host-level results instead of one answer per address. Current rows pass unchanged."""
    dns = data.get("dns")
    if not isinstance(dns, dict):
        return dict(data)
    legacy_hosts = any("answers" not in ns and any(k in ns for k in _HOST_FIELDS)
                       for ns in dns.get("nameservers") or ())
    if "domain" in dns and not legacy_hosts:
        return dict(data)
    out = copy.deepcopy(dict(data))
    dns = out["dns"]
    dns.setdefault("domain", out.get("domain"))
    dns.setdefault("probed_at", out.get("probed_at"))
    for ns in dns.get("nameservers") or ():
        if "answers" in ns or not any(k in ns for k in _HOST_FIELDS):
            continue
        ns["answers"] = [{
            "address": address, "authoritative": ns.get("authoritative"),
            "soa_serial": ns.get("soa_serial"),
            "transfer": _result(ns.get("axfr_open")), "update": _result(ns.get("update_open")),
        } for address in ns.get("addresses") or ()]
        parent, child = dns.get("parent_ns") or (), dns.get("child_ns") or ()
        ns.setdefault("in_parent", ns.get("name") in parent)
        ns.setdefault("in_child", ns.get("name") in child)
    return out


def _result(value: Any) -> str | None:
    return None if value is None else "open" if value else "denied"
