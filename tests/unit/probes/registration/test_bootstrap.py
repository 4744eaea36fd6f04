"""IANA dns.json parsing and lookup; the shipped copy."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendorrisk.errors import ConfigError
from vendorrisk.probes.registration.bootstrap import load_bootstrap, parse_bootstrap

DOC = {"version": "1.0", "publication": "2026-11-01T00:00:00Z", "services": [
    [["com", "net"], ["http://rdap.example/", "https://rdap.example/"]],
    [["co.uk"], ["https://co-uk.example/rdap"]],
    [["uk"], ["https://uk.example/"]],
    [["test"], ["http://127.0.0.1:8080/"]],
]}


def test_longest_match_and_https_first() -> None:
    boot = parse_bootstrap(json.dumps(DOC).encode(), allow_http=False)
    assert boot.base_url("a.example.com") == "https://rdap.example/"
    assert boot.domain_url("shop.co.uk") == "https://co-uk.example/rdap/domain/shop.co.uk"
    assert boot.base_url("nominet.uk") == "https://uk.example/"
    assert boot.base_url("x.test") is None  # http only: dropped unless the user supplied it
    assert boot.base_url("x.de") is None


def test_user_supplied_bootstrap_may_name_http() -> None:
    boot = parse_bootstrap(json.dumps(DOC).encode(), allow_http=True)
    assert boot.base_url("x.test") == "http://127.0.0.1:8080/"


@pytest.mark.parametrize("raw", [b"{", b"[]", b'{"services": {}}', b'{"services": [["com"]]}',
                                 b'{"services": [[[""], ["https://x/"]]]}'])
def test_bad_bootstrap_is_config_error(raw: bytes) -> None:
    with pytest.raises(ConfigError):
        parse_bootstrap(raw, allow_http=False, source="dns.json")


def test_shipped_copy_is_valid_and_https_only() -> None:
    boot = load_bootstrap(None)
    assert boot.base_url("example.com") == "https://rdap.verisign.com/com/v1/"
    assert boot.base_url("example.de") is None
    assert all(u.startswith("https://") for urls in boot.services.values() for u in urls)


def test_file_source(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dns.json"
    path.write_text(json.dumps(DOC))
    assert load_bootstrap(str(path)).base_url("x.test") == "http://127.0.0.1:8080/"
    with pytest.raises(ConfigError, match="cannot read"):
        load_bootstrap(str(tmp_path / "missing.json"))


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.text(max_size=12) | st.integers(),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(
                        st.sampled_from(["services", "version", "publication"]), c, max_size=3),
                    max_leaves=20))
def test_hostile_bootstrap_is_config_error_or_valid(doc: object) -> None:
    try:
        boot = parse_bootstrap(json.dumps(doc).encode(), allow_http=False)
    except ConfigError:
        return
    assert boot.base_url("a.example") is None or str(boot.base_url("a.example")).startswith("https")
