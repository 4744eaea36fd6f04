from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import Run


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    return db_url


def test_add_list_show_edit_rm(run: Run, db: str) -> None:
    assert run("client", "add", "Acme", "--regimes", "gdpr,nis2", "--residency", "EU").code == 0
    assert run("vendor", "add", "NS1", "--kind", "dns_provider").code == 0
    added = run("domain", "add", "bücher.example", "--client", "Acme", "--dns-providers", "NS1",
                "--json")
    assert added.code == 0, added.err
    assert json.loads(added.out)["name"] == "xn--bcher-kva.example"

    listed = run("domain", "list", "--json")
    assert [d["name_unicode"] for d in json.loads(listed.out)] == ["bücher.example"]
    assert listed.err == ""

    table = run("domain", "list")
    assert "bücher.example" in table.out and "NS1" in table.out

    shown = run("domain", "show", "xn--bcher-kva.example", "--json")
    assert json.loads(shown.out)["client"] == "Acme"

    edited = run("domain", "edit", "bücher.example", "--criticality", "critical", "--json")
    assert json.loads(edited.out)["criticality"] == "critical"

    assert run("domain", "rm", "bücher.example").code == 0
    assert json.loads(run("domain", "list", "--json").out) == []


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("domain", "add", "bad_name.example", "--client", "Acme"), "underscore"),
        (("domain", "add", "ok.example", "--client", "Nobody"), "no client 'Nobody'"),
        (("vendor", "add", "X", "--kind", "isp"), "kind: must be one of"),
        (("contract", "add", "--vendor", "NS1", "--reference", "R", "--start-date", "1/2/25"),
         "start_date: must be a date"),
        (("client", "add", "Acme"), "already exists"),
        (("domain", "show", "missing.example"), "no domain"),
        (("client", "frobnicate"), "No such command"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(run: Run, db: str, argv: tuple[str, ...],
                                                       fragment: str) -> None:
    run("client", "add", "Acme")
    run("vendor", "add", "NS1", "--kind", "dns_provider")
    before = run("audit", "log", "--json").out
    result = run(*argv)
    assert result.code == 2
    assert result.out == ""
    assert fragment in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert run("audit", "log", "--json").out == before


def test_unreachable_database_exit_3_password_masked(run: Run) -> None:
    result = run("--db", "postgresql://admin:s3cret@127.0.0.1:1/nowhere", "client", "list")
    assert result.code == 3
    assert "s3cret" not in result.err and "***" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_locked_database_exit_3_and_nothing_half_written(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    url = f"sqlite:///{path}"
    assert run("--db", url, "client", "add", "Acme").code == 0
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run("--db", url, "client", "add", "Globex")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 3
    assert "locked" in result.err and str(path) in result.err
    names = [c["name"] for c in json.loads(run("--db", url, "client", "list", "--json").out)]
    assert names == ["Acme"]


def test_audit_verify_and_log(run: Run, db: str) -> None:
    run("client", "add", "Acme")
    verify = run("audit", "verify", "--json")
    assert verify.code == 0 and json.loads(verify.out)["ok"] is True
    events = json.loads(run("audit", "log", "--entity", "client", "--json").out)
    assert events[0]["actor"] == "cli-tester" and events[0]["after"]["name"] == "Acme"


def test_audit_verify_fails_with_exit_7_on_tampering(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    url = f"sqlite:///{path}"
    run("--db", url, "client", "add", "Acme")
    run("--db", url, "client", "add", "Globex")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE audit_event SET after = '{}' WHERE seq = 1")
    result = run("--db", url, "audit", "verify")
    assert result.code == 7
    assert "event 1" in result.err


def test_locate_masks_password(run: Run) -> None:
    result = run("--db", "postgresql://u:pw@127.0.0.1/x", "locate", "--json")
    data = json.loads(result.out)
    assert data["database"] == "postgresql://u:***@127.0.0.1/x"
    assert data["exports"] and data["config"].endswith("empty-config.toml")


def test_db_upgrade_and_current(run: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert json.loads(run("--db", url, "db", "current", "--json").out)["current"] is None
    assert run("--db", url, "db", "upgrade").code == 0
    status = json.loads(run("--db", url, "db", "current", "--json").out)
    assert status["up_to_date"] is True


def test_bad_config_file_is_exit_2(run: Run, tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[probe]\nconcurency = 4\n")
    result = run("--config", str(cfg), "client", "list")
    assert result.code == 2
    assert "probe.concurrency" in result.err and f"{cfg}:2" in result.err


def test_help_documents_exit_codes(run: Run) -> None:
    result = run("--help")
    assert result.code == 0
    for code in range(8):
        assert f"\n{code}  " in result.out or f" {code}  " in result.out


def test_subcontracting_chain_set_show_and_clear(run: Run, db: str) -> None:
    for name in ("Cloudflare", "Equinix", "Amazon Web Services"):
        assert run("vendor", "add", name, "--kind", "other").code == 0
    done = run("vendor", "subcontractors", "Cloudflare", "--set",
               "1. Equinix (data centres); 2. Amazon Web Services", "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out) == [
        {"name": "Equinix", "rank": 1, "service": "data centres"},
        {"name": "Amazon Web Services", "rank": 2, "service": None}]
    shown = run("vendor", "subcontractors", "Cloudflare")
    assert "Equinix" in shown.out and "data centres" in shown.out

    before = run("audit", "log", "--json").out
    for chain, fragment in (("1. Nobody", "no vendor 'Nobody'"),
                            ("Equinix; Equinix", "names Equinix twice"),
                            ("Cloudflare", "its own subcontractor")):
        refused = run("vendor", "subcontractors", "Cloudflare", "--set", chain)
        assert refused.code == 2 and fragment in refused.err, refused.err
        assert len(refused.err.strip().splitlines()) == 1
    assert run("audit", "log", "--json").out == before  # nothing half-written

    cleared = run("vendor", "subcontractors", "Cloudflare", "--set", "", "--json")
    assert json.loads(cleared.out) == []
    events = [e for e in json.loads(run("audit", "log", "--json").out)
              if e["entity_kind"] == "vendor" and e["action"] == "update"]
    assert len(events) == 2  # set, then cleared
