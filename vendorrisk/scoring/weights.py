"""Load ``data/scoring.yaml`` (+ a user override) into frozen :class:`Weights`.

Every problem is reported with file, line and key, and unknown keys suggest the nearest
valid one. The file is read by the data-file loader (``vendorrisk.datafiles``), whose
mappings remember the line of every key.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vendorrisk.datafiles import MarkedDict, line_of, load_yaml
from vendorrisk.errors import ConfigError
from vendorrisk.paths import data_file
from vendorrisk.scoring.combine import LEVELS, level_of
from vendorrisk.vocab import Severity

SOURCES = frozenset({"probe", "contract", "certification", "questionnaire", "concentration",
                     "catalog", "inventory"})
SCORES = ("lockin", "compliance")
_FACTOR_KEYS = {"score", "severity", "weight", "counted", "source", "title", "description",
                "remedy"}
_REQUIRED_KEYS = _FACTOR_KEYS - {"weight", "counted"}
_THRESHOLDS = {"notice_days_max": 90.0, "exit_assistance_min_days": 30.0,
               "concentration_share": 0.5}
_TOP = {"version", "bands", "aggregation", "severity_points", "thresholds", "factors"}
FACTOR_IDS = (
    "lockin.no_outbound_transfer", "lockin.apex_ns_not_customer", "lockin.single_operator",
    "lockin.dnssec_keys_held", "lockin.proprietary_features", "lockin.registrar_own_ns",
    "lockin.no_termination_for_convenience", "lockin.long_notice", "lockin.auto_renewal",
    "lockin.notice_deadline", "lockin.no_exit_assistance", "lockin.no_export_clause",
    "lockin.early_termination_fee", "lockin.concentration",
    "compliance.open_findings", "compliance.probe_incomplete", "compliance.cert_expired",
    "compliance.cert_stale", "compliance.cert_missing", "compliance.risky_answers",
    "compliance.questionnaire_unanswered", "compliance.questionnaire_stale",
    "compliance.clause_missing", "compliance.contract_expired", "compliance.residency",
    "compliance.contract_missing",
)
"""The factors the scoring code computes; the shipped file must define each of them."""

Path_ = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactorSpec:
    id: str
    score: str
    """``lockin`` or ``compliance``."""
    weight: float
    """Points when the factor is the only problem and fully present; for a counted factor,
    what it weighs in the coverage (each counted item scores by its own severity)."""
    source: str
    title: str
    description: str
    remedy: str
    severity: str = "medium"
    counted: bool = False
    bands: tuple[float, float, float] = (25.0, 50.0, 75.0)

    def level_of(self, points: float) -> int:
        """The band one problem of ``points`` anchors in (0 low … 3 critical)."""
        return level_of(points, self.bands)


@dataclass(frozen=True, slots=True)
class Weights:
    factors: Mapping[str, FactorSpec]
    bands: tuple[float, float, float]
    """Lower bounds of medium, high, critical."""
    decay: float
    severity_points: Mapping[Severity, float]
    """What one finding, answer or clause of this severity scores alone."""
    thresholds: Mapping[str, float]
    files: tuple[str, ...] = ()
    lift: float = 0.3
    """How much each further problem at a subject's worst severity closes of the gap to the
    band above (see ``scoring.combine``)."""
    version: str = ""
    """``version`` of the shipped scoring.yaml, and of each override file applied."""

    def factor(self, factor_id: str) -> FactorSpec:
        return self.factors[factor_id]

    def points_of(self, severity: Severity) -> float:
        return self.severity_points[severity]

    def band(self, score: float) -> str:
        return LEVELS[level_of(score, self.bands)]


def load_weights(override: Path | str | None = None, *, base: Path | str | None = None
                 ) -> Weights:
    """The shipped weights, with ``override`` (a partial file of the same layout) on top."""
    base_path = Path(base) if base is not None else data_file("scoring.yaml")
    data = read_yaml(base_path)
    problems = _check(data, base_path, is_override=False, known=None)
    if problems:
        _raise(problems)
    files = [str(base_path)]
    if override is not None:
        opath = Path(override)
        odata = read_yaml(opath)
        problems = _check(odata, opath, is_override=True, known=set(data["factors"]))
        if problems:
            _raise(problems)
        data = _merge(data, odata)
        files.append(str(opath))
    _bands_check(data, Path(files[-1]))
    return _build(data, tuple(files))


def read_yaml(path: Path) -> Any:
    """Parse ``path`` with the data-file loader: mappings remember the line of every key.
    An empty file is an empty mapping (an override that changes nothing)."""
    data = load_yaml(path, what="scoring file", invalid="invalid YAML")
    return MarkedDict() if data is None else data


def _line(data: Any, at: Path_) -> int:
    """The line of the key path ``at`` (or of its nearest present parent); 1 if unknown."""
    node, line = data, line_of(data)
    for key in at:
        if not isinstance(node, MarkedDict):
            break
        found = next((k for k in node if str(k) == key), _MISSING)
        if found is _MISSING:
            break
        line, node = node.line_of(found), node[found]
    return line or 1


_MISSING = object()


# --- validation -------------------------------------------------------------------------------

Problem = tuple[str, int, str, str]
"""(file, line, key, problem)."""


def _check(data: Any, path: Path, *, is_override: bool, known: set[str] | None
           ) -> list[Problem]:
    out: list[Problem] = []

    def bad(at: Path_, problem: str) -> None:
        line = _line(data, at)
        out.append((str(path), line, ".".join(at) or "<top>", problem))

    if not isinstance(data, dict):
        bad((), "the file must be a mapping")
        return out
    _unknown(data, _TOP, (), bad)
    _check_numbers(data, bad)
    factors = data.get("factors", {})
    if not isinstance(factors, dict):
        bad(("factors",), "must be a mapping of factor id to its settings")
        return out
    if not is_override:
        for fid in FACTOR_IDS:
            if fid not in factors:
                bad(("factors",), f"factor {fid!r} is missing")
    for fid, spec in factors.items():
        at = ("factors", str(fid))
        if known is not None and fid not in known:
            bad(at, "unknown factor" + _nearest(str(fid), known))
            continue
        if not isinstance(spec, dict):
            bad(at, "must be a mapping")
            continue
        _unknown(spec, _FACTOR_KEYS, at, bad)
        required: set[str] = set() if is_override else _REQUIRED_KEYS
        for key in sorted(required - set(spec)):
            bad(at, f"missing key {key!r}")
        if "weight" in spec:
            _number(spec["weight"], (*at, "weight"), bad, 0, 99.9)
        if "severity" in spec and spec["severity"] not in LEVELS:
            bad((*at, "severity"), f"must be one of {', '.join(LEVELS)}"
                + _nearest(str(spec["severity"]), LEVELS))
        if "counted" in spec and not isinstance(spec["counted"], bool):
            bad((*at, "counted"), f"must be true or false, got {spec['counted']!r}")
        if "score" in spec and spec["score"] not in SCORES:
            bad((*at, "score"), f"must be one of {', '.join(SCORES)}")
        if "source" in spec and not (isinstance(spec["source"], str)
                                     and spec["source"] in SOURCES):
            bad((*at, "source"), "must be one of " + ", ".join(sorted(SOURCES))
                + _nearest(str(spec["source"]), SOURCES))
    return out


def _check_numbers(data: dict[str, Any], bad: Any) -> None:
    sections: dict[str, tuple[set[str], float, float]] = {
        "bands": ({"medium", "high", "critical"}, 0, 100),
        "aggregation": ({"decay", "lift"}, 0, 1),
        "severity_points": ({s.value for s in Severity}, 0, 99.9),
        "thresholds": (set(_THRESHOLDS), 0, 100000),
    }
    for name, (keys, lo, hi) in sections.items():
        if name not in data:
            continue
        section = data[name]
        if not isinstance(section, dict):
            bad((name,), "must be a mapping")
            continue
        _unknown(section, keys, (name,), bad)
        for key in keys & set(section):
            _number(section[key], (name, key), bad, lo, hi)
    bands = data.get("bands")
    if isinstance(bands, dict) and all(
            isinstance(bands.get(k), int | float) for k in ("medium", "high", "critical")) \
            and not bands["medium"] < bands["high"] < bands["critical"]:
        bad(("bands",), "bands must rise: medium < high < critical")


def _number(value: Any, at: Path_, bad: Any, lo: float, hi: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        bad(at, f"must be a number, got {value!r}")
    elif not lo <= value <= hi:
        bad(at, f"must be between {lo:g} and {hi:g}, got {value!r}")


def _unknown(mapping: dict[Any, Any], valid: set[str], at: Path_, bad: Any) -> None:
    for key in mapping:
        if str(key) not in valid:
            bad((*at, str(key)), "unknown key" + _nearest(str(key), valid))


def _nearest(word: str, valid: Any) -> str:
    close = difflib.get_close_matches(word, sorted(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _raise(problems: list[Problem]) -> None:
    first, *rest = sorted(problems, key=lambda p: p[1])
    more = f" (and {len(rest)} more)" if rest else ""
    raise ConfigError(f"{first[0]}:{first[1]}: {first[2]}: {first[3]}{more}",
                      hint="; ".join(f"line {p[1]}: {p[2]}: {p[3]}" for p in rest) or None)


# --- building ---------------------------------------------------------------------------------

def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def _bands_check(data: dict[str, Any], path: Path) -> None:
    """The merged file must keep every band's meaning: each severity's points and each
    factor's weight lie inside the band of their severity."""
    w = _build(data, ())
    problems: list[Problem] = []
    for sev in Severity:
        want = LEVELS.index(sev.value) if sev.value in LEVELS else None  # info: none
        got = w.severity_points[sev]
        if want is None:
            if got >= w.bands[0]:
                problems.append((str(path), _line(data, ("severity_points", sev.value)),
                                 f"severity_points.{sev.value}",
                                 f"info must stay in the low band (below {w.bands[0]:g})"))
        elif level_of(got, w.bands) != want:
            problems.append((str(path), _line(data, ("severity_points", sev.value)),
                             f"severity_points.{sev.value}",
                             f"{got:g} is not in the {sev.value} band"))
    for spec in w.factors.values():
        if level_of(spec.weight, w.bands) != LEVELS.index(spec.severity):
            at = ("factors", spec.id, "weight")
            problems.append((str(path), _line(data, at), ".".join(at),
                             f"{spec.weight:g} is not in the band of severity {spec.severity}"))
    if problems:
        _raise(problems)


def _build(data: dict[str, Any], files: tuple[str, ...]) -> Weights:
    bands_data = data.get("bands", {})
    bands = (float(bands_data.get("medium", 25)), float(bands_data.get("high", 50)),
             float(bands_data.get("critical", 75)))
    given = data.get("severity_points", {})
    points = {s: float(given.get(s.value, _POINTS[s.value])) for s in Severity}

    def spec(fid: str, s: dict[str, Any]) -> FactorSpec:
        severity = str(s["severity"])
        weight = s.get("weight", points[Severity(severity)])
        return FactorSpec(fid, s["score"], float(weight), s["source"], str(s["title"]),
                          str(s["description"]).strip(), str(s["remedy"]).strip(), severity,
                          bool(s.get("counted", False)), bands)

    return Weights(
        factors={fid: spec(fid, s) for fid, s in data["factors"].items()},
        bands=bands,
        decay=float(data.get("aggregation", {}).get("decay", 0.25)),
        severity_points=points,
        thresholds={k: float(data.get("thresholds", {}).get(k, d)) for k, d in _THRESHOLDS.items()},
        files=files,
        lift=float(data.get("aggregation", {}).get("lift", 0.3)),
        version=str(data.get("version", "")),
    )


_POINTS = {"critical": 85.0, "high": 60.0, "medium": 35.0, "low": 12.0, "info": 0.0}
