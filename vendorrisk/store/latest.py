"""The newest stored state per subject: latest observation per domain, latest score snapshot.

Ids grow with time, so "newest" is the highest id per subject.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from vendorrisk.store.models import Domain, ObservationRow, ScoreSnapshot


def latest_scores(session: Session) -> dict[tuple[str, int], ScoreSnapshot]:
    """The newest snapshot per subject (ids grow with time)."""
    newest = (select(func.max(ScoreSnapshot.id))
              .group_by(ScoreSnapshot.subject_kind, ScoreSnapshot.subject_id))
    rows = session.execute(select(ScoreSnapshot).where(ScoreSnapshot.id.in_(newest))).scalars()
    return {(str(s.subject_kind), s.subject_id): s for s in rows}


def newest_observations(query: Select[Any], client_id: int | None = None) -> Select[Any]:
    """``query`` (over observation rows or their columns) narrowed to each domain's newest
    observation, of one client's domains if given."""
    newest = select(func.max(ObservationRow.id)).group_by(ObservationRow.domain_id)
    query = query.where(ObservationRow.id.in_(newest))
    if client_id is not None:
        query = query.join(Domain, Domain.id == ObservationRow.domain_id).where(
            Domain.client_id == client_id)
    return query


def latest_observations(session: Session, client_id: int | None = None
                        ) -> dict[int, ObservationRow]:
    """domain id -> its newest observation row (typed: :func:`store.observations.latest_typed`)."""
    query = newest_observations(select(ObservationRow), client_id)
    return {o.domain_id: o for o in session.execute(query).scalars()}
