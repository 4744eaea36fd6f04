"""Evidence packs: a folder (and a zip of it) with a manifest of SHA-256 hashes.

The manifest names every file with its size and SHA-256, and carries the audit chain's head
hash at the time the pack was made, so an auditor can check that nothing in the pack changed
(:func:`verify_pack`) and tie it to the tamper-evident audit trail. The folder is built in a
staging directory and renamed into place: a failure leaves no half-made pack.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vendorrisk.errors import InputError, StorageError

MANIFEST = "manifest.json"
FORMAT = "vendorrisk-evidence-pack"
FORMAT_VERSION = 1


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class PackResult:
    directory: Path
    zip_path: Path
    manifest: dict[str, Any]


@dataclass
class VerifyReport:
    ok: bool
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    audit_head_hash: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "problems": self.problems,
                "audit_head_hash": self.audit_head_hash}


def write_pack(out_dir: Path, writers: Mapping[str, Callable[[Path], None]],
               meta: Mapping[str, Any]) -> PackResult:
    """Build ``out_dir`` from ``writers`` (file name -> function writing that file), add the
    manifest, then zip it to ``out_dir.with_suffix('.zip')``. Refuses to overwrite a pack."""
    zip_path = out_dir.with_name(out_dir.name + ".zip")
    if out_dir.exists() or zip_path.exists():
        raise InputError(f"{out_dir} already exists", "choose another --out or remove it")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".evidence-", dir=out_dir.parent))
    try:
        for name, write in writers.items():
            write(staging / name)
        files = [{"path": p.name, "bytes": p.stat().st_size, "sha256": sha256_file(p)}
                 for p in sorted(staging.iterdir()) if p.is_file()]
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta, "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False,
                                                   default=str) + "\n", encoding="utf-8")
        tmp_zip = staging.with_suffix(".zip")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            for p in sorted(staging.iterdir()):
                archive.write(p, f"{out_dir.name}/{p.name}")
        os.replace(staging, out_dir)
        os.replace(tmp_zip, zip_path)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        staging.with_suffix(".zip").unlink(missing_ok=True)
        raise StorageError(f"cannot write evidence pack {out_dir}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        staging.with_suffix(".zip").unlink(missing_ok=True)
        raise
    return PackResult(out_dir, zip_path, manifest)


def verify_pack(target: Path) -> VerifyReport:
    """Re-hash every file a pack's manifest lists; report missing, changed and extra files."""
    if target.is_file() and zipfile.is_zipfile(target):
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(target) as archive:
                _safe_extract(archive, Path(tmp))
            roots = [p for p in Path(tmp).iterdir() if p.is_dir()]
            if len(roots) != 1:
                return VerifyReport(False, problems=["the zip does not hold one pack folder"])
            return verify_pack(roots[0])
    manifest_path = target / MANIFEST
    if not target.is_dir() or not manifest_path.is_file():
        raise InputError(f"{target} is not an evidence pack (no {MANIFEST})")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return VerifyReport(False, problems=[f"{MANIFEST} is not valid JSON: {exc}"])
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return VerifyReport(False, problems=[f"{MANIFEST} is not a vendorrisk manifest"])
    report = VerifyReport(True, audit_head_hash=(manifest.get("audit") or {}).get("head_hash"))
    listed = set()
    for entry in manifest.get("files") or []:
        name = str(entry.get("path", ""))
        listed.add(name)
        path = target / name
        if "/" in name or "\\" in name or name.startswith("."):
            report.problems.append(f"{name}: not a plain file name")
        elif not path.is_file():
            report.problems.append(f"{name}: missing")
        elif sha256_file(path) != entry.get("sha256"):
            report.problems.append(f"{name}: SHA-256 does not match the manifest (changed)")
        report.checked += 1
    for extra in sorted(p.name for p in target.iterdir() if p.name not in listed | {MANIFEST}):
        report.problems.append(f"{extra}: not listed in the manifest")
    if not report.audit_head_hash:
        report.problems.append("the manifest has no audit head hash")
    report.ok = not report.problems
    return report


def _safe_extract(archive: zipfile.ZipFile, dest: Path) -> None:
    root = dest.resolve()
    total = 0
    for info in archive.infolist():
        target = (dest / info.filename).resolve()
        if not target.is_relative_to(root):
            raise InputError(f"unsafe path in zip: {info.filename}")
        total += info.file_size
        if total > 2 * 1024**3:
            raise InputError("the zip expands to more than 2 GB")
    archive.extractall(dest)
