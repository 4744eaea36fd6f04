"""Async registration prober: RDAP where the bootstrap lists the TLD, else WHOIS.

Blocking fetches run in a bounded thread pool; per-host limiters (WHOIS and RDAP separately)
schedule queries so a throttling or slow server only delays its own domains. A per-domain
fault becomes a reason on the observation, never an exception.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from vendorrisk.config import ProbeSettings
from vendorrisk.probes.registration import epp, follow, profiles, rdap, transport, whois
from vendorrisk.probes.registration.bootstrap import Bootstrap, load_bootstrap
from vendorrisk.probes.registration.cache import RegistrationCache
from vendorrisk.probes.registration.limiter import (
    Admission,
    HostLimiter,
    QuotaExhausted,
    load_registry_limits,
)
from vendorrisk.probes.registration.privacy import PrivacyMatcher, load_privacy_matcher
from vendorrisk.probes.registration.servers import (
    AddressPolicy,
    load_whois_servers,
    query_for,
    resolve_addresses,
    whois_server_for,
)
from vendorrisk.probes.registration.types import (
    RegistrationData,
    RegistrationObservation,
    Source,
    merge,
)
from vendorrisk.probes.types import Reason

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_RETRY_AFTER = 30.0
"""Longest Retry-After we wait out; a longer one gives up with a reason."""
RATE_LIMIT_PAUSE = 2.0
"""Pause (times the try number) after a rate-limit reply without Retry-After (WHOIS texts)."""


class _Failed(Exception):
    def __init__(self, reason: Reason, kind: str = "") -> None:
        super().__init__(reason.message)
        self.reason = reason
        self.kind = kind


class RegistrationProber:
    """Use as ``async with RegistrationProber(settings) as p: await p.probe(name)``."""

    def __init__(self, settings: ProbeSettings, *, cache_dir: Path | None = None,
                 refresh: bool = False, use_cache: bool = True,
                 bootstrap: Bootstrap | None = None, privacy: PrivacyMatcher | None = None,
                 whois_servers: dict[str, str] | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.settings = settings
        self.refresh = refresh
        self._cache_dir = cache_dir
        self._use_cache = use_cache
        self._bootstrap = bootstrap
        self._privacy = privacy
        self._whois_servers = whois_servers
        self._now = now
        self._workers = max(4, min(settings.concurrency, 32))
        limits = load_registry_limits(
            Path(settings.registry_limits) if settings.registry_limits else None)
        self._whois_limiter = HostLimiter(settings.whois_rate_limit, max_in_flight=2,
                                          limits=limits, max_wait=MAX_RETRY_AFTER)
        self._rdap_limiter = HostLimiter(settings.rdap_rate_limit, max_in_flight=4,
                                         limits=limits, max_wait=MAX_RETRY_AFTER)
        self._policy = AddressPolicy()
        self.admission = Admission()
        """Per-registry turns for the batch driver (see :class:`Admission`)."""
        self.cache: RegistrationCache | None = None
        self._preloaded: dict[str, RegistrationObservation] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._session: requests.Session | None = None

    async def __aenter__(self) -> RegistrationProber:
        self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="registration")
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=16, pool_maxsize=self._workers, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers["User-Agent"] = "vendorrisk-registration-probe"
        self._session = session
        try:
            await self._load()
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def _load(self) -> None:
        """Bootstrap, privacy list, WHOIS table and cache (a bad one is a ConfigError)."""
        if self._bootstrap is None:
            self._bootstrap = await self._run(
                load_bootstrap, self.settings.rdap_bootstrap, self._session,
                timeout=self.settings.timeout * 3, max_bytes=self.settings.max_response_bytes * 5)
        if self._privacy is None:
            self._privacy = load_privacy_matcher()
        user_table = self._whois_servers.values() if self._whois_servers is not None else ()
        self._policy = follow.policy_for(self.settings, self._bootstrap, user_table)
        if self._whois_servers is None:
            self._whois_servers = load_whois_servers()
        if self._use_cache:
            self.cache = RegistrationCache(self._cache_dir,
                                           ttl_hours=self.settings.cache_ttl_hours)

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.cache is not None:
            self.cache.close()
        if self._session is not None:
            self._session.close()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def preload(self, domains: Iterable[str]) -> int:
        """Read the cached answers of ``domains`` in one bulk query; their probes use them.

        Returns how many were found. Nothing is read with ``refresh`` or without a cache.
        """
        if self.cache is None or self.refresh:
            return 0
        found = self.cache.get_many(domains, self._now())
        self._preloaded.update(found)
        return len(found)

    # -- one domain -------------------------------------------------------------------------

    async def probe(self, domain: str) -> RegistrationObservation:
        """Observe one domain (A-label). Never raises for a per-domain fault."""
        try:
            return await self._probe(domain)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not abort a portfolio run; recorded, logged
            log.exception("registration probe of %s failed", domain)
            return RegistrationObservation(domain, reasons=(
                Reason("registration", f"internal error: {type(exc).__name__}: {exc}"),))

    async def _probe(self, domain: str) -> RegistrationObservation:
        preloaded = self._preloaded.pop(domain, None)
        if preloaded is not None:
            return preloaded
        now = self._now()
        if self.cache is not None and not self.refresh:
            hit = self.cache.get(domain, now)
            if hit is not None:
                return hit
        obs = await self._observe(domain)
        if self.cache is not None:
            self.cache.put(obs, now)
        return obs

    async def _observe(self, domain: str) -> RegistrationObservation:
        assert self._bootstrap is not None and self._whois_servers is not None
        mode = self.settings.registration_source
        tld = domain.rsplit(".", 1)[-1]
        url = self._bootstrap.domain_url(domain) if mode != "whois" else None
        server = (whois_server_for(domain, self._whois_servers, self.settings.whois_server)
                  if mode == "whois" or (mode == "auto" and url is None) else None)
        try:
            if url is not None:
                return await self._via_rdap(domain, url)
            if server is not None:
                return await self._via_whois(domain, server)
        except _Failed as failed:
            return await self._after_failure(domain, url, failed)
        what = "RDAP" if mode == "rdap" else "RDAP or WHOIS" if mode == "auto" else "WHOIS"
        return RegistrationObservation(domain, fetched_at=self._now(), reasons=(
            Reason(f"registration.{'rdap' if mode == 'rdap' else 'whois'}",
                   f"no {what} server known for .{tld}"),))

    async def _after_failure(self, domain: str, url: str | None,
                             failed: _Failed) -> RegistrationObservation:
        """``auto``: a failed RDAP answer is retried over WHOIS (see :mod:`follow`)."""
        assert self._whois_servers is not None
        mode = self.settings.registration_source
        server = whois_server_for(domain, self._whois_servers, self.settings.whois_server)
        if url is None or not follow.falls_back(mode, failed.kind, server):
            return follow.failed(domain, failed.reason, failed.kind, self._now())
        assert server is not None
        try:
            obs = await self._via_whois(domain, server)
        except _Failed as second:
            obs = follow.failed(domain, second.reason, second.kind, self._now())
        return follow.with_fallback(obs, failed.reason)

    async def _refusal(self, host: str) -> str | None:
        """Why a referral to ``host`` is not followed (address policy), else None."""
        return await self._run(self._policy.refusal, host, resolve_addresses)

    # -- RDAP ---------------------------------------------------------------------------------

    async def _via_rdap(self, domain: str, url: str) -> RegistrationObservation:
        host = urlsplit(url).netloc
        data = await self._rdap_data(url, "registration.rdap", host)
        reasons: list[Reason] = []
        servers = [host]
        if data.referral and data.referral.rstrip("/").lower() == url.rstrip("/").lower():
            data = replace(data, referral=None)  # a registry linking to itself
        if data.thin and data.referral:
            target = urlsplit(data.referral).netloc
            try:
                refusal = await self._refusal(urlsplit(data.referral).hostname or "")
                if refusal is not None:
                    raise _Failed(Reason("registration.registrar",
                                         f"{host} links to the registrar at {refusal}"))
                registrar = await self._rdap_data(data.referral, "registration.registrar", target)
                data = merge(data, registrar)
                servers.append(target)
            except _Failed as failed:
                reasons.append(failed.reason)
        elif data.thin:
            reasons.append(Reason("registration.registrar",
                                  f"{host} gave no registrant data and no registrar RDAP link"))
        return self._observation(domain, "rdap", " -> ".join(servers), data, reasons)

    async def _rdap_data(self, url: str, part: str, host: str) -> RegistrationData:
        assert self._privacy is not None
        body = await self._retrying(
            host, self._rdap_limiter, part,
            lambda: self._run(transport.rdap_get, self._session, url,
                              timeout=self.settings.timeout,
                              max_bytes=self.settings.max_response_bytes,
                              allow_http=bool(self._bootstrap and self._bootstrap.allow_http)))
        try:  # parsing is CPU work: keep it off the event loop
            return await self._run(_parse_rdap, body.body, self._privacy)
        except rdap.RdapParseError as exc:
            raise _Failed(Reason(part, f"{host}: answer is not RDAP ({exc})")) from exc

    # -- WHOIS --------------------------------------------------------------------------------

    async def _via_whois(self, domain: str, server: str) -> RegistrationObservation:
        host, port = self._split(server, "registration.whois")
        data = await self._whois_data(domain, host, port, "registration.whois")
        reasons: list[Reason] = []
        servers = [server]
        if data.thin and data.referral:
            try:
                data = await self._whois_registrar(domain, server, data, servers)
            except _Failed as failed:
                reasons.append(failed.reason)
        return self._observation(domain, "whois", " -> ".join(servers), data, reasons)

    async def _whois_registrar(self, domain: str, server: str, data: RegistrationData,
                               servers: list[str]) -> RegistrationData:
        """Follow a thin registry's referral; registrant data comes from the registrar."""
        host, port = self._split(server, "registration.whois")
        r_host, r_port = self._split(data.referral or "", "registration.registrar")
        if (r_host, r_port) == (host, port):
            raise _Failed(Reason("registration.registrar",
                                 f"{server} gave no registrant data and refers to itself"))
        refusal = await self._refusal(r_host)
        if refusal is not None:
            raise _Failed(Reason("registration.registrar", f"{server} refers to {refusal}"))
        registrar = await self._whois_data(domain, r_host, r_port, "registration.registrar")
        servers.append(server_label(r_host, r_port))
        return merge(data, registrar)

    @staticmethod
    def _split(server: str, part: str) -> tuple[str, int]:
        try:
            return transport.split_host_port(server)
        except ValueError as exc:
            raise _Failed(Reason(part, str(exc))) from exc

    async def _whois_data(self, domain: str, host: str, port: int, part: str
                          ) -> RegistrationData:
        assert self._privacy is not None
        label = server_label(host, port)

        async def once() -> bytes:
            query = (profiles.profile_for(domain).query_for(domain, host)
                     or query_for(host, domain))
            body = await self._run(transport.whois_query, host, port, query,
                                   timeout=self.settings.timeout,
                                   max_bytes=self.settings.max_response_bytes)
            if whois.classify_reply(whois.decode(body, domain), domain) == "rate_limited":
                raise transport.FetchError("rate_limited", "server replied that the query "
                                           "rate limit is exceeded")
            return body

        body = await self._retrying(label, self._whois_limiter, part, once)
        try:  # parsing is CPU work: keep it off the event loop
            return await self._run(whois.parse, domain, whois.decode(body, domain),
                                   self._privacy)
        except whois.WhoisReplyError as exc:
            raise _Failed(Reason(part, f"{label}: {exc.message}")) from exc

    # -- shared -------------------------------------------------------------------------------

    async def _retrying(self, host: str, limiter: HostLimiter, part: str,
                        attempt: Callable[[], Awaitable[T]]) -> T:
        tries = self.settings.retries + 1
        for number in range(1, tries + 1):
            try:
                async with limiter.slot(host):
                    return await attempt()
            except QuotaExhausted as exc:
                raise _Failed(Reason(part, f"{host}: rate-limited by our own copy of the "
                                     f"registry's published limit: {exc}"),
                              "rate_limited") from exc
            except transport.FetchError as exc:
                last = number == tries
                if exc.kind == "rate_limited":
                    wait = exc.retry_after if exc.retry_after is not None else (
                        RATE_LIMIT_PAUSE * number)
                    if last or wait > MAX_RETRY_AFTER:
                        after = f" (Retry-After {wait:g} s)" if exc.retry_after else ""
                        raise _Failed(Reason(part, f"{host}: rate-limited{after}; "
                                             f"gave up after {number} tries"),
                                      "rate_limited") from exc
                    limiter.pause(host, wait)
                    continue
                if exc.transient and not last:
                    await asyncio.sleep(min(0.25 * 2 ** (number - 1), 4.0))
                    continue
                raise _Failed(Reason(part, f"{host}: {exc.message}"), exc.kind) from exc
        raise AssertionError("unreachable")

    def _observation(self, domain: str, source: Source, server: str, data: RegistrationData,
                     reasons: list[Reason]) -> RegistrationObservation:
        return build_observation(domain, source, server, data, reasons, self._now())


def _parse_rdap(body: bytes, matcher: PrivacyMatcher) -> RegistrationData:
    return rdap.parse_domain(rdap.loads(body), matcher)


def server_label(host: str, port: int) -> str:
    return host if port == 43 else f"{host}:{port}"


_PUBLISHABLE: tuple[tuple[str, str], ...] = (
    ("registrar", "registrar"), ("expires", "expiry date"), ("epp_status", "EPP status"))


def absent_fields(domain: str, data: RegistrationData) -> tuple[tuple[str, ...], list[str]]:
    """The fields the answer lacks, split into those the TLD's registry never publishes
    (``publishes`` in ``data/tld-profiles.yaml``: not applicable) and those it should have
    given (the observation is incomplete)."""
    policy = profiles.profile_for(domain).unpublished
    values = {"registrar": data.registrar, "expires": data.expires,
              "epp_status": data.epp_status}
    absent = [(key, label) for key, label in _PUBLISHABLE if not values[key]]
    return (tuple(label for key, label in absent if key in policy),
            [label for key, label in absent if key not in policy])


def build_observation(domain: str, source: Source, server: str, data: RegistrationData,
                      reasons: Iterable[Reason], now: datetime) -> RegistrationObservation:
    """Combine a parsed answer with lock classification and the reasons it is incomplete."""
    locks = epp.classify(data.epp_status, data.other_status if source == "rdap" else ())
    unpublished, lacking = absent_fields(domain, data)
    all_reasons = list(reasons)
    if not any((data.registrar, data.created, data.expires, data.epp_status, data.other_status)):
        all_reasons.append(Reason(f"registration.{source}", f"{server}: the answer names no "
                                  "registrar, date or status of the domain"))
    elif lacking:
        all_reasons.append(Reason(f"registration.{source}",
                                  f"{server}: the answer gives no {', '.join(lacking)}"))
    pii = data.pii_fields_exposed
    if pii is None and not data.thin:
        pii = ()  # a final answer without registrant data publishes none
    return RegistrationObservation(
        domain=domain, source=source, registrar=data.registrar, unpublished=unpublished,
        registrar_iana_id=data.registrar_iana_id, created=data.created, expires=data.expires,
        epp_status=data.epp_status, registrar_locked=locks.registrar_locked,
        registry_locked=locks.registry_locked, registrant_redacted=data.registrant_redacted,
        pii_fields_exposed=pii, server_lock_partial=locks.server_lock_partial,
        update_delete_locked=locks.update_delete_locked, other_status=data.other_status,
        privacy_service=data.privacy_service, privacy_evidence=data.privacy_evidence,
        server=server, fetched_at=now,
        reasons=tuple(all_reasons))
