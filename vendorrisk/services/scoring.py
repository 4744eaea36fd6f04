"""Scores, as one use case: observe → judge → store → score.

A recompute reads the stored portfolio as facts (``store.facts``), evaluates the inventory
findings (certifications, contracts, questionnaires, residency) from them, stores them once
(``store.findings_sync``, exactly as a probe run stores domain findings), and then computes
every score once from the facts and the findings now stored — acceptances included. A
snapshot row is written for every subject whose scores changed, so trends are queries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendorrisk.config import Settings
from vendorrisk.errors import NotFoundError
from vendorrisk.findings.evaluate import evaluate_inventory
from vendorrisk.findings.rules.inventory import InventoryRules, load_inventory_rules
from vendorrisk.names import normalise_domain
from vendorrisk.scoring.aggregate import ScoreBook, compute_all
from vendorrisk.scoring.factors import Score
from vendorrisk.scoring.weights import Weights, load_weights
from vendorrisk.store import audit
from vendorrisk.store.database import Database
from vendorrisk.store.facts import SubjectIds, inventory_facts, with_recorded_findings
from vendorrisk.store.findings_sync import sync_inventory_findings
from vendorrisk.store.models import AuditEvent, FindingRow, ObservationRow, ScoreSnapshot
from vendorrisk.vocab import AuditAction, ScoreSubject


class ScoringService:
    def __init__(self, db: Database, settings: Settings, actor: str = "vendorrisk") -> None:
        self.db = db
        self.settings = settings
        self.actor = actor
        """Who a recompute's audit event names."""
        self._weights: Weights | None = None
        self._rules: InventoryRules | None = None
        self._book: tuple[tuple[Any, ...], ScoreBook] | None = None

    @property
    def weights(self) -> Weights:
        if self._weights is None:
            override = self.settings.scoring_weights
            self._weights = load_weights(Path(override).expanduser() if override else None)
        return self._weights

    @property
    def rules(self) -> InventoryRules:
        if self._rules is None:
            self._rules = load_inventory_rules()
        return self._rules

    def recompute(self, *, now: datetime | None = None, note: str | None = None) -> ScoreBook:
        """Evaluate and store the inventory findings, compute every score once, write
        snapshots of what changed."""
        with self.db.session() as session:
            return self.recompute_in(session, now=now, note=note)

    def recompute_in(self, session: Session, *, now: datetime | None = None,
                     note: str | None = None) -> ScoreBook:
        """:meth:`recompute` inside the caller's transaction (the demo loads in one)."""
        now = now or datetime.now(UTC)
        portfolio, ids = inventory_facts(session, self.settings, now)
        sync_inventory_findings(session, evaluate_inventory(portfolio, self.rules, now), ids, now)
        session.flush()
        portfolio = with_recorded_findings(session, portfolio, ids)
        book = compute_all(portfolio, self.weights, now)
        written = self._snapshot(session, book, ids, now, note)
        subjects = len(book.domains) + len(book.vendors) + len(book.clients)
        audit.record(session, actor=self.actor, action=AuditAction.UPDATE,  # one event, not one per row
                     entity_kind="score_recompute", entity_id=None, label=note or "recompute",
                     after={"computed_at": now, "subjects": subjects, "snapshots": written,
                            "scoring_version": self.weights.version,
                            "weights_files": list(self.weights.files)})
        return book

    def book(self, *, now: datetime | None = None) -> ScoreBook:
        """Every score as of ``now`` from the stored facts and findings, engagements included
        (a client's use of one vendor); read-only: nothing is stored."""
        now = now or datetime.now(UTC)
        with self.db.session(readonly=True) as session:
            portfolio, ids = inventory_facts(session, self.settings, now)
            portfolio = with_recorded_findings(session, portfolio, ids)
        return compute_all(portfolio, self.weights, now)

    def engagements_of(self, client: str, *, now: datetime | None = None) -> dict[str, Score]:
        """vendor name -> the client's engagement score with that vendor (the vendor-level
        facts plus this client's contracts and domains at it), as of ``now``. The book is kept
        until stored data changes, so a screen refresh does not recompute it."""
        now = now or datetime.now(UTC)
        with self.db.session(readonly=True) as session:
            stamp = (now.date(), *(session.execute(select(func.max(c))).scalar_one()
                                   for c in (AuditEvent.seq, ObservationRow.id, FindingRow.id,
                                             ScoreSnapshot.id)))
        if self._book is None or self._book[0] != stamp:
            self._book = (stamp, self.book(now=now))
        return {vendor: score for (owner, vendor), score in self._book[1].engagements.items()
                if owner == client}

    def explain(self, *, client: str | None = None, vendor: str | None = None,
                domain: str | None = None, now: datetime | None = None) -> list[Score]:
        """Recompute and return the scores asked for (all clients when nothing is named)."""
        book = self.recompute(now=now, note="score command")
        if domain:
            name = normalise_domain(domain)
            return [_pick(book.domains, name, "domain", domain)]
        if vendor:
            return [_pick(book.vendors, vendor, "vendor", vendor)]
        if client:
            return [_pick(book.clients, client, "client", client)]
        return [book.clients[name] for name in sorted(book.clients)]

    def trend(self, kind: ScoreSubject, subject_id: int, limit: int = 50) -> list[dict[str, Any]]:
        with self.db.session(readonly=True) as session:
            rows = session.execute(
                select(ScoreSnapshot).where(ScoreSnapshot.subject_kind == kind,
                                            ScoreSnapshot.subject_id == subject_id)
                .order_by(ScoreSnapshot.computed_at.desc()).limit(limit)).scalars()
            return [{"computed_at": r.computed_at.isoformat(), "lockin": r.lockin,
                     "compliance": r.compliance, "note": r.note} for r in rows]

    def _snapshot(self, session: Session, book: ScoreBook, ids: SubjectIds, now: datetime,
                  note: str | None) -> int:
        """Write a snapshot for each subject whose scores changed; returns how many."""
        previous = _latest_snapshots(session)
        written = 0
        for kind, scores, table in ((ScoreSubject.DOMAIN, book.domains, ids.domains),
                                    (ScoreSubject.VENDOR, book.vendors, ids.vendors),
                                    (ScoreSubject.CLIENT, book.clients, ids.clients)):
            for name, score in scores.items():
                subject_id = table.get(name)
                if subject_id is None:
                    continue
                values = (round(score.lockin, 1), round(score.compliance, 1))
                if previous.get((kind, subject_id)) == values:
                    continue
                written += 1
                session.add(ScoreSnapshot(
                    subject_kind=kind, subject_id=subject_id, subject_name=name,
                    lockin=values[0], compliance=values[1], lockin_band=score.band_lockin,
                    compliance_band=score.band_compliance,
                    lockin_coverage=round(score.coverage_lockin, 3),
                    compliance_coverage=round(score.coverage_compliance, 3),
                    factors=[f.to_json() for f in score.factors], computed_at=now, note=note))
        return written


def _pick(scores: Any, key: str, kind: str, shown: str) -> Score:
    try:
        return scores[key]  # type: ignore[no-any-return]
    except KeyError:
        raise NotFoundError(f"no {kind} {shown!r}") from None


def _latest_snapshots(session: Session) -> dict[tuple[ScoreSubject, int], tuple[float, float]]:
    newest = (select(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id,
                     func.max(ScoreSnapshot.id).label("id"))
              .group_by(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id).subquery())
    rows = session.execute(select(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id,
                                  ScoreSnapshot.lockin, ScoreSnapshot.compliance)
                           .join(newest, ScoreSnapshot.id == newest.c.id))
    return {(ScoreSubject(k), i): (lock, comp) for k, i, lock, comp in rows}
