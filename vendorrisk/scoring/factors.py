"""Factors: the named, evidenced pieces every score is made of, and their explanation.

The same :class:`Factor` and :class:`Score` objects feed the CLI (``--explain``, ``--json``),
the TUI and the workbook: ``to_json()`` for data, :func:`render_explanation` for text.

How points arise (``data/scoring.yaml`` states it for people; :mod:`scoring.combine` does it):
every present factor brings one or more *problems*, each with the points it would score alone
(a severity-anchored value inside its severity's band). A score is its worst problem's points
plus a noisy-OR share of the gap up to a ceiling one band above the worst problem's band.
Each factor's points are its problems' shares, so the points of a score add up to the score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from vendorrisk.scoring.combine import Problem, Resolution, resolve
from vendorrisk.scoring.weights import FactorSpec, Weights


class Factor(NamedTuple):
    """One named, evidenced piece of a score (immutable; a NamedTuple because a full
    recomputation builds a few hundred thousand of them)."""

    id: str
    title: str
    score: str
    """``lockin`` or ``compliance``."""
    source: str
    """``probe``, ``contract``, ``certification``, ``questionnaire``, ``concentration``,
    ``catalog`` or ``inventory``."""
    subject: str
    """What the factor is about: ``domain:example.com``, ``vendor:acme``, ``contract:C-1`` …"""
    weight: float
    """The points the factor scores when it is the only problem and fully present."""
    points: float
    known: bool
    """``False`` = could not be checked: neither pass nor fail, lowers coverage only."""
    evidence: Mapping[str, Any]
    remedy: str
    """What change would remove the factor."""

    @property
    def state(self) -> str:
        if not self.known:
            return "unknown"
        return "fail" if self.points > 0 else "pass"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "score": self.score,
                "source": self.source, "subject": self.subject, "weight": self.weight,
                "points": self.points, "known": self.known, "state": self.state,
                "evidence": dict(self.evidence), "remedy": self.remedy}


@dataclass(slots=True, eq=False)
class Part:
    """A factor while scores are being computed: the problems it brings, points come later."""

    spec: FactorSpec
    subject: str
    known: bool
    evidence: Mapping[str, Any]
    title: str | None = None
    role: str | None = None
    """For domain factors: ``dns`` or ``registrar`` — which of the domain's vendors it
    concerns when vendors aggregate their domains; ``None`` = both."""
    alone: tuple[float, ...] = ()
    """The points of each problem this part brings (empty = pass or unknown)."""


def part(spec: FactorSpec, subject: str, x: float | None, evidence: Mapping[str, Any],
         title: str | None = None, role: str | None = None) -> Part:
    """A yes/no or graded factor: ``x`` is how much of it is present (0 = pass, 1 = fully,
    in between for a ramp); ``None`` = unknown. Its one problem scores ``weight · x``."""
    if x is None:
        return Part(spec, subject, False, evidence, title, role)
    points = spec.weight * min(1.0, max(0.0, x))
    return Part(spec, subject, True, evidence, title, role, (points,) if points > 0 else ())


def counted_part(spec: FactorSpec, subject: str, alone: Sequence[float],
                 evidence: Mapping[str, Any], title: str | None = None,
                 role: str | None = None) -> Part:
    """A counted factor: one problem per recorded finding, answer or clause, each scoring
    the points of its own severity."""
    return Part(spec, subject, True, evidence, title, role, tuple(p for p in alone if p > 0))


@dataclass(slots=True)
class Tally:
    """One score (lock-in or compliance) of one subject, before it is rounded to points."""

    parts: list[Part] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    known_weight: float = 0.0
    total_weight: float = 0.0
    _views: dict[frozenset[str], Tally] = field(default_factory=dict, repr=False)
    _resolved: Resolution | None = field(default=None, repr=False)

    def add(self, p: Part) -> None:
        """Add a factor of this subject: its problems and its weight in the coverage."""
        self.parts.append(p)
        self.total_weight += p.spec.weight
        if p.known:
            self.known_weight += p.spec.weight
        level = p.spec.level_of
        self.problems.extend(Problem(a, level(a), ((p, 1.0),)) for a in p.alone)
        self._resolved = None

    def add_listed(self, p: Part) -> None:
        """List an aggregated part whose problems the group adds (see ``aggregate``)."""
        self.parts.append(p)

    def add_problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        self._resolved = None

    def extend(self, other: Tally) -> None:
        self.parts.extend(other.parts)
        self.problems.extend(other.problems)
        self.known_weight += other.known_weight
        self.total_weight += other.total_weight
        self._resolved = None

    def only(self, roles: frozenset[str]) -> Tally:
        """The parts that concern a vendor in ``roles`` (role-less parts always do); cached.
        Roles are ``dns`` and ``registrar``: both = everything."""
        if len(roles) > 1:
            return self
        view = self._views.get(roles)
        if view is None:
            view = Tally()
            for p in self.parts:
                if p.role is None or p.role in roles:
                    view.add(p)
            self._views[roles] = view
        return view

    def resolve(self, weights: Weights) -> Resolution:
        """The score, the level of its worst problem and every problem's share; cached."""
        if self._resolved is None:
            self._resolved = resolve(self.problems, weights.bands, weights.lift)
        return self._resolved

    @property
    def coverage(self) -> float:
        return 1.0 if self.total_weight == 0 else self.known_weight / self.total_weight


@dataclass(frozen=True, slots=True)
class Score:
    subject: str
    lockin: float
    compliance: float
    band_lockin: str
    band_compliance: str
    coverage_lockin: float
    coverage_compliance: float
    factors: tuple[Factor, ...]

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "lockin": self.lockin, "compliance": self.compliance,
                "band_lockin": self.band_lockin, "band_compliance": self.band_compliance,
                "coverage_lockin": self.coverage_lockin,
                "coverage_compliance": self.coverage_compliance,
                "factors": [f.to_json() for f in self.factors]}


MIN_POINTS = 0.05
"""Aggregated factors below this are folded into one ``aggregate.minor`` line."""


def finish(subject: str, lockin: Tally, compliance: Tally, weights: Weights,
           *, keep_passes: bool = True) -> Score:
    """Turn two tallies into a :class:`Score` with points, bands and coverage."""
    lo, lf = _factors(lockin, "lockin", weights, keep_passes)
    co, cf = _factors(compliance, "compliance", weights, keep_passes)
    return Score(subject, lo, co, weights.band(lo), weights.band(co),
                 round(lockin.coverage, 3), round(compliance.coverage, 3), lf + cf)


def _factors(t: Tally, score: str, weights: Weights, keep_passes: bool
             ) -> tuple[float, tuple[Factor, ...]]:
    r = t.resolve(weights)
    value = r.shown
    scale = value / r.value if r.value > 0 else 0.0
    points: dict[int, float] = {}
    minor = 0.0
    for share, problem in zip(r.shares, t.problems, strict=True):
        if not problem.parts:
            minor += share * scale
        for p, fraction in problem.parts:
            if p is None:
                minor += share * fraction * scale
            else:
                points[id(p)] = points.get(id(p), 0.0) + share * fraction * scale
    out: list[Factor] = []
    for p in t.parts:
        pts = points.get(id(p), 0.0)
        if p.known and pts < MIN_POINTS and (pts > 0 or not keep_passes):
            minor += pts
            continue
        out.append(Factor(p.spec.id, p.title or p.spec.title, score, p.spec.source, p.subject,
                          p.spec.weight, round(pts, 2), p.known, p.evidence, p.spec.remedy))
    if minor > 0:
        out.append(Factor("aggregate.minor", "Smaller contributions of other members", score,
                          "aggregate", "*", 0.0, round(minor, 2), True,
                          {"members": sum(p.members for p in t.problems if not p.parts)},
                          "See the members' own scores."))
    out.sort(key=lambda f: (-f.points, not f.known, f.id, f.subject))
    return value, tuple(out)


def render_explanation(score: Score) -> str:
    """Plain text: both scores, then each factor with points, weight, source, evidence, remedy."""
    lines = [f"{score.subject}",
             f"  lock-in    {score.lockin:5.1f}  {score.band_lockin:<8} "
             f"coverage {score.coverage_lockin:.0%}",
             f"  compliance {score.compliance:5.1f}  {score.band_compliance:<8} "
             f"coverage {score.coverage_compliance:.0%}"]
    for kind, label in (("lockin", "Lock-in"), ("compliance", "Compliance")):
        factors = [f for f in score.factors if f.score == kind]
        if not factors:
            continue
        lines.append(f"{label} factors:")
        for f in factors:
            mark = {"fail": f"{f.points:5.1f} pts", "pass": "   pass ",
                    "unknown": "unknown  "}[f.state]
            lines.append(f"  {mark}  {f.title}  [{f.id}; {f.source}; weight {f.weight:g}; "
                         f"{f.subject}]")
            if f.evidence:
                lines.append(f"             evidence: {_evidence(f.evidence)}")
            if f.state != "pass":
                lines.append(f"             remedy: {f.remedy}")
    return "\n".join(lines) + "\n"


def evidence_text(evidence: Mapping[str, Any] | None) -> str:
    """A factor's evidence as one line of plain text, as :func:`render_explanation` prints it
    (the TUI's score-factors tab shows the same)."""
    return _evidence(evidence) if evidence else ""


def _evidence(evidence: Mapping[str, Any]) -> str:
    parts = []
    for k, v in evidence.items():
        if isinstance(v, list | tuple):
            shown = ", ".join(_short(i) for i in v[:5]) + (f", … (+{len(v) - 5})"
                                                           if len(v) > 5 else "")
            parts.append(f"{k}=[{shown}]")
        else:
            parts.append(f"{k}={_short(v)}")
    return "; ".join(parts)


def _short(v: Any) -> str:
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{k}: {_short(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple | set | frozenset):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    return str(v)
