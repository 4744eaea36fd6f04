"""Parse a data file once while it stays unchanged.

Catalogs, questionnaire templates and rule files are read on every rescore and by every
screen that shows them; parsing their YAML each time cost a quarter of a second per change.
A file is parsed again as soon as its size or modification time changes, so an edited
catalog still takes effect at once. Parsers used here must return immutable values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

T = TypeVar("T")

_parsed: dict[tuple[Callable[[Path], Any], str], tuple[tuple[int, int], Any]] = {}
_lock = threading.Lock()


def parse_once(path: Path, parse: Callable[[Path], T]) -> T:
    """``parse(path)``, reused while the file keeps its size and modification time."""
    try:
        stat = path.stat()
    except OSError:
        return parse(path)  # the parser reports the missing or unreadable file its own way
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (parse, str(path))
    with _lock:
        hit = _parsed.get(key)
    if hit is not None and hit[0] == stamp:
        return cast(T, hit[1])
    value = parse(path)
    with _lock:
        _parsed[key] = (stamp, value)
    return value
