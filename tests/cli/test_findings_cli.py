"""`findings list|show|accept|resolve|reopen` and `changes` labels through the real entry point.

The findings are the rules' own: inventory findings raised by the rescore after each record
is added, and on the demo portfolio the domain findings its recorded probe runs raise.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import Run
from vendorrisk.config import Settings
from vendorrisk.services.app import Services

JSON_KEYS = {"id", "code", "severity", "title", "subject_kind", "subject", "vendor", "client",
             "status", "lapsed", "first_seen", "last_seen", "accepted_by", "accepted_reason",
             "accepted_until", "resolved_at", "evidence"}
SHOW_KEYS = JSON_KEYS | {"description", "remedy", "references", "history"}
RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

# Acme and Other share the DNS provider Cloudy and the MSP-wide contract CL-MSP; RegCo serves
# Acme only, OtherDNS Other only. Both clients are under DORA with EU residency, and Cloudy
# keeps data in the US, so the rules raise findings about each client on shared subjects.
# One import (one rescore), then an expired certification and one that is renewed.
SHEETS: dict[str, list[list[Any]]] = {
    "Clients": [["Acme", "dora,gdpr", "EU"], ["Other", "dora", "EU"]],
    "Vendors": [["Cloudy", "dns_provider"] + [None] * 6 + ["US"],
                ["RegCo", "registrar"] + [None] * 6 + ["DE"],
                ["OtherDNS", "dns_provider"] + [None] * 6 + ["DE"]],
    "Domains": [["acme.example", "Acme", "RegCo", "Cloudy"],
                ["other.example", "Other", None, "Cloudy,OtherDNS"]],
    "Contracts": [["Cloudy", "CL-ACME", "Acme", None, date(2025, 1, 1)],
                  ["OtherDNS", "OD-OTHER", "Other", None, date(2025, 1, 1)],
                  ["Cloudy", "CL-MSP", None, None, date(2025, 1, 1)]],
}
AFTER_IMPORT = (
    ("cert", "add", "--vendor", "OtherDNS", "--cert-type", "iso27001", "--valid-until",
     "2025-01-01"),
    ("cert", "add", "--vendor", "RegCo", "--cert-type", "iso27001", "--valid-until",
     "2025-01-01"),
)
ACME_SUBJECTS = {("domain", "acme.example"), ("vendor", "Cloudy"), ("vendor", "RegCo"),
                 ("contract", "Cloudy CL-ACME"), ("contract", "Cloudy CL-MSP")}


def _today() -> date:
    return datetime.now(UTC).date()


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    return db_url


@pytest.fixture
def portfolio(run: Run, db: str, tmp_path: Path) -> str:
    workbook = tmp_path / "portfolio.xlsx"
    assert run("import", "--template", str(workbook)).code == 0
    wb = load_workbook(workbook)
    for sheet, rows in SHEETS.items():
        for row in rows:
            wb[sheet].append(row)
    wb.save(workbook)
    imported = run("import", str(workbook))
    assert imported.code == 0, imported.err
    for argv in AFTER_IMPORT:
        done = run(*argv, "--json")
        assert done.code == 0, (argv, done.err)
    renewed = json.loads(done.out)["id"]
    later = (_today() + timedelta(days=300)).isoformat()
    assert run("cert", "edit", str(renewed), "--valid-until", later).code == 0
    return db


def _json(run: Run, *argv: str) -> Any:
    done = run(*argv, "--json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def _audit(run: Run) -> list[dict[str, Any]]:
    return list(_json(run, "audit", "log", "--entity", "finding"))


def test_list_show_and_client_scope(run: Run, portfolio: str) -> None:
    every = _json(run, "findings", "list", "--status", "all")
    assert every and all(set(f) == JSON_KEYS for f in every)
    assert [RANK[f["severity"]] for f in every] == sorted(
        (RANK[f["severity"]] for f in every), reverse=True)  # worst first
    assert {f["status"] for f in every} == {"open", "resolved"}  # RegCo's cert was renewed
    opened = _json(run, "findings", "list")
    assert [f["id"] for f in opened] == [f["id"] for f in every if f["status"] == "open"]
    resolved = _json(run, "findings", "list", "--status", "resolved")
    assert resolved and all(f["resolved_at"] for f in resolved)

    expired = _json(run, "findings", "list", "--code", "cert.expired")
    assert [(f["subject_kind"], f["subject"], f["client"]) for f in expired] == [
        ("vendor", "OtherDNS", None)]
    high = _json(run, "findings", "list", "--severity", "high,critical", "--severity", "info")
    assert high and {f["severity"] for f in high} <= {"high", "critical", "info"}
    cloudy = _json(run, "findings", "list", "--vendor", "Cloudy", "--status", "all")
    assert cloudy and {f["vendor"] for f in cloudy} == {"Cloudy"}
    assert {f["subject_kind"] for f in cloudy} == {"vendor", "contract"}
    assert _json(run, "findings", "list", "--domain", "ACME.example") == []

    text = run("findings", "list", "--code", "cert.expired")
    assert text.code == 0 and text.err.strip() == "1 finding(s)"
    header, row = text.out.splitlines()
    assert header.split() == ["ID", "SEVERITY", "CODE", "SUBJECT", "CLIENT", "STATUS",
                              "LAST_SEEN", "TITLE"]
    assert "vendor OtherDNS" in row and " open " in row
    assert run("findings", "list", "--code", "cert.expired", "--fail-on", "high").code == 6
    assert run("findings", "list", "--code", "cert.expired", "--fail-on", "critical").code == 0
    nothing = run("findings", "list", "--domain", "acme.example", "--fail-on", "info")
    assert (nothing.code, nothing.out) == (0, "")

    (finding,) = expired
    shown = _json(run, "findings", "show", str(finding["id"]))
    assert set(shown) == SHOW_KEYS
    assert {k: shown[k] for k in JSON_KEYS} == finding
    assert shown["remedy"] and shown["history"] == []
    text = run("findings", "show", str(finding["id"]))
    assert text.code == 0
    assert re.search(r"^subject\s+vendor OtherDNS$", text.out, re.M)
    assert "remedy" in text.out and "evidence:" in text.out and "history: none" in text.out

    # A client sees its domains', its serving vendors' and its (and covering MSP-wide)
    # contracts' findings, each vendor-wide or about this client: never another client's.
    expected = [f["id"] for f in every if f["client"] in (None, "Acme")
                and (f["subject_kind"], f["subject"]) in ACME_SUBJECTS]
    acme = _json(run, "findings", "list", "--client", "Acme", "--status", "all")
    assert [f["id"] for f in acme] == expected
    shared = {(f["subject"], f["client"]) for f in every}
    assert {("Cloudy", "Other"), ("Cloudy CL-MSP", "Other"), ("OtherDNS", None)} <= shared
    assert {("Cloudy", "Acme"), ("Cloudy CL-MSP", "Acme")} <= {
        (f["subject"], f["client"]) for f in acme}
    text = run("findings", "list", "--client", "Acme", "--status", "all").out
    assert "Other" not in text and "other.example" not in text
    assert run("findings", "list", "--client", "Nobody").code == 2


def test_accept_reopen_resolve_audited_and_lapsed_shown_open(run: Run, portfolio: str
                                                              ) -> None:
    ids = [str(f["id"]) for f in _json(run, "findings", "list", "--client", "Acme")[:2]]
    until = (_today() + timedelta(days=90)).isoformat()
    before = len(_audit(run))
    accepted = run("findings", "accept", *ids, "--reason", "exit planned", "--until", until,
                   "--json")
    assert accepted.code == 0, accepted.err
    assert accepted.err.strip() == f"accepted 2 finding(s) until {until}: {', '.join(ids)}"
    assert [(f["status"], f["accepted_by"], f["accepted_reason"], f["accepted_until"])
            for f in json.loads(accepted.out)] == [("accepted", "cli-tester", "exit planned",
                                                    until)] * 2
    events = _audit(run)
    assert len(events) == before + 2
    assert {(e["action"], e["actor"], str(e["entity_id"])) for e in events[:2]} == {
        ("accept", "cli-tester", i) for i in ids}
    assert events[0]["after"]["accepted_until"] == until
    assert not {int(i) for i in ids} & {f["id"] for f in _json(run, "findings", "list")}
    listed = run("findings", "list", "--status", "accepted")
    assert f"accepted to {until}" in listed.out
    history = _json(run, "findings", "show", ids[0])["history"]
    assert [h["action"] for h in history] == ["accept"]

    reopened = _json(run, "findings", "reopen", ids[0])
    assert [(f["status"], f["accepted_until"]) for f in reopened] == [("open", None)]
    assert [h["action"] for h in _json(run, "findings", "show", ids[0])["history"]] == [
        "accept", "reopen"]

    # The rules still raise it, so the rescore after the change opens it again; the person's
    # resolution is audited and the command says so.
    resolved = run("findings", "resolve", ids[0])
    assert resolved.code == 0
    assert "still raised by the rules" in resolved.err and ids[0] in resolved.err
    assert _audit(run)[0]["action"] == "resolve"

    # A lapsed acceptance counts and shows as open again, from its last day on.
    first, second = (f["id"] for f in _json(run, "findings", "list", "--client", "Acme")[:2])
    earlier = Services(Settings(db=portfolio, user="earlier"),
                       clock=lambda: _today() - timedelta(days=30))
    earlier.findings.accept([first], "waiting for the vendor", _today())  # lapses today
    earlier.close()
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    assert run("findings", "accept", str(second), "--reason", "ok", "--until", tomorrow).code == 0

    opened = {f["id"]: f for f in _json(run, "findings", "list")}
    assert first in opened and second not in opened
    assert (opened[first]["status"], opened[first]["lapsed"]) == ("open", True)
    assert [f["id"] for f in _json(run, "findings", "list", "--status", "lapsed")] == [first]
    in_force = {f["id"] for f in _json(run, "findings", "list", "--status", "accepted")}
    assert in_force == {int(ids[1]), second}
    text = run("findings", "list", "--status", "lapsed").out
    assert f"open (acceptance lapsed {_today().isoformat()})" in text
    shown = _json(run, "findings", "show", str(first))
    assert shown["status"] == "open" and shown["accepted_by"] == "earlier"


BAD_INPUT = (
    (("accept", "99999", "--reason", "r", "--until", "{until}"), "no finding 99999"),
    (("accept", "{id}", "99999", "--reason", "r", "--until", "{until}"), "no finding 99999"),
    (("accept", "{id}", "--reason", "r", "--until", "2027-13-01"), "is not a date"),
    (("accept", "{id}", "--reason", "r", "--until", "{past}"), "must expire after today"),
    (("accept", "{id}", "--reason", "r", "--until", "{today}"), "must expire after today"),
    (("accept", "{id}", "--reason", "r", "--until", "{far}"), "at most two years"),
    (("accept", "{id}", "--reason", "  ", "--until", "{until}"), "justification is required"),
    (("accept", "{id}", "--reason", "", "--until", "{until}"), "justification is required"),
    (("accept", "{id}", "--until", "{until}"), "Missing option '--reason'"),
    (("accept", "{id}", "--reason", "r"), "Missing option '--until'"),
    (("accept", "x1", "--reason", "r", "--until", "{until}"), "not a valid integer"),
    (("resolve",), "Missing argument"),
    (("reopen", "{id}", "99999"), "no finding 99999"),
    (("show", "99999"), "no finding 99999"),
    (("list", "--code", "dnssec.bogs"), "did you mean 'dnssec.bogus'"),
    (("list", "--severity", "severe"), "unknown severity 'severe'"),
    (("list", "--status", "closed"), "unknown status 'closed'"),
    (("list", "--vendor", "Nope"), "no vendor 'Nope'"),
    (("list", "--domain", "nope.example"), "no domain 'nope.example'"),
    (("list", "--fail-on", "severe"), "Invalid value for '--fail-on'"),
)


def test_bad_input_is_one_line_exit_2_and_changes_nothing(run: Run, portfolio: str) -> None:
    finding = _json(run, "findings", "list")[0]
    values = {"id": str(finding["id"]), "until": (_today() + timedelta(days=30)).isoformat(),
              "past": (_today() - timedelta(days=1)).isoformat(), "today": _today().isoformat(),
              "far": (_today() + timedelta(days=800)).isoformat()}
    events = len(_audit(run))
    for argv, message in BAD_INPUT:
        failed = run("findings", *(a.format(**values) for a in argv))
        assert failed.code == 2, (argv, failed.err)
        assert failed.out == "" and len(failed.err.splitlines()) == 1, (argv, failed.err)
        assert failed.err.startswith("vendorrisk: ") and message in failed.err, (argv, failed.err)
    assert len(_audit(run)) == events
    assert _json(run, "findings", "show", values["id"])["status"] == "open"


# -- on the demo portfolio --------------------------------------------------------------------

def _allowed(client: str, domains: list[dict[str, Any]], contracts: list[dict[str, Any]]
             ) -> dict[str, set[str]]:
    """Subject kind -> the subjects whose findings ``client`` may see."""
    own = [d for d in domains if d["client"] == client]
    vendors = {d["registrar"] for d in own if d["registrar"]}
    vendors |= {v for d in own for v in d["dns_providers"]}
    vendors |= {c["vendor"] for c in contracts if c["client"] == client}
    seen = {f"{c['vendor']} {c['reference']}" for c in contracts
            if c["client"] == client or (c["client"] is None and c["vendor"] in vendors)}
    return {"domain": {d["name"] for d in own}, "vendor": vendors, "contract": seen}


def _mentions(text: str, names: set[str]) -> list[str]:
    return [n for n in names if re.search(r"(?<![\w.-])" + re.escape(n) + r"(?![\w-])", text)]


def test_demo_changes_baseline_client_scope_and_life_cycle(run: Run, db: str) -> None:
    assert run("demo").code == 0
    # Loading the demo sets the changes baseline: its findings are not new, while its two
    # probe runs still compare.
    first = [json.loads(line) for line in run("changes", "--json").out.splitlines()]
    assert first and not [c for c in first if c["kind"].startswith("finding.new")]
    assert all(c["subject_kind"] == "domain" and c["domain"] == c["subject"] for c in first)

    # No client's findings name another client or another client's domains.
    domains = _json(run, "domain", "list")
    contracts = _json(run, "contract", "list")
    clients = sorted({d["client"] for d in domains})
    for client in clients:
        listed = run("findings", "list", "--client", client, "--status", "all", "--json")
        assert listed.code == 0, listed.err
        found = json.loads(listed.out)
        allowed = _allowed(client, domains, contracts)
        assert any(f["subject_kind"] == "domain" for f in found)
        for f in found:
            assert f["subject"] in allowed[f["subject_kind"]], (client, f)
            assert f["client"] in (None, client), (client, f)
        others = {n for d in domains if d["client"] != client for n in (d["name"], d["client"])}
        assert not _mentions(listed.out, others), client

    # The demo's lapsed acceptance shows as open; resolving a domain finding sticks until
    # a probe sees it again.
    lapsed = _json(run, "findings", "list", "--status", "lapsed")
    assert lapsed and all(f["status"] == "open" and f["lapsed"] for f in lapsed)
    bogus = _json(run, "findings", "list", "--code", "dnssec.bogus")[0]
    done = run("findings", "resolve", str(bogus["id"]))
    assert done.code == 0 and "still raised" not in done.err
    assert bogus["id"] in {f["id"] for f in _json(run, "findings", "list", "--status", "resolved")}
    assert _json(run, "findings", "show", str(bogus["id"]))["history"][0]["action"] == "resolve"

    # Findings raised after the baseline are new, labelled with their subject's kind.
    for argv in (("vendor", "add", "Fresh DNS", "--kind", "dns_provider"),
                 ("cert", "add", "--vendor", "Fresh DNS", "--cert-type", "iso27001",
                  "--valid-until", "2025-01-01"),
                 ("cert", "add", "--vendor", "NS1", "--cert-type", "iso27017",
                  "--valid-until", "2025-01-01")):
        assert run(*argv).code == 0
    after = [json.loads(line) for line in run("changes", "--json").out.splitlines()]
    new = {(c["subject_kind"], c["subject"], c["domain"]) for c in after
           if c["kind"] == "finding.new:cert.expired"}
    assert new == {("vendor", "Fresh DNS", None), ("vendor", "NS1", None)}
    text = run("changes")
    assert text.out.splitlines()[0].split() == ["SEVERITY", "SUBJECT", "KIND", "SUMMARY", "AT"]
    assert "vendor Fresh DNS" in text.out and "domain " in text.out and "baseline" in text.err
    baltic = run("changes", "--client", "Baltic Pay UAB", "--json").out  # NS1 serves it
    assert '"NS1"' in baltic and "Fresh DNS" not in baltic
    kinds = [e["entity_kind"] for e in _json(run, "audit", "log", "--limit", "100")]
    assert kinds.count("changes_baseline") == 1
