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


@pytest.mark.parametrize("value", ["²", "１２", "Mon, 01 Jan 99999 00:00:00 GMT"])
def test_retry_after_that_is_not_a_number_we_read(value: str) -> None:
    assert transport.parse_retry_after(value) is None


def test_huge_retry_after_is_longer_than_any_wait() -> None:
    wait = transport.parse_retry_after("9" * 5000)
    assert wait is not None and wait > 1e60


@pytest.mark.parametrize("declared", ["9" * 5000, "11"])
def test_declared_length_over_the_cap_is_refused_before_reading(declared: str) -> None:
    import io

    resp = requests.Response()
    resp.status_code = 200
    resp.headers["Content-Length"] = declared
    resp.raw = io.BytesIO(b"")
    with pytest.raises(transport.FetchError) as info:
        transport._answer(resp, "https://rdap.example/", 1.0, 10)
    assert info.value.kind == "too_large"
