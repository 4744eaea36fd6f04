"""Per-host politeness for the registration probe, on the event loop.

Each host gets its own schedule (``rate`` queries per second), its own in-flight cap, and a
pause after a 429 / rate-limit reply. Waiting is ``asyncio.sleep`` on the task that wants the
host, so a slow or throttling host only delays its own queries: tasks for other hosts keep
going. Worker threads are taken only after a host slot is granted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _HostState:
    next_at: float = 0.0
    paused_until: float = 0.0
    in_flight: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(4))


class HostLimiter:
    """Interval scheduling per host: at most ``rate`` starts per second, ``max_in_flight``
    concurrent queries, and :meth:`pause` after the host asks us to back off."""

    def __init__(self, rate: float, *, max_in_flight: int = 4,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.max_in_flight = max_in_flight
        self._clock = clock
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = _HostState(in_flight=asyncio.Semaphore(self.max_in_flight))
            self._hosts[host] = state
        return state

    def pause(self, host: str, seconds: float) -> None:
        """No new query to ``host`` for ``seconds`` (Retry-After, rate-limit replies)."""
        state = self._state(host)
        state.paused_until = max(state.paused_until, self._clock() + seconds)

    async def _reserve(self, host: str) -> None:
        state = self._state(host)
        while True:
            now = self._clock()
            start = max(now, state.next_at, state.paused_until)
            if start <= now:
                state.next_at = now + self.interval
                return
            if start == state.next_at and start >= state.paused_until:
                # Reserve the slot now so waiters queue up one interval apart.
                state.next_at = start + self.interval
                await asyncio.sleep(start - now)
                if self._clock() >= state.paused_until:
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
