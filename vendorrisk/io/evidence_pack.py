"""Evidence packs: a folder (and a zip of it) with a manifest of SHA-256 hashes.

The manifest names every file with its size and SHA-256, and carries the audit chain's head
hash at the time the pack was made, so an auditor can check that nothing in the pack changed
(:func:`verify_pack`) and tie it to the tamper-evident audit trail. The folder and the zip
are built under temporary names and renamed into place: a failure leaves no half-made pack.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
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


MAX_PACK_MEMBERS = 1_000
"""Most entries a pack's zip may hold (a pack has three files)."""
MAX_PACK_BYTES = 2 * 1024**3
"""Most bytes a pack's zip may expand to: the sizes its entries declare are checked before
anything is expanded, and no entry is read past its declared size (a zip bomb is refused)."""
MAX_MANIFEST_BYTES = 1_000_000
"""Largest manifest read (one is about 1 kB)."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of the manifest's JSON (one uses 3 levels)."""


class _Folder:
    """A pack as a folder."""

    def __init__(self, folder: Path) -> None:
        self.where = str(folder)
        self.folder = folder
        if not folder.is_dir() or not (folder / MANIFEST).is_file():
            raise InputError(f"{folder} is not an evidence pack (no {MANIFEST})")
        self.names = {p.name for p in folder.iterdir() if p.name != MANIFEST}

    def manifest(self) -> bytes:
        with (self.folder / MANIFEST).open("rb") as fh:
            return fh.read(MAX_MANIFEST_BYTES + 1)

    def digest(self, name: str) -> str | None:
        path = self.folder / name
        return sha256_file(path) if path.is_file() else None


class _Zip:
    """A pack as the zip of one folder; its entries are checked before any is read, and
    each is hashed as it is read, never extracted."""

    def __init__(self, archive: zipfile.ZipFile, target: Path) -> None:
        self.where = str(target)
        self.archive = archive
        infos = archive.infolist()
        if len(infos) > MAX_PACK_MEMBERS:
            raise InputError(f"{target}: the zip holds more than {MAX_PACK_MEMBERS:,} entries")
        self.files: dict[str, zipfile.ZipInfo] = {}
        roots = {self._member(info) for info in infos}
        if len(roots) != 1:
            raise InputError(f"{target}: the zip does not hold one pack folder "
                             f"({len(roots)} top-level names)")
        self.root = roots.pop()
        if sum(info.file_size for info in infos) > MAX_PACK_BYTES:
            raise InputError(f"{target}: the zip expands to more than {MAX_PACK_BYTES:,} bytes")
        if MANIFEST not in self.files:
            raise InputError(f"{target} is not an evidence pack (no {self.root}/{MANIFEST})")
        self.names = set(self.files) - {MANIFEST}

    def _member(self, info: zipfile.ZipInfo) -> str:
        """The entry's top-level folder; its file name goes into ``self.files``."""
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or "\0" in name or ":" in parts[0]:
            raise InputError(f"{self.where}: unsafe entry name {_shown(name)} "
                             "(a path outside the pack folder)")
        if info.is_dir() and len(parts) == 2 and parts[0]:
            return parts[0]
        if len(parts) != 2 or not parts[0] or not parts[1] or "\\" in name:
            raise InputError(f"{self.where}: entry {_shown(name)} is not a file of the pack "
                             "folder")
        if parts[1] in self.files:
            raise InputError(f"{self.where}: entry {_shown(name)} appears twice")
        if info.flag_bits & 0x1:
            raise InputError(f"{self.where}: entry {_shown(name)} is encrypted")
        self.files[parts[1]] = info
        return parts[0]

    def _chunks(self, name: str) -> Iterator[bytes]:
        info = self.files[name]
        read = 0
        try:
            with self.archive.open(info) as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    read += len(chunk)
                    if read > info.file_size:
                        raise InputError(f"{self.where}: entry {_shown(info.filename)} "
                                         "expands past the size it declares")
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError,
                NotImplementedError, RuntimeError, ValueError) as exc:
            raise InputError(f"{self.where}: entry {_shown(info.filename)} cannot be read "
                             f"({_one_line(exc)})") from exc

    def manifest(self) -> bytes:
        if self.files[MANIFEST].file_size > MAX_MANIFEST_BYTES:
            return b" " * (MAX_MANIFEST_BYTES + 1)
        return b"".join(self._chunks(MANIFEST))

    def digest(self, name: str) -> str | None:
        if name not in self.files:
            return None
        digest = hashlib.sha256()
        for chunk in self._chunks(name):
            digest.update(chunk)
        return digest.hexdigest()


_Pack = _Folder | _Zip


def verify_pack(target: Path) -> VerifyReport:
    """Re-hash every file a pack's manifest lists; report missing, changed and extra files.

    ``target`` is a pack folder or its zip. A pack that cannot be checked at all (not a
    pack, an unreadable or unsafe zip, a manifest over the limits above) is an InputError
    naming the file and the entry; a manifest that does not hold what it should is, like a
    changed file, a problem of the report."""
    try:
        if target.is_file() and zipfile.is_zipfile(target):
            try:
                archive = zipfile.ZipFile(target)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError,
                    NotImplementedError) as exc:
                raise InputError(f"{target}: not a readable zip ({_one_line(exc)})") from exc
            with archive:
                return _verify(_Zip(archive, target))
        return _verify(_Folder(target))
    except OSError as exc:
        raise InputError(f"{target}: cannot read the pack: {exc.strerror or exc}") from exc


def _verify(pack: _Pack) -> VerifyReport:
    manifest = _read_manifest(pack)
    if isinstance(manifest, str):
        return VerifyReport(False, problems=[manifest])
    audit = manifest.get("audit")
    head = audit.get("head_hash") if isinstance(audit, dict) else None
    report = VerifyReport(True, audit_head_hash=head if isinstance(head, str) and head else None)
    files = manifest.get("files") or []
    if not isinstance(files, list):
        files = []
        report.problems.append(f"{MANIFEST}: files: must be a list")
    listed: set[str] = set()
    for index, entry in enumerate(files):
        problem = _check_entry(pack, index, entry, listed)
        if problem:
            report.problems.append(problem)
        report.checked += 1
    for extra in sorted(pack.names - listed):
        report.problems.append(f"{_shown(extra, plain=True)}: not listed in the manifest")
    if not report.audit_head_hash:
        report.problems.append("the manifest has no audit head hash")
    report.ok = not report.problems
    return report


def _check_entry(pack: _Pack, index: int, entry: Any, listed: set[str]) -> str | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) \
            or not isinstance(entry.get("sha256"), str):
        return f"{MANIFEST}: files[{index}]: must be an object with text 'path' and 'sha256'"
    name = entry["path"]
    listed.add(name)
    shown = _shown(name, plain=True)
    if not name or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
        return f"{shown}: not a plain file name"
    digest = pack.digest(name)
    if digest is None:
        return f"{shown}: missing"
    if digest != entry["sha256"]:
        return f"{shown}: SHA-256 does not match the manifest (changed)"
    return None


def _read_manifest(pack: _Pack) -> dict[str, Any] | str:
    """The manifest, or the problem with it for the report; over a limit, an InputError."""
    data = pack.manifest()
    if len(data) > MAX_MANIFEST_BYTES:
        raise InputError(f"{pack.where}: {MANIFEST} is larger than {MAX_MANIFEST_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"{MANIFEST} is not valid JSON: not UTF-8 (byte {exc.start})"
    depth, at = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise InputError(f"{pack.where}: {MANIFEST}: nested more than {MAX_JSON_DEPTH} levels "
                         f"deep (at character {at})")
    try:
        manifest = json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or an integer of too many digits
        return f"{MANIFEST} is not valid JSON: {_one_line(exc)}"
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return f"{MANIFEST} is not a vendorrisk manifest"
    return manifest


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _json_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of brackets in JSON ``text`` (strings skipped), and where it
    first exceeds :data:`MAX_JSON_DEPTH`; read before the text is parsed."""
    bare = _JSON_STRING.sub(lambda m: " " * len(m.group()), text)
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(bare):
        depth += 1 if match.group() in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_JSON_DEPTH:
                return deepest, match.start()
    return deepest, 0


def _shown(name: str, *, plain: bool = False) -> str:
    """``name`` for a one-line message: as it is (``plain``) when printable, else quoted."""
    return name if plain and name.isprintable() else repr(name)[:120]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]
