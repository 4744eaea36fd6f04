"""A write that fails (disk full, quota, file too large) is one line naming the output.

:class:`WriteError` names the final path and the reason, with a hint when the disk or quota is
full. :class:`GuardedFile` is the staging file handed to a library that writes a stream
(openpyxl's ZipFile): it raises the first write error, then takes every later write, seek and
close quietly, so the library's finaliser (openpyxl leaves its ZipFile open when a write fails,
and ``ZipFile.__del__`` writes the end record again) cannot print an "Exception ignored"
traceback; :func:`vendorrisk.io.atomic.write_stream_atomic` re-raises the first error.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import IO, Any

from vendorrisk.errors import StorageError

FULL = {errno.ENOSPC: "free some space on that disk, or write elsewhere with --out",
        errno.EDQUOT: "your disk quota is used up: free some space, or write elsewhere with --out",
        errno.EFBIG: "the file system takes no file this large: write elsewhere with --out"}
"""Hints for the errors of a full disk."""


class WriteError(StorageError):
    """An output could not be written (exit 3); nothing was left at its final path."""

    def __init__(self, path: Path, reason: str, code: int | None = None) -> None:
        super().__init__(f"cannot write {path}: {reason}", FULL.get(code or 0))
        self.path, self.reason, self.code = path, reason, code

    @classmethod
    def of(cls, path: Path, exc: OSError) -> WriteError:
        return cls(path, exc.strerror or str(exc), exc.errno)

    def at(self, path: Path) -> WriteError:
        """The same failure, naming ``path`` (the output, not a file staged inside it)."""
        return self if path == self.path else WriteError(path, self.reason, self.code)


class GuardedFile:
    """A binary file that fails once, loudly, and is quiet after (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self._file: IO[bytes] = path.open("wb")
        self.name = str(path)
        self.error: OSError | None = None
        self._done = False
        self._position = 0
        """Where a write would go once the file failed: the library's offsets stay sane."""

    def write(self, data: bytes) -> int:
        if self._failed:
            self._position += len(data)
            return len(data)
        written: int = self._guard(self._file.write, data)
        self._position = self._file.tell()
        return written

    def flush(self) -> None:
        if not self._failed:
            self._guard(self._file.flush)

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        if self._failed:
            self._position = offset if whence == 0 else self._position + offset
        else:
            self._position = self._guard(self._file.seek, offset, whence)
        return self._position

    @property
    def _failed(self) -> bool:
        return self._done or self.error is not None

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        """Close the file for good; a write error raised here (data still buffered) is kept."""
        if self._done:
            return
        self._done = True
        try:
            self._file.close()
        except OSError as exc:
            self.error = self.error or exc

    def _guard(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except OSError as exc:
            self.error = exc
            raise
