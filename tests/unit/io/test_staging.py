"""The sweep removes only what dead writers left under our own staging pattern."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vendorrisk.io import staging


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _aged(path: Path, seconds: float = 60) -> Path:
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


@pytest.fixture(autouse=True)
def started_half_a_minute_ago(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process "started" 30 s ago: entries aged 60 s are older than it, fresh ones not."""
    monkeypatch.setattr(staging, "_started", time.time() - 30)


def test_sweep_removes_what_dead_writers_left_and_nothing_else(tmp_path: Path) -> None:
    dead = _dead_pid()
    part = tmp_path / f".book.xlsx.vrstage-{dead}-abc123_x.part"
    part.write_bytes(b"PK half")
    _aged(part)
    folder = tmp_path / f".pack.vrstage-{dead}-zz9.part"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    _aged(folder)
    kept = [tmp_path / ".book.xlsx.abc123.part",  # not ours: no vrstage- mark
            tmp_path / "notes.vrstage-1-a.part",  # not hidden
            tmp_path / f".x.vrstage-{os.getpid()}-a.part",  # this process is writing it
            tmp_path / f".y.vrstage-{dead}-a.part",  # newer than this process
            tmp_path / "book.xlsx"]
    for path in kept:
        path.write_bytes(b"keep")
    for path in kept[:3] + kept[4:]:
        _aged(path)
    swept = staging.sweep(tmp_path)
    assert sorted(swept) == sorted([part, folder])
    assert all(p.exists() for p in kept)


def test_a_folder_set_aside_mid_swap_is_put_back(tmp_path: Path) -> None:
    dead = _dead_pid()
    old = tmp_path / f".pack.vrstage-{dead}.old"
    old.mkdir()
    (old / "manifest.json").write_text("{}")
    _aged(old)
    assert staging.sweep(tmp_path) == []
    assert (tmp_path / "pack" / "manifest.json").exists() and not old.exists()


def test_a_live_writers_staging_is_kept_unless_a_day_old(tmp_path: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        part = tmp_path / f".book.xlsx.vrstage-{live.pid}-a.part"
        part.write_bytes(b"PK")
        _aged(part)
        assert staging.sweep(tmp_path) == [] and part.exists()
        _aged(part, staging.STALE_AFTER_S + 60)  # its id was reused long after
        assert staging.sweep(tmp_path) == [part]
    finally:
        live.kill()
        live.wait()


def test_a_long_name_keeps_its_staging_name_short(tmp_path: Path) -> None:
    target = tmp_path / ("中" * 80 + ".xlsx")  # 244 bytes
    path = staging.staging_path(target)
    assert len(path.name.encode()) < 200 and path.parent == tmp_path
