"""The one way vendorrisk writes an output file or folder: complete, or not at all.

Everything is written under a hidden staging name in the target's own directory and
renamed into place (``os.replace``) only once it is complete, so a failed or killed export
never leaves half a file under the final name; what a killed one leaves under a staging name
is swept by the next write to that folder (:mod:`vendorrisk.io.staging`). What is published
is its owner's only (0600 files, 0700 folders: :mod:`vendorrisk.filemodes`). An existing
target is kept unless the caller passes ``force`` (the CLI's ``--force``): outputs never
overwrite each other by accident.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar, cast

from vendorrisk.errors import InputError
from vendorrisk.filemodes import make_private, private_dir
from vendorrisk.io.staging import discard as _discard
from vendorrisk.io.staging import set_aside_path, staging_path, sweep
from vendorrisk.io.writefail import GuardedFile, WriteError

T = TypeVar("T")

FORCE_HINT = "pass --force to overwrite it, or choose another --out"


class OutputExistsError(InputError):
    """The output file or folder is already there and ``force`` was not given (exit 2)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists", FORCE_HINT)
        self.path = path


def refuse_existing(*paths: Path, force: bool) -> None:
    """Raise :class:`OutputExistsError` for the first of ``paths`` that exists, unless ``force``."""
    if force:
        return
    for path in paths:
        if path.exists() or path.is_symlink():
            raise OutputExistsError(path)


def _temp_name(path: Path, *, directory: bool = False) -> Path:
    try:
        private_dir(path.parent)
        sweep(path.parent)
        return staging_path(path, directory=directory)
    except OSError as exc:
        raise WriteError.of(path, exc) from None


def _publish_file(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:  # a hard link never replaces: a file that appeared meanwhile is kept
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExistsError(path) from None
    except OSError:  # no hard links on this file system: check, then rename
        refuse_existing(path, force=False)
        os.replace(tmp, path)
    else:
        tmp.unlink()


def _publish_dir(tmp: Path, path: Path, force: bool) -> None:
    refuse_existing(path, force=force)
    old = None
    if path.is_dir() and not path.is_symlink():
        old = set_aside_path(path)
        _discard(old)
        os.replace(path, old)
    elif path.exists() or path.is_symlink():
        path.unlink()
    try:
        os.replace(tmp, path)
    except BaseException:
        if old is not None:
            os.replace(old, path)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_atomic(path: Path, write: Callable[[Path], T], *, force: bool = False,
                 directory: bool = False) -> T:
    """Call ``write(tmp)`` on a temporary file (or, with ``directory``, an empty temporary
    folder) beside ``path``, then rename it to ``path``; returns what ``write`` returned.

    A ``write`` that raises leaves neither ``path`` nor the temporary behind. An existing
    ``path`` raises :class:`OutputExistsError` before anything is written, unless ``force``.
    """
    refuse_existing(path, force=force)
    tmp = _temp_name(path, directory=directory)
    try:
        result = write(tmp)
        make_private(tmp)  # 0600 / 0700 whatever the umask, before anyone can see it
        (_publish_dir if directory else _publish_file)(tmp, path, force)
    except OSError as exc:
        _discard(tmp)
        raise WriteError.of(path, exc) from None  # one line: the cause is the reason
    except WriteError as exc:  # a file staged inside this folder: name the output
        _discard(tmp)
        raise exc.at(path) from None
    except BaseException:
        _discard(tmp)
        raise
    return result


def write_stream_atomic(path: Path, write: Callable[[BinaryIO], T], *,
                        force: bool = False) -> T:
    """:func:`write_atomic` for a writer of a binary stream (``Workbook.save``): the stream is a
    :class:`~vendorrisk.io.writefail.GuardedFile`, so a disk that fills up mid-write is one
    error, raised once, whatever the library does with its open file afterwards."""

    def into(tmp: Path) -> T:
        stream = GuardedFile(tmp)
        try:
            result = write(cast(BinaryIO, stream))
        finally:
            stream.close()
        if stream.error is not None:  # swallowed by the library, or raised at close
            raise stream.error
        return result

    return write_atomic(path, into, force=force)


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    """``path.write_text(text)`` (UTF-8), atomically; see :func:`write_atomic`."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force=force)
    return path
