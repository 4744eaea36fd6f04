"""Evidence packs: a folder (and a zip of it) with a manifest of SHA-256 hashes.

The manifest names every file with its size and SHA-256, and carries the audit chain's head
hash at the time the pack was made, so an auditor can check that nothing in the pack changed
(:func:`verify_pack`) and tie it to the tamper-evident audit trail. The folder and the zip
are built under temporary names and renamed into place: a failure leaves no half-made pack.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vendorrisk.errors import InputError
from vendorrisk.io.atomic import refuse_existing, write_atomic

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
               meta: Mapping[str, Any], *, force: bool = False) -> PackResult:
    """Build ``out_dir`` from ``writers`` (file name -> function writing that file), add the
    manifest, and zip it to ``out_dir.zip``. Both are made under temporary names and renamed
    into place (:mod:`vendorrisk.io.atomic`); an existing pack is replaced only with ``force``."""
    zip_path = out_dir.with_name(out_dir.name + ".zip")
    refuse_existing(out_dir, zip_path, force=force)
    manifest: dict[str, Any] = {}

    def build(folder: Path) -> None:
        for name, write in writers.items():
            write(folder / name)
        files = [{"path": p.name, "bytes": p.stat().st_size, "sha256": sha256_file(p)}
                 for p in sorted(folder.iterdir()) if p.is_file()]
        manifest.update({"format": FORMAT, "format_version": FORMAT_VERSION, **meta,
                         "files": files})
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False,
                                                  default=str) + "\n", encoding="utf-8")
        write_atomic(zip_path, lambda tmp: _zip(folder, out_dir.name, tmp), force=force)

    try:
        write_atomic(out_dir, build, force=force, directory=True)
    except BaseException:
        if manifest and not out_dir.exists():  # the zip was published, the folder was not
            zip_path.unlink(missing_ok=True)
        raise
    return PackResult(out_dir, zip_path, manifest)


def _zip(folder: Path, root: str, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for p in sorted(folder.iterdir()):
            archive.write(p, f"{root}/{p.name}")


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
