"""The only network I/O of the registration probe: one RDAP GET and one WHOIS exchange.

Both are blocking (run them in a worker thread), take server, timeout and byte cap
explicitly, and turn every transport fault into a :class:`FetchError` with a ``kind`` the
prober maps to a reason. Retries and rate limits belong to the async scheduler.
"""

from __future__ import annotations

import email.utils
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests

ACCEPT = "application/rdap+json, application/json;q=0.9"
MAX_REDIRECTS = 3
MAX_HEADER_CHARS = 64
"""Longest Content-Length or Retry-After value read; a longer one is not a number we use."""


class FetchError(Exception):
    """A fetch that gave no usable answer. ``kind``: timeout, connect, too_large, http,
    rate_limited, not_found, insecure, redirects."""

    def __init__(self, kind: str, message: str, *, retry_after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retry_after = retry_after
        self.status = status

    @property
    def transient(self) -> bool:
        return self.kind in ("timeout", "connect", "rate_limited") or (
            self.kind == "http" and (self.status or 0) >= 500)


@dataclass(frozen=True)
class HttpAnswer:
    url: str
    body: bytes


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.strip()[:MAX_HEADER_CHARS]
    if text.isascii() and text.isdigit():  # '²'.isdigit() too, but float('²') fails
        return float(text)  # a huge one is inf: longer than any wait we honour
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def rdap_get(session: requests.Session, url: str, *, timeout: float, max_bytes: int,
             allow_http: bool) -> HttpAnswer:
    """GET an RDAP URL, following up to three redirects, reading at most ``max_bytes``."""
    for _ in range(MAX_REDIRECTS + 1):
        _check_scheme(url, allow_http)
        try:
            resp = session.get(url, headers={"Accept": ACCEPT}, timeout=timeout,
                               stream=True, allow_redirects=False)
        except requests.Timeout as exc:
            raise FetchError("timeout", f"no answer within {timeout:g} s") from exc
        except requests.RequestException as exc:
            raise FetchError("connect", f"connection failed ({type(exc).__name__})") from exc
        with resp:
            if resp.status_code in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                url = urljoin(url, resp.headers["Location"])
                continue
            return _answer(resp, url, timeout, max_bytes)
    raise FetchError("redirects", f"more than {MAX_REDIRECTS} redirects")


def _check_scheme(url: str, allow_http: bool) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and allow_http):
        return
    raise FetchError("insecure", f"refusing {scheme or 'scheme-less'} URL (HTTPS only)")


def _answer(resp: requests.Response, url: str, timeout: float, max_bytes: int) -> HttpAnswer:
    status = resp.status_code
    if status == 429:
        wait = parse_retry_after(resp.headers.get("Retry-After"))
        raise FetchError("rate_limited", "HTTP 429 Too Many Requests", retry_after=wait,
                         status=status)
    if status == 404:
        raise FetchError("not_found", "HTTP 404: no such domain at this server", status=status)
    if status != 200:
        raise FetchError("http", f"HTTP {status}", status=status)
    declared = resp.headers.get("Content-Length", "").strip()
    if declared.isascii() and declared.isdigit() and (
            len(declared) > MAX_HEADER_CHARS or int(declared) > max_bytes):
        raise FetchError("too_large", f"response of {declared} bytes exceeds {max_bytes}")
    return HttpAnswer(url, _read_bounded(resp, timeout, max_bytes))


def _read_bounded(resp: requests.Response, timeout: float, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + max(timeout * 3, timeout + 5)
    try:
        for chunk in resp.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too_large", f"response exceeds {max_bytes} bytes; cut")
            if time.monotonic() > deadline:
                raise FetchError("timeout", "response body too slow")
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise FetchError("timeout" if "timed out" in str(exc).lower() else "connect",
                         f"body read failed ({type(exc).__name__})") from exc
    return b"".join(chunks)


def split_host_port(server: str, default_port: int = 43) -> tuple[str, int]:
    """``host``, ``host:port``, ``[v6]:port`` or bare IPv6 -> (host, port)."""
    text = server.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.lstrip(":")
        return host, int(port) if port.isdigit() else default_port
    if text.count(":") == 1:
        host, port = text.split(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"bad port in WHOIS server {server!r}")
        return host, int(port)
    return text, default_port


def whois_query(host: str, port: int, query: str, *, timeout: float, max_bytes: int) -> bytes:
    """One WHOIS exchange (RFC 3912): send ``query`` CRLF, read to EOF, at most ``max_bytes``."""
    deadline = time.monotonic() + max(timeout * 3, timeout + 5)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(query.encode("utf-8") + b"\r\n")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError("timeout", "answer too slow")
                data = sock.recv(65536)
                if not data:
                    break
                size += len(data)
                if size > max_bytes:
                    raise FetchError("too_large", f"answer exceeds {max_bytes} bytes; cut")
                chunks.append(data)
    except TimeoutError as exc:
        raise FetchError("timeout", f"no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise FetchError("connect", f"connection failed ({exc.strerror or exc})") from exc
    return b"".join(chunks)
