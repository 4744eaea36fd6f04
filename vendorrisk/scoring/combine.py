"""How problems combine into one score: the arithmetic behind a band's meaning (DESIGN §4).

Every problem scores ``points`` alone, inside the band of its severity (``level``: 0 low,
1 medium, 2 high, 3 critical). With ``P₀`` the largest problem and ``L`` the worst level:

    V₁ = P₀ + (C₁ − P₀) · (1 − Π_{same} (1 − lift · Pᵢ/100))
    S  = V₁ + (T − V₁)  · (1 − Π_{lower} (1 − lift · Pᵢ/100))

``same`` are the other problems at level ``L``, ``lower`` those below it; ``C₁`` is the top
of the band one above ``L`` and ``T`` the top of ``L``'s own band (``C₁`` once ``V₁`` has
left that band). So:

- one problem alone scores its own points, in its own band;
- further problems at the worst severity lift the score toward the band above (each closes
  ``lift`` × its points' share of the gap) — several mediums may make a subject high, never
  critical; several highs may make it critical;
- problems of a lower severity only fill the worst problem's own band: one high and any
  number of mediums stays high;
- removing any problem lowers the score (``tests/unit/scoring/test_bands.py`` checks all of
  this over random problem sets).

Both stages use the same ``lift``, so a problem never counts for less by being more severe.
The worst problem is credited its own points and the others share the rest in proportion
to ``−ln(1 − …)`` of their own factor, so the shares add up to the score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vendorrisk.scoring.factors import Part

LEVELS = ("low", "medium", "high", "critical")


@dataclass(frozen=True, slots=True)
class Problem:
    points: float
    """What the problem scores when it is the only one (0 < points < 100)."""
    level: int
    """Index in :data:`LEVELS` of the band the problem's severity anchors it in."""
    parts: tuple[tuple[Part | None, float], ...] = ()
    """The listed factors the problem's points are credited to, with each one's fraction;
    empty or ``None`` = the residual of aggregated members too small to list."""
    members: int = 0
    """For a residual: how many aggregated members it folds together."""


@dataclass(frozen=True, slots=True)
class Resolution:
    value: float
    """The score, unrounded."""
    shown: float
    """The score as shown: rounded to 0.1 and kept below the ceiling's band edge."""
    level: int
    """The worst level present (−1 = no problem)."""
    shares: tuple[float, ...]
    """Each problem's points in the score, in the order given; they add up to ``value``."""


def level_of(points: float, bands: tuple[float, float, float]) -> int:
    """The band ``points`` fall in: 0 low … 3 critical (``bands`` = lower bounds of medium,
    high and critical)."""
    return sum(1 for edge in bands if points >= edge)


def ceiling(level: int, bands: tuple[float, float, float]) -> float:
    """The top a subject whose worst problem is at ``level`` can approach: the upper edge of
    the band one above it."""
    return bands[level + 1] if level + 1 < len(bands) else 100.0


def band_top(level: int, bands: tuple[float, float, float]) -> float:
    """The upper edge of ``level``'s own band."""
    return bands[level] if level < len(bands) else 100.0


def resolve(problems: Sequence[Problem], bands: tuple[float, float, float],
            lift: float = 0.3) -> Resolution:
    if not problems:
        return Resolution(0.0, 0.0, -1, ())
    top = max(range(len(problems)), key=lambda i: problems[i].points)
    level = max(p.level for p in problems)
    cap = ceiling(level, bands)
    first = min(problems[top].points, cap)
    same = [0.0] * len(problems)
    lower = [0.0] * len(problems)
    for i, p in enumerate(problems):
        if i == top:
            continue
        if p.level == level:
            same[i] = -math.log1p(-lift * min(p.points, 99.999) / 100.0)
        else:
            lower[i] = -math.log1p(-lift * min(p.points, 99.999) / 100.0)
    h_same, h_lower = sum(same), sum(lower)
    lifted = (cap - first) * -math.expm1(-h_same)
    v1 = first + lifted
    own_top = band_top(level, bands)
    target = own_top if v1 < own_top else cap
    filled = max(0.0, target - v1) * -math.expm1(-h_lower)
    value = v1 + filled
    shares = tuple(first if i == top else
                   (lifted * same[i] / h_same if same[i] > 0 else 0.0)
                   + (filled * lower[i] / h_lower if lower[i] > 0 else 0.0)
                   for i in range(len(problems)))
    return Resolution(value, shown(value, target), level, shares)


def shown(value: float, cap: float) -> float:
    """``value`` rounded to 0.1, never rounded up onto the band edge it cannot reach
    (74.96 below a ceiling of 75 shows as 74.9, not as a critical 75.0)."""
    out = round(value, 1)
    return round(cap - 0.1, 1) if cap < 100 and out >= cap else out
