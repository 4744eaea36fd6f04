"""Transport helpers that need no network: Retry-After, HOST[:PORT], scheme policy."""

from __future__ import annotations

import pytest
import requests

from vendorrisk.probes.registration import transport


@pytest.mark.parametrize(("value", "expected"), [
    ("7", 7.0), (None, None), ("", None), ("soon", None),
    ("Mon, 23 Nov 2026 12:00:10 GMT", 10.0),
])
def test_retry_after(value: str | None, expected: float | None) -> None:
    now = 1795435200.0  # 2026-11-23T12:00:00Z
    assert transport.parse_retry_after(value, now=now) == expected


@pytest.mark.parametrize(("server", "expected"), [
    ("whois.example", ("whois.example", 43)), ("127.0.0.1:4343", ("127.0.0.1", 4343)),
    ("[::1]:4343", ("::1", 4343)), ("::1", ("::1", 43)),
])
def test_split_host_port(server: str, expected: tuple[str, int]) -> None:
    assert transport.split_host_port(server) == expected


@pytest.mark.parametrize("server", ["host:0", "host:99999", "host:x"])
def test_bad_port(server: str) -> None:
    with pytest.raises(ValueError):
        transport.split_host_port(server)


@pytest.mark.parametrize("url", ["http://rdap.example/domain/x.com", "ftp://x/", "x.com"])
def test_https_only_unless_allowed(url: str) -> None:
    with pytest.raises(transport.FetchError) as info:
        transport.rdap_get(requests.Session(), url, timeout=1, max_bytes=10, allow_http=False)
    assert info.value.kind == "insecure"


def test_transient_kinds() -> None:
    assert transport.FetchError("timeout", "t").transient
    assert transport.FetchError("http", "h", status=503).transient
    assert not transport.FetchError("http", "h", status=403).transient
    assert not transport.FetchError("not_found", "n").transient
