from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from vendorrisk.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def cli_runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
               tmp_path: Path, user: str) -> Run:
    """The real entry point in-process, as ``user`` with an empty config file; each call
    returns exit code, stdout and stderr."""
    config = tmp_path / "empty-config.toml"
    config.touch()
    monkeypatch.setenv("VENDORRISK_CONFIG", str(config))
    monkeypatch.setenv("VENDORRISK_USER", user)

    def invoke(*argv: str) -> Result:
        capsys.readouterr()
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Run:
    """Run the real entry point in-process; returns exit code, stdout and stderr."""
    return cli_runner(capsys, monkeypatch, tmp_path, "cli-tester")
