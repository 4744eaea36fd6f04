"""Registration cache: re-probing a portfolio within the TTL does not ask registries again.

A small SQLite file under the user cache dir (or an injected directory), separate from the
application database. Only complete answers are stored; ``refresh`` skips reads, not writes.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from vendorrisk import paths
from vendorrisk.filemodes import create_private_file, private_dir
from vendorrisk.probes.registration.types import RegistrationObservation

log = logging.getLogger(__name__)
FILE_NAME = "registration-cache.sqlite3"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS registration ("
           "domain TEXT PRIMARY KEY, fetched_at REAL NOT NULL, data TEXT NOT NULL)")


class RegistrationCache:
    """Observations by A-label, reused for ``ttl`` after they were fetched."""

    def __init__(self, directory: Path | None = None, *, ttl_hours: float = 24.0) -> None:
        self.directory = directory or paths.cache_dir()
        private_dir(self.directory)
        self.path = self.directory / FILE_NAME
        create_private_file(self.path)  # the cache's -wal and -shm files take its mode
        self.ttl = timedelta(hours=ttl_hours)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get(self, domain: str, now: datetime) -> RegistrationObservation | None:
        return self.get_many([domain], now).get(domain)

    def get_many(self, domains: Iterable[str], now: datetime
                 ) -> dict[str, RegistrationObservation]:
        """Fresh cached observations (marked ``cached``) for those of ``domains`` we have."""
        names = list(dict.fromkeys(domains))
        oldest = (now - self.ttl).timestamp()
        out: dict[str, RegistrationObservation] = {}
        with self._lock:
            for start in range(0, len(names), 500):
                chunk = names[start:start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT domain, data FROM registration WHERE fetched_at >= ? "
                    f"AND domain IN ({marks})", (oldest, *chunk)).fetchall()
                for domain, data in rows:
                    obs = self._decode(domain, data)
                    if obs is not None:
                        out[domain] = replace(obs, cached=True)
        return out

    def _decode(self, domain: str, data: str) -> RegistrationObservation | None:
        try:
            return RegistrationObservation.from_json(json.loads(data), domain=domain)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable cache entry for %s: %s", domain, exc)
            return None

    def put(self, obs: RegistrationObservation, now: datetime) -> bool:
        """Store ``obs`` if it is worth reusing; True if stored.

        Worth reusing: a source answered and nothing went wrong.
        """
        if obs.source is None or obs.cached:
            return False
        if obs.reasons:
            return False
        payload = json.dumps(obs.to_json(), separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO registration (domain, fetched_at, data) VALUES (?, ?, ?)",
                (obs.domain, now.timestamp(), payload))
        return True
