"""Periodic review: what is due, and reviews that record what changed and walk the checklist.

One review service for the CLI and the TUI (:class:`ReviewService`, reached through the
``Services`` facade as ``services.reviews``). A review's "changes" come from stored data only:
score snapshots, findings' first-seen and resolved dates, consecutive probe observations, and
the audit trail (contract amendments, certification changes, questionnaire answers, findings
accepted / resolved / reopened, vendor edits), all since the previous *completed* review of the
same subject. Completing a review sets the next one's date from ``Settings.review`` (per vendor
tier, or per contract).

``due`` (what is due), ``changes`` (the change record), ``checklist`` (blank checklist,
answers, the completion form) and ``service`` (start / complete).
"""

from __future__ import annotations

from vendorrisk.services.reviews.changes import changes_since
from vendorrisk.services.reviews.checklist import parse_answer
from vendorrisk.services.reviews.due import (
    QUESTIONNAIRE_STALE_DAYS,
    REVIEW_INTERVAL_DAYS,
    DueItem,
)
from vendorrisk.services.reviews.service import ReviewService, review_record

__all__ = ["QUESTIONNAIRE_STALE_DAYS", "REVIEW_INTERVAL_DAYS", "DueItem", "ReviewService",
           "changes_since", "parse_answer", "review_record"]
