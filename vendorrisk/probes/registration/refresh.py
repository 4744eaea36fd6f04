"""Fetch a fresh IANA RDAP bootstrap for ``vendorrisk data refresh`` (validated before use)."""

from __future__ import annotations

import requests

from vendorrisk.errors import ConfigError, NetworkError
from vendorrisk.probes.registration.bootstrap import parse_bootstrap
from vendorrisk.probes.registration.transport import FetchError, rdap_get

IANA_DNS_JSON = "https://data.iana.org/rdap/dns.json"


def fetch_bootstrap(url: str = IANA_DNS_JSON, session: requests.Session | None = None, *,
                    timeout: float = 10.0, max_bytes: int = 5_000_000) -> bytes:
    """GET ``url`` and return its bytes once they parse as a non-empty ``dns.json``.

    Raises :class:`NetworkError` when it cannot be fetched or is not a usable bootstrap
    (the caller keeps the old file then).
    """
    http = session or requests.Session()
    allow_http = url.lower().startswith("http://")
    try:
        answer = rdap_get(http, url, timeout=timeout, max_bytes=max_bytes, allow_http=allow_http)
    except FetchError as exc:
        raise NetworkError(f"cannot fetch RDAP bootstrap {url}: {exc.message}") from exc
    try:
        parsed = parse_bootstrap(answer.body, allow_http=allow_http, source=url)
    except ConfigError as exc:
        raise NetworkError(f"{url} is not a usable RDAP bootstrap: {exc.message}") from exc
    if not parsed.services:
        raise NetworkError(f"{url}: RDAP bootstrap lists no services")
    return answer.body
