"""Evidence packs: manifest hashes, zip, and verification that catches any change."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from vendorrisk.errors import InputError
from vendorrisk.io import evidence_pack as E

META = {"client": "Acme", "month": "2026-10", "audit": {"head_hash": "ab" * 32}}


def _pack(tmp_path: Path) -> E.PackResult:
    writers = {"a.txt": lambda p: p.write_text("alpha"), "b.bin": lambda p: p.write_bytes(b"\0b")}
    return E.write_pack(tmp_path / "pack", writers, META)


def test_pack_folder_zip_and_manifest(tmp_path: Path) -> None:
    result = _pack(tmp_path)
    manifest = json.loads((result.directory / "manifest.json").read_text())
    assert manifest["audit"]["head_hash"] == "ab" * 32
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        "a.txt": E.sha256_file(result.directory / "a.txt"),
        "b.bin": E.sha256_file(result.directory / "b.bin")}
    with zipfile.ZipFile(result.zip_path) as archive:
        assert sorted(archive.namelist()) == ["pack/a.txt", "pack/b.bin", "pack/manifest.json"]
    assert E.verify_pack(result.directory).ok
    assert E.verify_pack(result.zip_path).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "pack.zip"]


@pytest.mark.parametrize("tamper", ["change", "delete", "add", "manifest"])
def test_verify_catches_tampering(tmp_path: Path, tamper: str) -> None:
    result = _pack(tmp_path)
    d = result.directory
    if tamper == "change":
        (d / "a.txt").write_text("alphA")
    elif tamper == "delete":
        (d / "b.bin").unlink()
    elif tamper == "add":
        (d / "c.txt").write_text("extra")
    else:
        (d / "manifest.json").write_text("{not json")
    report = E.verify_pack(d)
    assert not report.ok and report.problems


def test_refuses_to_overwrite_and_failure_leaves_nothing(tmp_path: Path) -> None:
    _pack(tmp_path)
    with pytest.raises(InputError, match="already exists"):
        _pack(tmp_path)

    def boom(path: Path) -> None:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        E.write_pack(tmp_path / "other", {"x": boom}, META)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "pack.zip"]


def test_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an evidence pack"):
        E.verify_pack(tmp_path)
