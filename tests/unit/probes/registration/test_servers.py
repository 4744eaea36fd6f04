"""WHOIS server choice and the referral SSRF guard."""

from __future__ import annotations

import pytest

from vendorrisk.probes.registration.servers import (
    AddressPolicy,
    load_whois_servers,
    query_for,
    whois_server_for,
)


def test_table_and_override() -> None:
    table = load_whois_servers()
    assert whois_server_for("a.de", table, None) == "whois.denic.de"
    assert whois_server_for("a.co.uk", table, None) == "whois.nic.uk"
    assert whois_server_for("a.invalid", table, None) is None
    assert whois_server_for("a.invalid", table, "127.0.0.1:4343") == "127.0.0.1:4343"


@pytest.mark.parametrize(("target", "ok"), [
    ("whois.markmonitor.com", True), ("127.0.0.1", False), ("10.0.0.5", False),
    ("[::1]", False), ("192.0.2.7", False), ("100.64.1.1", False), ("localhost", False),
    ("8.8.8.8", True),
])
def test_referral_guard(target: str, ok: bool) -> None:
    assert (AddressPolicy().refusal(target) is None) is ok
    assert AddressPolicy.of([target]).refusal(target) is None  # configuration named it


def test_query_dialects() -> None:
    assert query_for("whois.verisign-grs.com", "a.com") == "domain a.com"
    assert query_for("WHOIS.DENIC.DE", "a.de") == "-T dn,ace a.de"
    assert query_for("127.0.0.1", "a.com") == "a.com"
