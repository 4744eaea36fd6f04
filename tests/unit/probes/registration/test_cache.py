"""Registration cache: TTL, what is stored, bulk reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from vendorrisk.probes.registration.cache import RegistrationCache
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def obs(domain: str, *reasons: Reason, source: str | None = "rdap") -> RegistrationObservation:
    return RegistrationObservation(domain, source=source, registrar="X",  # type: ignore[arg-type]
                                   reasons=reasons)


def test_ttl(tmp_path: Path) -> None:
    cache = RegistrationCache(tmp_path, ttl_hours=24)
    assert cache.put(obs("a.com"), NOW)
    hit = cache.get("a.com", NOW + timedelta(hours=23))
    assert hit is not None and hit.cached and hit.registrar == "X"
    assert cache.get("a.com", NOW + timedelta(hours=25)) is None
    cache.close()


def test_only_reusable_answers_are_stored(tmp_path: Path) -> None:
    cache = RegistrationCache(tmp_path)
    assert not cache.put(obs("a.com", source=None), NOW)
    assert not cache.put(obs("b.com", Reason("registration.rdap", "timeout")), NOW)
    assert cache.put(obs("c.com"), NOW)
    assert set(cache.get_many(["a.com", "b.com", "c.com"], NOW)) == {"c.com"}


def test_bulk_and_persistence(tmp_path: Path) -> None:
    cache = RegistrationCache(tmp_path)
    for i in range(1200):
        cache.put(obs(f"d{i}.com"), NOW)
    cache.close()
    again = RegistrationCache(tmp_path)
    assert len(again.get_many([f"d{i}.com" for i in range(1300)], NOW)) == 1200


def test_unreadable_entry_is_ignored(tmp_path: Path) -> None:
    cache = RegistrationCache(tmp_path)
    cache._db.execute("INSERT INTO registration VALUES ('bad.com', ?, '{\"source\": \"ftp\"}')",
                      (NOW.timestamp(),))
    assert cache.get("bad.com", NOW) is None
