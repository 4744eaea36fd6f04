"""A bad setting in the environment or the config file ends any command with one line and
exit 2 (issue #15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run


@pytest.mark.parametrize(("name", "value", "message"), [
    ("VENDORRISK_PROBE_TIMEOUT", "inf", "environment variable VENDORRISK_PROBE_TIMEOUT: "
                                        "probe.timeout must be a finite number, got 'inf'"),
    ("VENDORRISK_PROBE_CONCURRENCY", "1e999", "environment variable VENDORRISK_PROBE_CONCURRENCY: "
                                              "probe.concurrency must be a whole number, "
                                              "got '1e999'"),
])
def test_bad_number_in_the_environment(run: Run, monkeypatch: pytest.MonkeyPatch, name: str,
                                       value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    result = run("locate")
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip().count("\n") == 0 and message in result.err


def test_latin1_config_file(run: Run, tmp_path: Path) -> None:
    cfg = tmp_path / "latin1.toml"
    cfg.write_bytes('user = "Jürgen"\n'.encode("latin-1"))
    result = run("--config", str(cfg), "locate")
    assert result.code == 2
    assert f"{cfg}:1: not UTF-8 text (byte 0xfc at column 10)" in result.err
    assert result.err.strip().count("\n") == 0
