"""Scores: lock-in and compliance risk, 0–100, every point explained (DESIGN §4).

Pure: facts and the findings recorded on them in (``portfolio.facts``), explained scores out
(``compute_all`` → ``ScoreBook``). Scoring raises no finding.
"""

from vendorrisk.scoring.aggregate import ScoreBook, compute_all
from vendorrisk.scoring.factors import Factor, Score, render_explanation
from vendorrisk.scoring.weights import FactorSpec, Weights, load_weights

__all__ = ["Factor", "FactorSpec", "Score", "ScoreBook", "Weights", "compute_all",
           "load_weights", "render_explanation"]
