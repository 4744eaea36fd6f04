"""`vendorrisk probe` end to end: BIND lab on loopback, real CLI entry point, stored results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.cli.conftest import Run, run  # noqa: F401 - fixture
from tests.lab.dns.bindlab import BindLab
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.store.models import FindingRow, ObservationRow, ProbeRun

pytestmark = pytest.mark.lab

CONTRACT_KEYS = {"domain", "probed_at", "complete", "registration", "dns", "findings"}
DNS_KEYS = {"parent_ns", "child_ns", "nameservers", "providers", "dnssec"}
NS_KEYS = {"name", "addresses", "provider", "authoritative", "soa_serial", "axfr_open",
           "update_open"}
DNSSEC_KEYS = {"status", "algorithms", "ds_digest_types", "earliest_signature_expiry", "reasons"}


@pytest.fixture
def lab_env(dns_lab: BindLab, lab_catalog_path: Path, monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'probe.db'}"
    for key, value in {"DB": url, "PROBE_RESOLVER": dns_lab.resolver,
                       "PROBE_TRUST_ANCHOR": str(dns_lab.trust_anchor),
                       "PROBE_PROVIDERS_FILE": str(lab_catalog_path), "PROBE_TIMEOUT": "0.5",
                       "PROBE_RETRIES": "0", "PROBE_DNS_RATE_LIMIT": "500",
                       "PROBE_ALLOW_NETWORKS": "127.0.0.0/8"}.items():
        monkeypatch.setenv(f"VENDORRISK_{key}", value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return url


def seed(run: Run) -> None:  # noqa: F811
    assert run("client", "add", "Acme").code == 0
    assert run("vendor", "add", "Alpha DNS", "--kind", "dns_provider",
               "--catalog-key", "alpha").code == 0
    assert run("vendor", "add", "Beta DNS", "--kind", "dns_provider",
               "--catalog-key", "beta").code == 0
    for name in ("good.test", "openxfr.test", "bücher.test"):
        assert run("domain", "add", name, "--client", "Acme",
                   "--dns-providers", "Beta DNS").code == 0


def stored(url: str) -> tuple[list[ProbeRun], list[ObservationRow], list[FindingRow]]:
    services = open_services(Settings(db=url))
    try:
        with services.db.session(readonly=True) as s:
            rows = (list(s.execute(select(ProbeRun)).scalars()),
                    list(s.execute(select(ObservationRow)).scalars()),
                    list(s.execute(select(FindingRow)).scalars()))
            s.expunge_all()
            return rows
    finally:
        services.close()


def test_json_lines_follow_the_contract_and_results_are_stored(run: Run,  # noqa: F811
                                                               lab_env: str) -> None:
    seed(run)
    result = run("probe", "--client", "Acme", "--no-registration", "--json")
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert sorted(obj["domain"] for obj in lines) == ["good.test", "openxfr.test",
                                                      "xn--bcher-kva.test"]
    for obj in lines:
        assert obj.keys() >= CONTRACT_KEYS
        assert obj["complete"] is True
        assert obj["dns"].keys() >= DNS_KEYS
        assert obj["dns"]["dnssec"].keys() >= DNSSEC_KEYS
        for ns in obj["dns"]["nameservers"]:
            assert ns.keys() >= NS_KEYS
        for finding in obj["findings"]:
            assert {"code", "severity", "title", "evidence"} <= finding.keys()
    by_domain = {obj["domain"]: {f["code"] for f in obj["findings"]} for obj in lines}
    assert "exit.axfr_open" in by_domain["openxfr.test"]
    assert "exit.axfr_open" not in by_domain["good.test"]
    assert "inventory.drift" in by_domain["openxfr.test"]  # served by Alpha, declared Beta

    runs, observations, findings = stored(lab_env)
    assert len(runs) == 1 and runs[0].status == "complete" and runs[0].domain_count == 3
    assert len(observations) == 3 and all(o.complete for o in observations)
    assert {f.code for f in findings if f.status == "open"} >= {"exit.axfr_open",
                                                                  "inventory.drift"}
    verify = run("audit", "verify", "--json")
    assert json.loads(verify.out)["ok"] is True


def test_a_finding_no_longer_observed_is_resolved_not_deleted(run: Run,  # noqa: F811
                                                              lab_env: str) -> None:
    seed(run)
    assert run("probe", "openxfr.test", "--no-registration").code == 0
    before = stored(lab_env)[2]
    drift = [f for f in before if f.code == "inventory.drift"]
    assert len(drift) == 1 and drift[0].status == "open"
    first_seen = {f.fingerprint: f.first_seen for f in before if f.code == "exit.axfr_open"}
    assert len(first_seen) == 2  # one per nameserver that hands out the zone
    assert run("domain", "edit", "openxfr.test", "--dns-providers", "Alpha DNS").code == 0
    assert run("probe", "openxfr.test", "--no-registration").code == 0
    runs, _, findings = stored(lab_env)
    drift = [f for f in findings if f.code == "inventory.drift"]
    assert len(drift) == 1 and drift[0].status == "resolved" and drift[0].resolved_at
    axfr = [f for f in findings if f.code == "exit.axfr_open"]
    assert {f.fingerprint for f in axfr} == set(first_seen)
    for f in axfr:
        assert f.status == "open"
        assert f.first_seen == first_seen[f.fingerprint] and f.last_seen > f.first_seen
    assert len(runs) == 2


def test_incomplete_probe_exits_5_and_is_stored_incomplete(run: Run,  # noqa: F811
                                                           lab_env: str) -> None:
    seed(run)
    assert run("domain", "add", "dead.test", "--client", "Acme").code == 0
    result = run("probe", "dead.test", "good.test", "--no-registration")
    assert result.code == 5
    assert "dead.test" in result.err
    runs, observations, findings = stored(lab_env)
    assert runs[0].status == "incomplete" and runs[0].incomplete_count == 1
    by_complete = {o.data["domain"]: o.complete for o in observations}
    assert by_complete == {"dead.test": False, "good.test": True}
    incomplete = [f for f in findings if f.code == "probe.incomplete"]
    assert incomplete and all(f.evidence.get("part") for f in incomplete)


def test_no_store_needs_no_database(run: Run, lab_env: str,  # noqa: F811
                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VENDORRISK_DB", "postgresql://nobody@127.0.0.1:1/none")
    result = run("probe", "--no-store", "--no-registration", "--json", "beta.test")
    assert result.code == 0, result.err
    obj: dict[str, Any] = json.loads(result.out)
    assert obj["domain"] == "beta.test"
    assert {f["code"] for f in obj["findings"]} == {"exit.single_provider",
                                                    "dns.single_network"}


def test_malformed_names_are_rejected_up_front(run: Run, lab_env: str) -> None:  # noqa: F811
    result = run("probe", "--no-store", "good.test", "bad_name.test")
    assert result.code == 2 and "underscore" in result.err and result.out == ""


def test_both_halves_in_one_run(run: Run, lab_env: str, registration_lab: Any,  # noqa: F811
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS from the BIND lab and WHOIS from the registration lab, in one stored run."""
    from tests.lab.registration.cases import verisign_text
    from tests.lab.registration.servers import Reply

    def text(value: str) -> Reply:
        return Reply(body=value.replace("\n", "\r\n").encode())

    registry = registration_lab.whois.replies
    registry["good.test"] = text(verisign_text("good.test", None))
    registry["openxfr.test"] = text(verisign_text("openxfr.test", None, status=["ok"]))
    monkeypatch.setenv("VENDORRISK_PROBE_WHOIS_SERVER", registration_lab.whois.address)
    monkeypatch.setenv("VENDORRISK_PROBE_RDAP_BOOTSTRAP", str(registration_lab.bootstrap))
    monkeypatch.setenv("VENDORRISK_PROBE_WHOIS_RATE_LIMIT", "100")
    seed(run)
    result = run("probe", "good.test", "openxfr.test", "--json")
    assert result.code == 0, result.err
    by_domain = {o["domain"]: o for o in map(json.loads, result.out.splitlines())}
    good, open_ = by_domain["good.test"], by_domain["openxfr.test"]
    assert good["registration"]["source"] == "whois"
    assert good["registration"]["registrar_locked"] is True
    assert open_["registration"]["registrar_locked"] is False
    open_codes = {f["code"] for f in open_["findings"]}
    assert {"lock.transfer_unlocked", "exit.axfr_open"} <= open_codes
    assert "lock.transfer_unlocked" not in {f["code"] for f in good["findings"]}
    _, observations, findings = stored(lab_env)
    assert {o.data["registration"]["source"] for o in observations} == {"whois"}
    assert any(f.code == "lock.transfer_unlocked" for f in findings)


def test_a_run_that_cannot_start_is_marked_failed(run: Run, lab_env: str,  # noqa: F811
                                                  tmp_path: Path) -> None:
    seed(run)
    bad_anchor = tmp_path / "anchor.zone"
    bad_anchor.write_text("this is not a zone file\n")
    result = run("probe", "good.test", "--no-registration", "--trust-anchor", str(bad_anchor))
    assert result.code == 2 and str(bad_anchor) in result.err
    runs, observations, _ = stored(lab_env)
    assert [r.status for r in runs] == ["failed"] and observations == []


def test_a_real_process_prints_json_on_stdout_and_only_its_own_lines_on_stderr(
        lab_env: str, registration_lab: Any, tmp_path: Path) -> None:
    """The console script in a fresh process, where no test filter hides a library's warning:
    stdout is JSON Lines, stderr holds nothing but the documented line naming what is incomplete."""
    import os
    import subprocess
    import sys

    from tests.lab.registration.cases import verisign_text
    from tests.lab.registration.servers import Reply

    registration_lab.whois.replies["good.test"] = Reply(
        body=verisign_text("good.test", None).replace("\n", "\r\n").encode())
    env = dict(os.environ, VENDORRISK_PROBE_WHOIS_SERVER=registration_lab.whois.address,
               VENDORRISK_PROBE_RDAP_BOOTSTRAP=str(registration_lab.bootstrap),
               VENDORRISK_PROBE_WHOIS_RATE_LIMIT="100")
    env.pop("PYTHONWARNINGS", None)
    script = str(Path(sys.executable).with_name("vendorrisk"))

    def probe(*names: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([script, "probe", "--no-store", "--json", *names], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)

    complete = probe("good.test")
    assert complete.returncode == 0 and complete.stderr == ""
    (line,) = complete.stdout.splitlines()
    assert json.loads(line)["registration"]["source"] == "whois"

    partial = probe("good.test", "dead.test")
    assert partial.returncode == 5
    assert sorted(json.loads(x)["complete"] for x in partial.stdout.splitlines()) == [False, True]
    assert partial.stderr.splitlines() == ["incomplete: dead.test"]
