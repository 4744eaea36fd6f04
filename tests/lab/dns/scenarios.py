"""The standard DNS lab: root, TLDs ``test`` (signed) and ``net``, three providers with two
servers each, and one client zone per behaviour the probe must tell apart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.lab.dns.bindlab import BindLab, Sign, Zone

A = ["ns1.alphadns.net", "ns2.alphadns.net"]
B = ["ns1.betadns.net", "ns2.betadns.net"]
G = ["a.gammadns.net", "b.gammadns.net"]
VA, VB, VG = ["alpha1", "alpha2"], ["beta1", "beta2"], ["gamma1", "gamma2"]
IDN = "xn--bcher-kva.test"  # bücher.test
BIG_TXT = "".join(f'big TXT "{i:02d}{"x" * 100}"\n' for i in range(20))  # > 1232 octets

LAB_CATALOG = """\
version: 1
providers:
  alpha:
    name: Alpha DNS
    kind: dns_provider
    ns_patterns: ["*.alphadns.net"]
    outbound_transfer: {value: false, source: lab}
    zone_export: {value: [api], source: lab}
  beta:
    name: Beta DNS
    kind: dns_provider
    ns_patterns: ["*.betadns.net"]
    outbound_transfer: {value: true, source: lab}
    zone_export: {value: [zone_file, axfr], source: lab}
  gamma:
    name: Gamma DNS
    kind: dns_provider
    ns_patterns: ["*.gammadns.net"]
    outbound_transfer: null
"""


def standard_lab(workdir: Path, prefix: str = "127.53") -> BindLab:
    lab = BindLab(workdir, prefix)
    p = prefix
    for name, addr in {"root": f"{p}.0.1", "tld1": f"{p}.0.10", "tld2": f"{p}.0.11",
                       "tldnet": f"{p}.0.20", "alpha1": f"{p}.1.1", "alpha2": f"{p}.1.2",
                       "beta1": f"{p}.2.1", "beta2": f"{p}.2.2", "gamma1": f"{p}.3.1",
                       "gamma2": f"{p}.3.2"}.items():
        lab.view(name, addr)
    for host, view in {"a.rootlab": "root", "ns1.nic.test": "tld1", "ns2.nic.test": "tld2",
                       "a.nic.net": "tldnet", A[0]: "alpha1", A[1]: "alpha2",
                       B[0]: "beta1", B[1]: "beta2", G[0]: "gamma1", G[1]: "gamma2"}.items():
        lab.host(host, lab.views[view])
    lab.host("ns1.deaddns.net", f"{p}.9.9")  # nothing listens there
    lab.host("ns.glue.test", lab.views["beta1"])  # what glue.test says; its glue says alpha2
    lab.host("ns.private.test", "10.255.0.53")  # a hostile zone's internal address: never sent to
    lab.zone(Zone(".", ["a.rootlab"], ["root"], sign=Sign()))
    lab.zone(Zone("test", ["ns1.nic.test", "ns2.nic.test"], ["tld1", "tld2"], sign=Sign()))
    lab.zone(Zone("net", ["a.nic.net"], ["tldnet"]))
    for zname, ns, views in (("alphadns.net", A, VA), ("betadns.net", B, VB),
                             ("gammadns.net", G, VG)):
        lab.zone(Zone(zname, ns, views))
    www = "www A 192.0.2.80\n"
    zones = [
        Zone("good.test", A + B, VA + VB, sign=Sign(nsec3=(0, "-")), records=www),
        Zone("beta.test", B, VB, sign=Sign(), records=www + BIG_TXT),
        Zone("single.test", A, VA, records=www),
        Zone("expired.test", A, VA, sign=Sign(inception=timedelta(days=-30),
                                              expiration=timedelta(days=-1))),
        Zone("expiring.test", A, VA, sign=Sign(expiration=timedelta(days=3))),
        Zone("dsmismatch.test", A, VA, sign=Sign(wrong_ds=True)),
        Zone("bogus.test", A, VA, sign=Sign(corrupt_soa_sig=True)),
        Zone("rsasha1.test", A, VA, sign=Sign(algorithm="RSASHA1", bits=1024)),
        Zone("sha1ds.test", A, VA, sign=Sign(ds_digest="SHA1")),
        Zone("nsec3.test", A, VA, sign=Sign(nsec3=(10, "abcd"))),
        Zone("nsec3mixed.test", A, VA, sign=Sign(nsec3=(0, "-")), view_nsec3={"alpha2": None}),
        Zone("openxfr.test", A, VA, options="allow-transfer { any; };", records=www),
        Zone("openupd.test", A, VA, options="allow-update { any; };", records=www),
        Zone("tsigupd.test", A, VA, options='update-policy { grant labkey zonesub ANY; };',
             records=www),
        Zone("lame.test", [A[0], B[0]], ["alpha1"]),
        Zone("drift.test", A, VA, view_serial={"alpha2": 2}),
        Zone("mismatch.test", [*A, G[0]], [*VA, "gamma1"], parent_ns=A),
        Zone(IDN, A + G, VA + VG, sign=Sign(), records=www),
        Zone("dead.test", [A[0], "ns1.deaddns.net"], ["alpha1"]),
        Zone("private.test", [A[0], "ns.private.test"], ["alpha1"], records=www),
        Zone("lonely.test", [A[0]], ["alpha1"], records=www),
        Zone("glue.test", [A[0], "ns.glue.test"], ["alpha1", "alpha2", "beta1"], records=www,
             glue={"ns.glue.test": lab.views["alpha2"]}),
    ]
    for z in zones:
        lab.zone(z)
    return lab


LAB_DOMAINS = ["good.test", "beta.test", "single.test", "expired.test", "expiring.test",
               "dsmismatch.test", "bogus.test", "rsasha1.test", "sha1ds.test", "nsec3.test",
               "nsec3mixed.test",
               "openxfr.test", "openupd.test", "tsigupd.test", "lame.test", "drift.test",
               "mismatch.test", IDN, "dead.test", "private.test", "lonely.test", "glue.test", "missing.test"]
