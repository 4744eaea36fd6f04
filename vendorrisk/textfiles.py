"""Reading a small text file the user names: bounded, UTF-8, every failure one line.

The one reader behind the config file and the data files (:mod:`vendorrisk.datafiles`).
"""

from __future__ import annotations

from pathlib import Path

from vendorrisk.errors import ConfigError


def read_text(path: Path, *, what: str, limit: int) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (a BOM is dropped); any
    other file, a read error or a byte that is not UTF-8 is a ConfigError naming file and line.
    The size is checked before anything is read."""
    try:
        if not path.is_file():
            problem = "is not a file" if path.exists() else "does not exist"
            raise ConfigError(f"{path}: cannot read {what}: {problem}")
        if path.stat().st_size > limit:
            raise ConfigError(f"{path}: {what} is larger than {limit:,} bytes")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read {what}: {e.strerror or e}") from e
    except ValueError as e:  # a NUL in the name
        raise ConfigError(f"{path!r}: cannot read {what}: {e}") from e
    if len(data) > limit:
        raise ConfigError(f"{path}: {what} is larger than {limit:,} bytes")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text (byte 0x{data[e.start]:02x} at "
                          f"column {column})", "save the file as UTF-8") from None
