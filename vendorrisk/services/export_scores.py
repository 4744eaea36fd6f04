"""The scores a workbook shows: every stored snapshot for the whole portfolio, and for one
client the scores of that client alone (``store.scope``).

A vendor's portfolio score leans on every client's domains and contracts, so a per-client
workbook shows instead the client's *engagement* with the vendor: the vendor-level facts plus
this client's contract terms and domains at the vendor, computed from the stored facts. The
score factors listed are then only those of the client, its engagements and its domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vendorrisk.scoring import Score, ScoreBook
from vendorrisk.store.models import ScoreSnapshot
from vendorrisk.store.scope import ClientScope

Key = tuple[str, int]
"""(``domain`` | ``vendor`` | ``client``, id)."""


@dataclass(frozen=True)
class WorkbookScores:
    fields: Mapping[Key, dict[str, Any]]
    """Score columns per subject (see :func:`snapshot_fields`)."""
    factors: list[dict[str, Any]]
    """One row per factor of every subject shown."""

    def of(self, kind: str, subject_id: int) -> dict[str, Any]:
        return self.fields.get((kind, subject_id), {})


def from_snapshots(snapshots: Mapping[Key, ScoreSnapshot]) -> WorkbookScores:
    fields = {key: snapshot_fields(s) for key, s in snapshots.items()}
    factors = [_factor_row(kind, s.subject_name, f, s.computed_at)
               for (kind, _), s in sorted(snapshots.items(),
                                          key=lambda kv: (kv[0][0], kv[1].subject_name))
               for f in s.factors or []]
    return WorkbookScores(fields, factors)


def for_client(book: ScoreBook, scope: ClientScope, names: Mapping[Key, str]) -> WorkbookScores:
    """``names``: the display name of every vendor and domain id in ``scope``."""
    at = book.computed_at
    shown: list[tuple[Key, str, Score]] = []
    if scope.name in book.clients:
        shown.append((("client", scope.client_id), scope.name, book.clients[scope.name]))
    for vid in sorted(scope.vendor_ids):
        score = book.engagements.get((scope.name, names.get(("vendor", vid), "")))
        if score is not None:
            shown.append((("vendor", vid), names[("vendor", vid)], score))
    for did in sorted(scope.domain_ids):
        score = book.domains.get(names.get(("domain", did), ""))
        if score is not None:
            shown.append((("domain", did), names[("domain", did)], score))
    fields = {key: score_fields(s, at) for key, _, s in shown}
    factors = [_factor_row(key[0], name, f.to_json(), at) for key, name, s in shown
               for f in s.factors]
    return WorkbookScores(fields, factors)


def snapshot_fields(snap: ScoreSnapshot) -> dict[str, Any]:
    return {"lockin": snap.lockin, "lockin_band": snap.lockin_band,
            "compliance": snap.compliance, "compliance_band": snap.compliance_band,
            "lockin_coverage": snap.lockin_coverage,
            "compliance_coverage": snap.compliance_coverage, "computed_at": snap.computed_at}


def score_fields(score: Score, at: datetime | None) -> dict[str, Any]:
    return {"lockin": score.lockin, "lockin_band": score.band_lockin,
            "compliance": score.compliance, "compliance_band": score.band_compliance,
            "lockin_coverage": score.coverage_lockin,
            "compliance_coverage": score.coverage_compliance, "computed_at": at}


def _factor_row(kind: str, subject: str, factor: Mapping[str, Any], at: datetime | None
                ) -> dict[str, Any]:
    return {"subject_kind": kind, "subject": subject, "factor_id": factor.get("id"),
            "title": factor.get("title"), "points": factor.get("points"),
            "weight": factor.get("weight"), "source": factor.get("source"),
            "evidence": factor.get("evidence"), "remedy": factor.get("remedy"),
            "computed_at": at}
