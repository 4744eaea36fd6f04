"""Import 10,000 domains (CSV, through the import service), then export the procurement
workbook for 10,000 domains, 300 vendors, 500 contracts and their findings.

Targets: import < 20 s; export < 10 s with peak memory < 500 MB. Each step runs in its own
process so its peak RSS is its own.

    .venv/bin/python benchmarks/export.py [--domains N] [--vendors N] [--contracts N]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from vendorrisk.config import Settings
from vendorrisk.probes.dns.types import (
    DnsObservation,
    DnssecObservation,
    NameserverObservation,
    ServerAnswer,
)
from vendorrisk.probes.observation import DomainObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.services.app import open_services

KINDS = ("dns_provider", "registrar")


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def prepare(tmp: Path, args: argparse.Namespace) -> dict[str, Path]:
    rnd = random.Random(7)
    clients = [[f"Client {i:03d}", "gdpr,dora" if i % 3 == 0 else "gdpr", "EU"]
               for i in range(args.clients)]
    vendors = [[f"Vendor {i:03d}", KINDS[i % 2], f"=HYPERLINK(\"x\") Vendor {i} Ltd", "DE",
                "EU,US", 1 + i % 3] for i in range(args.vendors)]
    domains = []
    for i in range(args.domains):
        registrar = f"Vendor {rnd.randrange(0, args.vendors, 2):03d}"
        dns = f"Vendor {rnd.randrange(1, args.vendors, 2):03d}"
        domains.append([f"d{i:05d}.example", clients[i % args.clients][0], registrar, dns,
                        "high" if i % 10 == 0 else "normal"])
    contracts = [[f"Vendor {i % args.vendors:03d}", f"REF-{i:04d}", clients[i % args.clients][0],
                  "standalone", (date(2024, 1, 1) + timedelta(days=i)).isoformat(),
                  (date(2026, 1, 1) + timedelta(days=i)).isoformat(), "yes", 12, 90,
                  "12000.50", "EUR"] for i in range(args.contracts)]
    return {
        "clients": _csv(tmp / "clients.csv", ["name", "regimes", "residency"], clients),
        "vendors": _csv(tmp / "vendors.csv", ["Name", "Kind", "Legal name", "HQ country",
                                              "Data locations", "Tier"], vendors),
        "domains": _csv(tmp / "domains.csv", ["Domain", "Client", "Registrar", "DNS providers",
                                              "Criticality"], domains),
        "contracts": _csv(tmp / "contracts.csv", ["Vendor", "Reference", "Client", "Type",
                                                  "Start", "End", "Auto renew",
                                                  "Renewal term months", "Notice days",
                                                  "Annual value", "Currency"], contracts),
    }


def _observation(name: str, now: datetime) -> DomainObservation:
    """One domain's observation as a probe stores it (two nameservers, unsigned)."""
    servers = tuple(NameserverObservation(
        host, (addr,), "example-dns", (), True, True,
        (ServerAnswer(addr, True, "NOERROR", 2026010101, ("ns1.example.net", "ns2.example.net"),
                      "denied", "not_tested"),))
        for host, addr in (("ns1.example.net", "192.0.2.1"), ("ns2.example.net", "192.0.2.2")))
    names = tuple(ns.name for ns in servers)
    return DomainObservation(
        name, now,
        RegistrationObservation(name, source="rdap", registrar="Example Registrar",
                                registrar_iana_id=9999, expires=datetime(2027, 1, 1, tzinfo=UTC),
                                epp_status=("clientTransferProhibited",), registrar_locked=True,
                                registry_locked=False, registrant_redacted=True,
                                pii_fields_exposed=(), fetched_at=now),
        DnsObservation(name, now, "example", names, names, servers, ("example-dns",),
                       DnssecObservation("insecure", reasons=(f"no DS for {name} at example",))))


def add_findings_and_scores(db_url: str) -> int:
    """Two findings, one observation and one score snapshot per domain, written directly."""
    from sqlalchemy import insert, select

    from vendorrisk.store.models import Domain, FindingRow, ObservationRow, ProbeRun, ScoreSnapshot

    svc = open_services(Settings(db=db_url, user="bench"))
    now = datetime.now(UTC)
    with svc.db.session() as session:
        run = ProbeRun(started_at=now, finished_at=now, status="complete", domain_count=0)
        session.add(run)
        session.flush()
        domains = session.execute(select(Domain.id, Domain.client_id, Domain.name)).all()
        findings, observations, snaps = [], [], []
        for did, cid, name in domains:
            for code, sev in (("dnssec.unsigned", "medium"), ("lock.transfer_unlocked", "high")):
                findings.append({"fingerprint": f"{did}:{code}", "code": code, "severity": sev,
                                 "title": f"=cmd|' /C calc'!A0 {code}", "evidence": {"n": did},
                                 "subject_kind": "domain", "domain_id": did, "client_id": cid,
                                 "first_seen": now, "last_seen": now, "status": "open"})
            observations.append({"run_id": run.id, "domain_id": did, "probed_at": now,
                                 "complete": True, "reasons": [],
                                 "data": _observation(name, now).to_json()})
            snaps.append({"subject_kind": "domain", "subject_id": did, "subject_name": name,
                          "lockin": 40.0, "compliance": 55.0, "lockin_band": "medium",
                          "compliance_band": "high", "lockin_coverage": 0.9,
                          "compliance_coverage": 0.8, "computed_at": now,
                          "factors": [{"id": "exit.single_provider", "title": "One provider",
                                       "points": 10, "weight": 1.0, "source": "probe",
                                       "evidence": {}, "remedy": "add a secondary"}]})
        session.execute(insert(FindingRow), findings)
        session.execute(insert(ObservationRow), observations)
        session.execute(insert(ScoreSnapshot), snaps)
    svc.close()
    return len(findings)


def child(step: str, db_url: str, target: str) -> None:
    """Run one measured step in this process and print 'seconds peak_mb'."""
    svc = open_services(Settings(db=db_url, user="bench"))
    start = time.perf_counter()
    if step == "import":
        from vendorrisk.services.imports import ImportService

        importer = ImportService(svc.db, svc.inventory, "bench")
        for name in ("clients", "vendors", "domains", "contracts"):
            if name == "domains":
                start = time.perf_counter()
            report = importer.run(Path(target) / f"{name}.csv")
            assert report.committed and not report.errors, report.errors[:3]
            if name == "domains":
                break
    else:
        from vendorrisk.services.exports import ExportService

        ExportService(svc.db, svc.settings).workbook(Path(target))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.2f} {peak_mb:.0f}")
    svc.close()


def _import_rest(db_url: str, tmp: Path) -> None:
    from vendorrisk.services.imports import ImportService

    svc = open_services(Settings(db=db_url, user="bench"))
    ImportService(svc.db, svc.inventory, "bench").run(tmp / "contracts.csv")
    svc.close()


def measure(step: str, db_url: str, target: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, __file__, "--child", step, db_url, str(target)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domains", type=int, default=10_000)
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--child", nargs=3, metavar=("STEP", "DB", "TARGET"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    tmp = Path(tempfile.mkdtemp(prefix="vendorrisk-export-bench-"))
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    prepare(tmp, args)
    open_services(Settings(db=db_url, user="bench")).close()  # migrate outside the timing
    import_s, import_mb = measure("import", db_url, tmp)  # times domains.csv only
    _import_rest(db_url, tmp)
    findings = add_findings_and_scores(db_url)
    out = tmp / "export.xlsx"
    export_s, export_mb = measure("export", db_url, out)
    print(f"import: {args.domains:,} domains (domains.csv, after {args.clients} clients and "
          f"{args.vendors} vendors) in {import_s:.2f} s, peak {import_mb:.0f} MB (target < 20 s)")
    print(f"export: {args.domains:,} domains, {args.vendors} vendors, {args.contracts} contracts, "
          f"{findings:,} findings in {export_s:.2f} s, peak {export_mb:.0f} MB, "
          f"{out.stat().st_size / 1e6:.1f} MB file (targets < 10 s, < 500 MB)")
    ok = import_s < 20 and export_s < 10 and export_mb < 500
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
