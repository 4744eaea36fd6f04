"""Scores: lock-in and compliance risk, 0–100, every point explained (DESIGN §4).

Pure: facts in (``inputs``), explained scores out (``compute_all`` → ``ScoreBook``).
"""

from vendorrisk.scoring.aggregate import ScoreBook, compute_all
from vendorrisk.scoring.factors import Factor, Score, render_explanation
from vendorrisk.scoring.weights import FactorSpec, Weights, load_weights

__all__ = ["Factor", "FactorSpec", "Score", "ScoreBook", "Weights", "compute_all",
           "load_weights", "render_explanation"]
