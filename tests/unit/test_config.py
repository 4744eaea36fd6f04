from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk import config
from vendorrisk.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_defaults_without_file(tmp_path: Path) -> None:
    settings = config.load(tmp_path / "missing.toml", env={})
    assert settings.probe.timeout == 3.0
    assert settings.probe.registration_source == "auto"
    assert settings.db is None


def test_precedence_file_then_env_then_flags(tmp_path: Path) -> None:
    path = write(tmp_path, 'user = "file"\n[probe]\ntimeout = 1.0\nconcurrency = 10\n')
    env = {"VENDORRISK_PROBE_TIMEOUT": "2.0", "VENDORRISK_USER": "env"}
    settings = config.load(path, env=env, flags={"probe.timeout": 4.0, "db": None})
    assert settings.probe.timeout == 4.0  # flag beats env
    assert settings.probe.concurrency == 10  # file value survives
    assert settings.user == "env"  # env beats file


def test_unknown_key_names_file_line_and_nearest(tmp_path: Path) -> None:
    path = write(tmp_path, 'user = "a"\n\n[probe]\ntimout = 3\n')
    with pytest.raises(ConfigError) as err:
        config.load(path, env={})
    text = str(err.value)
    assert f"{path}:4" in text
    assert "probe.timout" in text
    assert "probe.timeout" in text


def test_bad_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"VENDORRISK_PROBE_CONCURRENCY.*whole number"):
        config.load(Path("/nonexistent"), env={"VENDORRISK_PROBE_CONCURRENCY": "lots"})


def test_bad_enum_and_negative_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="one of auto, rdap, whois"):
        config.load(write(tmp_path, '[probe]\nregistration_source = "ftp"\n'), env={})
    with pytest.raises(ConfigError, match="greater than 0"):
        config.load(write(tmp_path, "[probe]\ntimeout = -1\n"), env={})


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "user = \n"), env={})


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = config.load(tmp_path / "none.toml", env={})
    with pytest.raises(AttributeError):
        settings.user = "x"  # type: ignore[misc]
