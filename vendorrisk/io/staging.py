"""Staging names for output being written, and the sweep that removes what a crash left.

Every output is built under a hidden name beside its target, ``.<name>.vrstage-<pid>-<random>
.part`` (a file or a folder), and a folder being replaced is set aside as
``.<name>.vrstage-<pid>.old`` for the moment of the swap. A process killed with SIGKILL cannot
remove them, so each write sweeps its folder first (:func:`sweep`): an entry is removed only if
its name has this exact pattern, the process that made it is gone (or it is a day old), and it
is older than the sweeping process. A folder set aside by a process killed mid-swap is put back
when its target is missing. Nothing else in the folder is ever touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

MARK = ".vrstage-"
_STAGED = re.compile(r"^\.(?P<name>.+)\.vrstage-(?P<pid>\d+)(?:-[a-z0-9_]+\.part|\.old)$")
STALE_AFTER_S = 24 * 3600
"""A staging entry this old is swept even if its process id is in use (ids are reused)."""
_NAME_BYTES = 100
"""Bytes of the target's name kept in a staging name (a file name has at most 255)."""
_started = time.time()


def _restart_clock() -> None:
    global _started
    _started = time.time()


os.register_at_fork(after_in_child=_restart_clock)  # a forked child is a new process


def staging_path(target: Path, *, directory: bool = False) -> Path:
    """Create an empty staging file (or folder) for ``target`` beside it, and return it."""
    prefix = f".{_short(target.name)}{MARK}{os.getpid()}-"
    if directory:
        return Path(tempfile.mkdtemp(prefix=prefix, suffix=".part", dir=target.parent))
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(name)


def set_aside_path(target: Path) -> Path:
    """Where a folder being replaced waits during the swap."""
    return target.with_name(f".{target.name}{MARK}{os.getpid()}.old")


def discard(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep(folder: Path) -> list[Path]:
    """Remove the staging entries in ``folder`` left by processes that died; return them."""
    swept: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return swept
    for entry in entries:
        match = _STAGED.match(entry.name)
        if match is None or not _abandoned(entry, int(match["pid"])):
            continue
        path = Path(entry.path)
        target = folder / match["name"]
        if entry.name.endswith(".old") and not (target.exists() or target.is_symlink()):
            try:
                os.replace(path, target)  # killed between the two renames of a swap
                continue
            except OSError:
                pass
        discard(path)
        swept.append(path)
    return swept


def _abandoned(entry: os.DirEntry[str], pid: int) -> bool:
    try:
        mtime = entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if pid == os.getpid() or mtime >= _started:
        return False
    return time.time() - mtime > STALE_AFTER_S or not _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _short(name: str) -> str:
    return name.encode("utf-8")[:_NAME_BYTES].decode("utf-8", errors="ignore")
