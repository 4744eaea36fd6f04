"""The Arelle check: refused clearly when it cannot run; Arelle's log read for its errors
(it exits 0 when it reports them)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from vendorrisk.errors import InputError
from vendorrisk.io import dora_arelle as A

LOG = ("WARNING [xbrlce:x] a warning\n"
       "ERROR [xbrlce:unresolvableBaseMetadataFile] Extending document file not found\n")


def test_missing_taxonomy_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        A.check(tmp_path / "absent.zip")


def test_missing_arelle_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t.zip").write_bytes(b"PK")
    monkeypatch.setattr(A, "available", lambda: False)
    with pytest.raises(InputError, match="needs Arelle") as err:
        A.check(tmp_path / "t.zip")
    assert "arelle-release" in str(err.value.hint)


def test_errors_read_from_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t.zip").write_bytes(b"PK")
    monkeypatch.setattr(A, "available", lambda: True)
    seen: list[list[str]] = []

    def run(cmd: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        seen.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, LOG, "")

    monkeypatch.setattr(subprocess, "run", run)
    assert A.validate(tmp_path / "p.zip", tmp_path / "t.zip") == [
        "Arelle: ERROR [xbrlce:unresolvableBaseMetadataFile] Extending document file not found"]
    assert seen[0][seen[0].index("--packages") + 1] == str(tmp_path / "t.zip")
    assert "offline" in seen[0]

    def crash(cmd: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(cmd, 1, "", "Traceback\nBoom\n")

    monkeypatch.setattr(subprocess, "run", crash)
    assert A.validate(tmp_path / "p.zip", tmp_path / "t.zip") == [
        "Arelle: exit status 1: Traceback; Boom"]
