"""Every malformed URL or setting is one line on stderr with exit 2, never a traceback
(issue #22, item 3), wherever it is given: flag, environment or config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Result, Run


def assert_one_line(result: Result, code: int, *fragments: str) -> None:
    assert result.code == code, result.err
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.err.startswith("vendorrisk: ") and "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


@pytest.mark.parametrize(("url", "why"), [
    ("postgresql://u:p@127.0.0.1:notaport/db", "malformed host or port"),
    ("postgresql://u:p@[::1/db", "malformed host or port"),
    ("postgresql://u:p@127.0.0.1:70000/db", "port 70000 is not between 1 and 65535"),
    ("u:p@db.internal/vr", "no scheme"),
    ("db.internal/vr", "no scheme"),
    ("://u:p@db.internal/vr", "not a URL"),
    ("oracle://u:p@db.internal/vr", "unsupported database URL scheme 'oracle'"),
    ("postgresql+nosuchdriver://u:p@db.internal/vr", "unknown database driver"),
])
@pytest.mark.parametrize("command", [("client", "list"), ("locate", "--json"), ("db", "current"),
                                     ("export",), ("demo",)])
def test_a_malformed_database_url(run: Run, url: str, why: str, command: tuple[str, ...]) -> None:
    assert_one_line(run("--db", url, *command), 2, why)


@pytest.mark.parametrize(("flag", "value", "why"), [
    ("--rdap-bootstrap", "https://[::1/dns.json", "malformed host or port"),
    ("--rdap-bootstrap", "https://rdap.example:notaport/dns.json", "malformed host or port"),
    ("--rdap-bootstrap", "ftp://rdap.example/dns.json", "only http and https"),
    ("--rdap-bootstrap", "https:///dns.json", "no host"),
    ("--whois-server", "whois.example:notaport", "is not HOST[:PORT]"),
    ("--whois-server", "[::1", "is not HOST[:PORT]"),
    ("--whois-server", "whois.example:0", "is not HOST[:PORT]"),
    ("--whois-server", "who is", "is not HOST[:PORT]"),
    ("--resolver", "192.0.2.1:notaport", "is not IP[:PORT]"),
])
def test_a_malformed_probe_server(run: Run, flag: str, value: str, why: str) -> None:
    assert_one_line(run("probe", "--no-store", flag, value, "a.example"), 2, why)


def test_a_malformed_server_in_the_config_file_or_environment(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "empty-config.toml"
    config.write_text('[probe]\nwhois_server = "whois.example:port"\n')
    assert_one_line(run("locate"), 2, f"{config}:2: probe.whois_server")
    config.write_text("")
    monkeypatch.setenv("VENDORRISK_PROBE_RDAP_BOOTSTRAP", "https://[::1/dns.json")
    assert_one_line(run("locate"), 2, "environment variable VENDORRISK_PROBE_RDAP_BOOTSTRAP")


@pytest.mark.parametrize("option", ["--bootstrap-url", "--anchors-url"])
@pytest.mark.parametrize("url", ["https://[::1/x", "https://h:bad/x", "u:p@h/x", "file:///etc/x"])
def test_a_malformed_refresh_url(run: Run, tmp_path: Path, option: str, url: str) -> None:
    assert_one_line(run("data", "refresh", option, url, "--out", str(tmp_path / "d")), 2,
                    f"{option}: ", "is not a usable URL")
