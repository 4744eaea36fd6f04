"""Per-host politeness for the registration probe, on the event loop.

Each host gets its own schedule (``rate`` queries per second, or the registry's published
``per_second`` if stricter), its own in-flight cap, rolling ``per_hour`` / ``per_day`` quotas
where the registry publishes them (``data/registry-limits.yaml``), and a pause after a 429 /
rate-limit reply. Waiting is ``asyncio.sleep`` on the task that wants the host, so a slow or
throttling host only delays its own queries: tasks for other hosts keep going. A quota that
would make a query wait longer than ``max_wait`` raises :class:`QuotaExhausted` instead of
sleeping (the caller records the domain as rate-limited). Worker threads are taken only after
a host slot is granted.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from vendorrisk import paths
from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.errors import ConfigError

_WINDOWS = (("per_hour", 3600.0), ("per_day", 86400.0))
SECOND_MARGIN = 0.05
"""A published "N per second" allows N starts in any 1.05 s: jitter never makes it N + 1."""


@dataclass(frozen=True)
class HostLimit:
    """A registry's published limits for one server host."""

    registry: str
    per_second: float | None = None
    per_hour: int | None = None
    per_day: int | None = None
    source: str = ""

    def windows(self) -> list[tuple[str, float, int]]:
        """``(label, seconds, count)`` of each rolling quota this host has."""
        out = []
        if self.per_second:  # a true sliding second too, with a margin for network jitter
            out.append(("per second", 1.0 + SECOND_MARGIN, max(1, int(self.per_second))))
        for label, seconds in _WINDOWS:
            count = getattr(self, label)
            if count:
                out.append((label.replace("_", " "), seconds, int(count)))
        return out


class QuotaExhausted(Exception):
    """A host's rolling quota is used up for longer than the caller will wait."""

    def __init__(self, host: str, limit: HostLimit, window: str, wait: float) -> None:
        super().__init__(f"{limit.registry} allows {window} quota; next query in {wait:.0f} s")
        self.host, self.limit, self.window, self.wait = host, limit, window, wait


def load_registry_limits(path: Path | None = None) -> dict[str, HostLimit]:
    """Host name (lower case) -> :class:`HostLimit`, from ``data/registry-limits.yaml``."""
    file = path or paths.data_file("registry-limits.yaml")
    data = load_yaml(file, what="the registry limits") or {}
    entries = data.get("registries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{file}:{line_of(data) or 1}: expected a 'registries' list")
    out: dict[str, HostLimit] = {}
    for entry in entries:
        limit = _limit(entry, file)
        for host in entry.get("hosts") or ():
            out[str(host).lower()] = limit
    return out


def _limit(entry: object, file: Path) -> HostLimit:
    if not isinstance(entry, dict) or not entry.get("name") or not entry.get("hosts"):
        raise ConfigError(f"{file}:{line_of(entry) or 1}: each registry needs name and hosts")
    try:
        return HostLimit(str(entry["name"]), _positive(entry.get("per_second")),
                         _count(entry.get("per_hour")), _count(entry.get("per_day")),
                         str(entry.get("source") or ""))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{file}:{line_of(entry) or 1}: bad limit ({exc})") from exc


def _positive(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{value!r} is not a number")
    number = float(value)
    if not number > 0:
        raise ValueError(f"{value!r} must be positive")
    return number


def _count(value: object) -> int | None:
    number = _positive(value)
    return None if number is None else max(1, int(number))


def host_name(label: str) -> str:
    """``host`` of a ``host``, ``host:port`` or ``[v6]:port`` label, lower case."""
    text = label.lower()
    if text.startswith("["):
        return text[1:].partition("]")[0]
    if text.count(":") == 1 and text.rsplit(":", 1)[1].isdigit():
        return text.rsplit(":", 1)[0]
    return text


@dataclass
class _HostState:
    interval: float
    limit: HostLimit | None = None
    next_at: float = 0.0
    paused_until: float = 0.0
    in_flight: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(4))
    starts: deque[float] = field(default_factory=deque)
    """Start times within the longest window (only kept for hosts with a quota)."""


class HostLimiter:
    """Interval scheduling per host: at most ``rate`` starts per second (or the host's
    published rate), ``max_in_flight`` concurrent queries, rolling quotas, and :meth:`pause`
    after the host asks us to back off."""

    def __init__(self, rate: float, *, max_in_flight: int = 4,
                 limits: Mapping[str, HostLimit] | None = None, max_wait: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.max_in_flight = max_in_flight
        self.max_wait = max_wait
        self._limits = dict(limits or {})
        self._clock = clock
        self._hosts: dict[str, _HostState] = {}

    def limit_for(self, host: str) -> HostLimit | None:
        return self._limits.get(host_name(host))

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            limit = self.limit_for(host)
            interval = self.interval
            if limit is not None and limit.per_second:
                interval = max(interval, 1.0 / limit.per_second)
            state = _HostState(interval, limit, in_flight=asyncio.Semaphore(self.max_in_flight))
            self._hosts[host] = state
        return state

    def pause(self, host: str, seconds: float) -> None:
        """No new query to ``host`` for ``seconds`` (Retry-After, rate-limit replies)."""
        state = self._state(host)
        state.paused_until = max(state.paused_until, self._clock() + seconds)

    def _quota_at(self, host: str, state: _HostState, now: float) -> float:
        """Earliest time the rolling quotas allow a start; QuotaExhausted if too far off."""
        if state.limit is None:
            return now
        earliest = now
        for label, seconds, count in state.limit.windows():
            recent = [t for t in state.starts if t > now - seconds]
            if len(recent) >= count:
                at = recent[-count] + seconds
                if at - now > self.max_wait:
                    raise QuotaExhausted(host, state.limit, f"{count} {label}", at - now)
                earliest = max(earliest, at)
        return earliest

    def _record(self, state: _HostState, now: float) -> None:
        """Count a start in the rolling windows."""
        if state.limit is not None and state.limit.windows():
            state.starts.append(now)
            longest = max(seconds for _, seconds, _ in state.limit.windows())
            while state.starts and state.starts[0] <= now - longest:
                state.starts.popleft()

    async def _reserve(self, host: str) -> None:
        state = self._state(host)
        while True:
            now = self._clock()
            start = max(now, state.next_at, state.paused_until, self._quota_at(host, state, now))
            if start <= now:
                state.next_at = now + state.interval
                self._record(state, now)
                return
            if start == state.next_at and start >= state.paused_until:
                # Reserve the slot now so waiters queue up one interval apart.
                state.next_at = start + state.interval
                await asyncio.sleep(start - now)
                now = self._clock()
                if now >= state.paused_until and self._quota_at(host, state, now) <= now:
                    self._record(state, now)
                    return
                continue
            await asyncio.sleep(start - now)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for ``host``'s next slot; hold one of its in-flight places meanwhile."""
        state = self._state(host)
        async with state.in_flight:
            await self._reserve(host)
            yield


class Admission:
    """How many domains of one registry (keyed by TLD) may be in the registration prober at
    once. The batch driver takes a turn here instead of a place in its global pool, so a
    busy or throttling registry queues its own domains and never fills the pool that the
    other registries' domains need (the host limiter still spaces the queries)."""

    def __init__(self, per_registry: int = 8) -> None:
        self.per_registry = per_registry
        self._gates: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def turn(self, domain: str) -> AsyncIterator[None]:
        key = domain.lower().rstrip(".").rsplit(".", 1)[-1]
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = asyncio.Semaphore(self.per_registry)
        async with gate:
            yield
