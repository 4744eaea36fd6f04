"""Private by default, whatever the umask: what vendorrisk creates is its owner's only.

Databases, exports, evidence packs, DORA packages, questionnaire workbooks and caches hold
clients' contract terms and weaknesses, so files are made 0600 and folders 0700, as ssh and
gpg do with theirs; an existing folder that others can read gets a one-line warning
(:func:`exposure`), never a silent change of someone else's choice.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """``path`` and any missing parents created 0700 (existing folders keep their mode)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def make_private(path: Path) -> None:
    """Files 0600, folders 0700: ``path`` and, for a folder, everything in it."""
    if path.is_symlink():
        return
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            os.chmod(root, DIR_MODE)
            for name in files:
                if not os.path.islink(os.path.join(root, name)):
                    os.chmod(os.path.join(root, name), FILE_MODE)
            dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
    elif path.exists():
        os.chmod(path, FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file at ``path`` if there is none (before SQLite creates it)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        return
    os.chmod(path, FILE_MODE)


def exposure(path: Path) -> str | None:
    """``"world-readable"`` / ``"group-readable"`` when others can read ``path``, else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & stat.S_IROTH:
        return "world-readable"
    if mode & stat.S_IRGRP:
        return "group-readable"
    return None
