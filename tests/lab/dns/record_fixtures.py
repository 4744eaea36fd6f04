"""Record wire-format responses from the standard lab into tests/fixtures/dns/.

    .venv/bin/python tests/lab/dns/record_fixtures.py   (as root; uses 127.55.0.0/16)

Writes ``<case>/<what>.bin`` (``Message.to_wire()``) and ``meta.json`` (recording time and
the lab trust anchor), so unit tests replay one consistent snapshot with ``now`` fixed.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import dns.message
import dns.query

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.lab.dns.scenarios import standard_lab
from vendorrisk.probes.dns.transfer import make_ixfr
from vendorrisk.probes.dns.transport import make_query
from vendorrisk.probes.dns.update import make_probe_update

OUT = Path(__file__).resolve().parents[2] / "fixtures" / "dns"
SIGNED = ["good.test", "expired.test", "bogus.test", "dsmismatch.test", "rsasha1.test",
          "sha1ds.test", "nsec3.test", "single.test"]


def _save(path: Path, msg: dns.message.Message) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.to_wire())


def _ask(addr: str, qname: str, rdtype: str, tcp: bool = False) -> dns.message.Message:
    q = make_query(qname, rdtype, dnssec=True)
    return dns.query.tcp(q, addr, timeout=2) if tcp else dns.query.udp(q, addr, timeout=2)


def record(out: Path = OUT) -> None:
    work = Path(tempfile.mkdtemp(prefix="vr-record-"))
    lab = standard_lab(work, "127.55")
    lab.build()
    lab.start()
    try:
        root, tld, alpha, beta = (lab.views[v] for v in ("root", "tld1", "alpha1", "beta1"))
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        (out / "__init__.py").touch()
        _save(out / "chain" / "root_dnskey.bin", _ask(root, ".", "DNSKEY"))
        _save(out / "chain" / "test_ds.bin", _ask(root, "test", "DS"))
        _save(out / "chain" / "test_dnskey.bin", _ask(tld, "test", "DNSKEY"))
        for zone in SIGNED:
            case = out / zone.split(".")[0]
            _save(case / "ns.bin", _ask(tld, zone, "NS"))
            _save(case / "ds.bin", _ask(tld, zone, "DS"))
            for what in ("SOA", "DNSKEY", "NSEC3PARAM"):
                _save(case / f"{what.lower()}.bin", _ask(alpha, zone, what))
        exp = out / "exposure"
        _save(exp / "ixfr_open.bin", dns.query.tcp(make_ixfr("openxfr.test", 1), alpha, 2))
        _save(exp / "ixfr_refused.bin", dns.query.tcp(make_ixfr("good.test", 1), alpha, 2))
        _save(exp / "update_open.bin",
              dns.query.tcp(make_probe_update("openupd.test", "rec"), alpha, 2))
        _save(exp / "update_tsig_only.bin",
              dns.query.tcp(make_probe_update("tsigupd.test", "rec"), alpha, 2))
        _save(exp / "soa_lame.bin", _ask(beta, "lame.test", "SOA"))
        _save(exp / "referral_missing.bin", _ask(tld, "missing.test", "NS"))
        _save(exp / "resolver_soa_test.bin",
              dns.query.udp(make_query("test", "SOA", recursion=True), lab.resolver, 2))
        meta = {"now": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "anchor": lab.trust_anchor.read_text()}
        (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    finally:
        lab.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    record()
    print(f"recorded into {OUT}")
