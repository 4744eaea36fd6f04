"""data/scoring.yaml and user overrides: loading, merging, and errors with file, line, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.errors import ConfigError
from vendorrisk.findings.codes import Severity
from vendorrisk.scoring.weights import FACTOR_IDS, SOURCES, load_weights

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scoring"


def test_shipped_file_defines_every_factor_with_bands() -> None:
    w = load_weights()
    assert set(w.factors) == set(FACTOR_IDS)
    assert w.bands == (25.0, 50.0, 75.0)
    for spec in w.factors.values():
        assert 0 <= spec.weight < 100
        assert spec.source in SOURCES
        assert spec.title and spec.description and spec.remedy
        assert w.band(spec.weight) == spec.severity  # a factor alone is in its own band
    for sev in Severity:
        expected = "low" if sev is Severity.INFO else sev.value
        assert w.band(w.points_of(sev)) == expected
    assert w.points_of(Severity.INFO) == 0
    assert w.thresholds["notice_days_max"] == 90


@pytest.mark.parametrize(("score", "band"), [(0, "low"), (24.9, "low"), (25, "medium"),
                                             (49.9, "medium"), (50, "high"), (74.9, "high"),
                                             (75, "critical"), (100, "critical")])
def test_bands(score: float, band: str) -> None:
    assert load_weights().band(score) == band


def test_override_merges_on_top_of_shipped() -> None:
    w = load_weights(FIXTURES / "good-override.yaml")
    assert w.factors["lockin.auto_renewal"].weight == 20
    assert w.factors["lockin.auto_renewal"].remedy == "Talk to procurement."
    assert w.factors["lockin.auto_renewal"].title == "Automatic renewal"  # kept
    assert w.bands == (25.0, 50.0, 80.0)
    assert w.decay == 0.5
    assert w.files[-1].endswith("good-override.yaml")


@pytest.mark.parametrize(("name", "line", "key", "text"), [
    ("bad-syntax.yaml", 4, None, "invalid YAML"),
    ("bad-unknown-key.yaml", 3, "bands.hihg", "did you mean 'high'"),
    ("bad-weight-type.yaml", 3, "factors.lockin.auto_renewal.weight", "must be a number"),
    ("bad-weight-range.yaml", 3, "factors.lockin.auto_renewal.weight", "between 0 and 99.9"),
    ("bad-unknown-factor.yaml", 5, "factors.lockin.auto_renewel",
     "did you mean 'lockin.auto_renewal'"),
    ("bad-duplicate.yaml", 3, None, "duplicate key 'notice_days_max'"),  # datafiles' words
    ("bad-bands.yaml", 1, "bands", "must rise"),
    ("bad-not-mapping.yaml", 1, "<top>", "must be a mapping"),
])
def test_bad_override_names_file_line_and_key(name: str, line: int, key: str | None,
                                              text: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_weights(FIXTURES / name)
    message = err.value.message
    assert message.startswith(f"{FIXTURES / name}:{line}:")
    if key is not None:
        assert f": {key}: " in message
    assert text in message


@pytest.mark.parametrize(("body", "key", "text"), [
    ("factors:\n  lockin.auto_renewal:\n    weight: 60\n",
     "factors.lockin.auto_renewal.weight", "not in the band of severity low"),
    ("severity_points:\n  medium: 60\n", "severity_points.medium", "not in the medium band"),
    ("factors:\n  lockin.auto_renewal:\n    severity: hihg\n",
     "factors.lockin.auto_renewal.severity", "did you mean 'high'"),
])
def test_an_override_cannot_move_a_value_out_of_its_band(tmp_path: Path, body: str, key: str,
                                                          text: str) -> None:
    path = tmp_path / "override.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_weights(path)
    assert f": {key}: " in err.value.message and text in err.value.message


def test_an_override_may_raise_a_factors_severity_and_its_weight_follows(tmp_path: Path
                                                                         ) -> None:
    path = tmp_path / "override.yaml"
    path.write_text("factors:\n  lockin.auto_renewal:\n    severity: medium\n    weight: 30\n")
    w = load_weights(path)
    assert (w.factors["lockin.auto_renewal"].severity, w.factors["lockin.auto_renewal"].weight
            ) == ("medium", 30)


def test_bad_base_file_collects_every_problem() -> None:
    with pytest.raises(ConfigError) as err:
        load_weights(base=FIXTURES / "bad-source.yaml")
    text = str(err.value)
    assert "is missing" in text and "more)" in text
    assert "line 6: factors.lockin.auto_renewal.source" in text
    assert "did you mean 'contract'" in text


def test_empty_override_changes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert load_weights(empty).factors == load_weights().factors


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="cannot read scoring file"):
        load_weights(FIXTURES / "nope.yaml")
