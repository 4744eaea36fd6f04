"""The IANA RDAP bootstrap for domains (RFC 9224 ``dns.json``): which RDAP server serves a TLD.

Parsing and lookup are pure; loading reads a file or, for a URL the user named, one GET;
:func:`fetch_bootstrap` is that GET, validated, and also what ``vendorrisk data refresh``
saves. Plain HTTP base URLs are kept only when the user supplied the bootstrap (tests,
internal mirrors); the shipped copy is HTTPS only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from vendorrisk import paths
from vendorrisk.errors import ConfigError, NetworkError
from vendorrisk.probes.registration.transport import FetchError, rdap_get

IANA_DNS_JSON = "https://data.iana.org/rdap/dns.json"


@dataclass(frozen=True)
class Bootstrap:
    """TLD (or longer suffix) -> RDAP base URLs, best first."""

    services: dict[str, tuple[str, ...]]
    allow_http: bool = False
    publication: str | None = None
    source: str = ""

    def base_url(self, domain: str) -> str | None:
        """Base URL for ``domain`` by longest label-wise match, HTTPS preferred."""
        labels = domain.lower().rstrip(".").split(".")
        for start in range(len(labels)):
            urls = self.services.get(".".join(labels[start:]))
            if urls:
                return urls[0]
        return None

    def domain_url(self, domain: str) -> str | None:
        base = self.base_url(domain)
        if base is None:
            return None
        return base + ("" if base.endswith("/") else "/") + "domain/" + domain.lower()


def parse_bootstrap(raw: bytes, *, allow_http: bool, source: str = "") -> Bootstrap:
    """Validate and index a ``dns.json`` document; a bad one is a :class:`ConfigError`."""
    where = source or "RDAP bootstrap"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ConfigError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise ConfigError(f"{where}: not an IANA RDAP bootstrap (no 'services' array)")
    services: dict[str, tuple[str, ...]] = {}
    for index, entry in enumerate(data["services"]):
        if (not isinstance(entry, list) or len(entry) != 2
                or not all(isinstance(part, list) for part in entry)):
            raise ConfigError(f"{where}: services[{index}] must be [[tlds...], [urls...]]")
        tlds, urls = entry
        usable = _usable_urls(urls, allow_http)
        for tld in tlds:
            if not isinstance(tld, str) or not tld.strip():
                raise ConfigError(f"{where}: services[{index}] has an empty or non-text TLD")
            if usable:
                services.setdefault(tld.strip().lower().strip("."), usable)
    publication = data.get("publication")
    return Bootstrap(services, allow_http, str(publication) if publication else None, where)


def _usable_urls(urls: list[object], allow_http: bool) -> tuple[str, ...]:
    https = [u for u in urls if isinstance(u, str) and urlsplit(u).scheme == "https"]
    http = [u for u in urls if isinstance(u, str) and urlsplit(u).scheme == "http"]
    return tuple(https + (http if allow_http else []))


def load_bootstrap(source: str | None, session: requests.Session | None = None, *,
                   timeout: float = 10.0, max_bytes: int = 5_000_000) -> Bootstrap:
    """Load the bootstrap named by settings (file or URL), else the copy shipped in data/."""
    if source is None:
        path = paths.data_file("rdap-dns.json")
        return parse_bootstrap(_read(path), allow_http=False, source=str(path))
    if urlsplit(source).scheme in ("http", "https"):
        raw = fetch_bootstrap(source, session or requests.Session(), timeout=timeout,
                              max_bytes=max_bytes)
        return parse_bootstrap(raw, allow_http=True, source=source)
    path = Path(source).expanduser()
    return parse_bootstrap(_read(path), allow_http=True, source=str(path))


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


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read RDAP bootstrap: {exc.strerror}") from exc
