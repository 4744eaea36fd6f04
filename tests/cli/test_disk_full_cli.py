"""A full disk is one clean line (issue #22, item 6).

Every write under the output folder goes through a file whose writes fail with ENOSPC (or
EDQUOT, EFBIG) once a byte budget is spent: at the first byte, or part-way through (a share of
the output's size; a workbook's sheet streams, staged in the same folder, count too). Each
output (questionnaire, import template, workbook, evidence pack, DORA package) then fails
with one line and exit 3, the previous output at the final path is kept byte for byte, no
staging file is left, and nothing is printed by a finaliser ("Exception ignored")."""

from __future__ import annotations

import builtins
import errno
import gc
import io
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo

CLIENT = "Baltic Pay UAB"
MONTH = f"{date.today():%Y-%m}"
COMMANDS: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "questionnaire": (lambda out: ["questionnaire", "send", "Cloudflare", "--template",
                                   "dns-provider", "--out", str(out / "q.xlsx")], "q.xlsx"),
    "template": (lambda out: ["import", "--template", str(out / "t.xlsx")], "t.xlsx"),
    "workbook": (lambda out: ["export", "--client", CLIENT, "--out", str(out / "book.xlsx")],
                 "book.xlsx"),
    "evidence": (lambda out: ["evidence", "--client", CLIENT, "--month", MONTH,
                              "--out", str(out / "pack")], "pack"),
    "dora": (lambda out: ["export", "--dora-register", "--draft", "--client", CLIENT,
                          "--out", str(out / "dora")], "dora"),
}


class _Full:
    """A file on a disk with ``budget`` bytes left; then every write fails with ``code``."""

    left: int = 0
    code: int = errno.ENOSPC

    def __init__(self, file: Any) -> None:
        self._file = file

    def write(self, data: Any) -> int:
        if len(data) > _Full.left:
            raise OSError(_Full.code, os.strerror(_Full.code))
        _Full.left -= len(data)
        written: int = self._file.write(data)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _Full:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def __iter__(self) -> Any:
        return iter(self._file)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("full") / "demo.db"
    svc = open_services(Settings(db=f"sqlite:///{path}", user="setup"))
    load_demo(svc, today=date.today())
    svc.close()
    return path


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file()}


def _fill_disk_under(folder: Path, monkeypatch: pytest.MonkeyPatch, budget: int,
                     code: int) -> None:
    real = io.open

    def opener(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real(file, mode, *args, **kwargs)
        writing = any(c in mode for c in "wax+")
        if writing and isinstance(file, str | Path) and str(file).startswith(str(folder)):
            return _Full(handle)
        return handle

    _Full.left, _Full.code = budget, code
    monkeypatch.setattr(io, "open", opener)
    monkeypatch.setattr(builtins, "open", opener)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("share", "code"), [
    (0.0, errno.ENOSPC), (0.3, errno.ENOSPC), (0.9, errno.ENOSPC),
    (0.5, errno.EDQUOT), (0.5, errno.EFBIG)])
def test_a_full_disk_is_one_line_and_keeps_the_previous_output(
        run: Run, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        command: str, share: float, code: int) -> None:
    """``share``: the part of the output's size the disk still has room for."""
    database = tmp_path / "demo.db"
    shutil.copy(demo_db, database)
    monkeypatch.setenv("VENDORRISK_DB", f"sqlite:///{database}")
    out = tmp_path / "out"
    argv, name = COMMANDS[command][0](out), COMMANDS[command][1]
    made = run(*argv)
    assert made.code == 0, made.err
    before = _snapshot(out / name)
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    _fill_disk_under(out, monkeypatch, int(share * sum(map(len, before.values()))), code)
    failed = run(*argv, "--force")
    gc.collect()  # a finaliser of a half-written file would speak now
    monkeypatch.undo()
    assert failed.code == 3, failed.err
    lines = [line for line in failed.err.splitlines() if not line.startswith("warning: ")]
    assert lines == [f"vendorrisk: cannot write {out / name}: {os.strerror(code)} "
                     f"({_hint(code)})"], failed.err
    assert unraisable == []
    assert _snapshot(out / name) == before  # the previous output, byte for byte
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def _hint(code: int) -> str:
    from vendorrisk.io.writefail import FULL

    return FULL[code]
