from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from vendorrisk import config, paths
from vendorrisk.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


@pytest.fixture
def no_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default config location, with no file there."""
    default = tmp_path / "default" / "config.toml"
    monkeypatch.setattr(paths, "config_file", lambda: default)
    return default


def test_defaults_without_file(no_default_file: Path) -> None:
    settings = config.load(env={})
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


def test_bad_value_names_the_variable(no_default_file: Path) -> None:
    with pytest.raises(ConfigError, match=r"VENDORRISK_PROBE_CONCURRENCY.*whole number"):
        config.load(env={"VENDORRISK_PROBE_CONCURRENCY": "lots"})


def test_bad_enum_and_negative_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="one of auto, rdap, whois"):
        config.load(write(tmp_path, '[probe]\nregistration_source = "ftp"\n'), env={})
    with pytest.raises(ConfigError, match=r"greater than 0, between 0\.1 and 300, got -1"):
        config.load(write(tmp_path, "[probe]\ntimeout = -1\n"), env={})


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "user = \n"), env={})


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, ""), env={})
    with pytest.raises(AttributeError):
        settings.user = "x"  # type: ignore[misc]


def test_missing_file_named_by_flag_is_an_error(tmp_path: Path, no_default_file: Path) -> None:
    missing = tmp_path / "typo.toml"
    with pytest.raises(ConfigError) as err:
        config.load(missing, env={})
    assert str(err.value) == f"config file {missing} named by --config does not exist"


def test_missing_file_named_by_environment_is_an_error(tmp_path: Path,
                                                        no_default_file: Path) -> None:
    missing = tmp_path / "typo.toml"
    with pytest.raises(ConfigError, match=re.escape(f"{missing} named by VENDORRISK_CONFIG does not exist")):
        config.load(env={"VENDORRISK_CONFIG": str(missing)})


def test_named_folder_is_not_a_config_file(tmp_path: Path, no_default_file: Path) -> None:
    with pytest.raises(ConfigError, match="is not a file"):
        config.load(env={"VENDORRISK_CONFIG": str(tmp_path)})


def test_file_named_by_environment_is_read(tmp_path: Path, no_default_file: Path) -> None:
    path = write(tmp_path, 'user = "from-file"\n')
    assert config.load(env={"VENDORRISK_CONFIG": str(path)}).user == "from-file"


def test_default_file_is_read_when_present(no_default_file: Path) -> None:
    no_default_file.parent.mkdir()
    no_default_file.write_text('user = "default"\n')
    assert config.config_file(env={}) == no_default_file
    assert config.load(env={}).user == "default"


def test_unknown_top_level_key_without_close_match_lists_valid_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, "zzzz = 1\n"), env={})
    assert err.value.hint == ("valid settings: auto_upgrade, db, exports_dir, probe, "
                              "questionnaire_dirs, review, scoring_weights, user")


@pytest.mark.parametrize("text", ["[probe]\ntimeout = inf\n", "[probe]\ntimeout = nan\n",
                                  "[probe]\nconcurrency = 1e999\n", "[probe]\ndns_rate_limit = -inf\n"])
def test_non_finite_numbers_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match=r"config.toml:2: probe\.\w+ must be a (finite|whole) number"):
        config.load(write(tmp_path, text), env={})


def test_non_finite_numbers_from_the_environment_are_refused(no_default_file: Path) -> None:
    with pytest.raises(ConfigError, match=r"VENDORRISK_PROBE_TIMEOUT.*finite number"):
        config.load(env={"VENDORRISK_PROBE_TIMEOUT": "NaN"})


def _numeric_settings() -> list[str]:
    out = []
    for section, cls in (("probe", config.ProbeSettings), ("review", config.ReviewSettings)):
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            if set(typing.get_args(hints[f.name]) or (hints[f.name],)) & {int, float}:
                out.append(f"{section}.{f.name}")
    return out


def test_every_numeric_setting_has_a_range_and_readme_lists_it() -> None:
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text("utf-8").split())
    assert sorted(config.LIMITS) == sorted(_numeric_settings())
    for key, (low, high) in config.LIMITS.items():
        assert f"`{key}`" in readme
        assert f"{config._fmt(low)}–{config._fmt(high)}" in readme, key


@pytest.mark.parametrize("key", sorted(config.LIMITS))
def test_ranges_hold_at_both_ends(tmp_path: Path, key: str) -> None:
    section, name = key.split(".")
    low, high = config.LIMITS[key]
    for value in (low, high):
        settings = config.load(write(tmp_path, f"[{section}]\n{name} = {value!r}\n"), env={})
        assert getattr(getattr(settings, section), name) == value
    above = high * 2 if high else 1
    with pytest.raises(ConfigError, match=rf"config.toml:2: {key} must be between"):
        config.load(write(tmp_path, f"[{section}]\n{name} = {above!r}\n"), env={})


@pytest.mark.parametrize(("text", "message"), [
    ("[probe]\nconcurrency = 2.5\n", "probe.concurrency must be a whole number, got 2.5"),
    ('[probe]\nresolver = "a\\u0000b"\n', "probe.resolver must be text without control "
                                          "characters, got 'a\\x00b'"),
    ("__source__ = 1\n", "unknown setting '__source__'"),
    ("[probe]\ntimeout = true\n", "probe.timeout must be a finite number, got True"),
    ('exports_dir = "~no-such-user-here/x"\n',
     "exports_dir: cannot expand ~ in '~no-such-user-here/x': no such user"),
    ('questionnaire_dirs = ["~no-such-user-here"]\n',
     "questionnaire_dirs: cannot expand ~ in '~no-such-user-here': no such user"),
])
def test_odd_values_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, text), env={})
    assert err.value.message.endswith(message) and "\n" not in err.value.message


def test_a_section_named_alone_in_the_environment(no_default_file: Path) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(env={"VENDORRISK_REVIEW": "182", "VENDORRISK_REVIEW_TIER2_DAYS": "30"})
    assert err.value.message == ("environment variable VENDORRISK_REVIEW: 'review' is a table "
                                 "of settings, not one setting")


def test_config_named_with_unknown_home(no_default_file: Path) -> None:
    with pytest.raises(ConfigError, match="cannot expand ~"):
        config.load(env={"VENDORRISK_CONFIG": "~no-such-user-here/config.toml"})


def test_allow_networks_from_file_and_environment(tmp_path: Path, no_default_file: Path) -> None:
    path = write(tmp_path, '[probe]\nallow_networks = ["10.53.0.0/16", "fd00::/8"]\n')
    assert config.load(path, env={}).probe.allow_networks == ("10.53.0.0/16", "fd00::/8")
    env = {"VENDORRISK_PROBE_ALLOW_NETWORKS": "127.0.0.0/8, 10.0.0.0/8"}
    assert config.load(env=env).probe.allow_networks == ("127.0.0.0/8", "10.0.0.0/8")
    with pytest.raises(ConfigError, match=r"config.toml:2: probe.allow_networks: '10.0.0/33' is not a"):
        config.load(write(tmp_path, '[probe]\nallow_networks = ["10.0.0/33"]\n'), env={})
    with pytest.raises(ConfigError, match="must be a list of networks"):
        config.load(write(tmp_path, "[probe]\nallow_networks = 10\n"), env={})
