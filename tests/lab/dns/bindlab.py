"""A BIND 9 lab on loopback: one authoritative ``named`` whose views (one per address) play
root, TLD and provider servers, plus one recursive ``named`` with the lab root as hint.

named binds only addresses assigned to an interface, so the lab adds its 127.x/32
addresses to ``lo`` (needs root / CAP_NET_ADMIN) and removes them on stop. Zones are
generated and signed (dnssec-keygen, dnssec-signzone) when the lab is built.
"""

from __future__ import annotations

import base64
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dns.dnssec
import dns.message
import dns.name
import dns.query
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone
from cryptography.hazmat.primitives.asymmetric import ec

NAMED = "/usr/sbin/named"
TSIG_NAME = "labkey"
TSIG_SECRET = base64.b64encode(b"vendorrisk-lab-tsig-secret-32byt").decode()


class LabError(RuntimeError):
    """The lab could not be built or started (message includes named's log)."""


@dataclass
class Sign:
    """How to sign a zone. Times are offsets from now."""

    algorithm: str = "ECDSAP256SHA256"
    bits: int | None = None
    ds_digest: str = "SHA256"
    inception: timedelta = timedelta(hours=-1)
    expiration: timedelta = timedelta(days=30)
    nsec3: tuple[int, str] | None = None  # (iterations, salt or "-")
    wrong_ds: bool = False
    corrupt_soa_sig: bool = False
    tool: str = "dnssec-signzone"
    """``dnspython`` signs in-process with one shared ECDSA key (fast, for the benchmark)."""


@dataclass
class Zone:
    name: str
    ns: list[str]
    views: list[str]
    parent_ns: list[str] | None = None
    records: str = ""
    sign: Sign | None = None
    options: str = ""
    serial: int = 1
    view_serial: dict[str, int] = field(default_factory=dict)
    view_nsec3: dict[str, tuple[int, str] | None] = field(default_factory=dict)
    """Views that serve the zone signed with other NSEC3 parameters (None = NSEC), same key."""
    ds: list[str] = field(default_factory=list)
    glue: dict[str, str] = field(default_factory=dict)
    """Glue the parent serves instead of the host's own address (a stale copy)."""


class BindLab:
    """Describe servers, hosts and zones, then :meth:`build` and :meth:`start`."""

    def __init__(self, workdir: Path, prefix: str = "127.53") -> None:
        self.dir = workdir
        self.prefix = prefix
        self.resolver = f"{prefix}.0.2"
        self.views: dict[str, str] = {}
        self.hosts: dict[str, str] = {}
        self.zones: dict[str, Zone] = {}
        self.procs: list[subprocess.Popen[bytes]] = []
        self.added: list[str] = []
        self.trust_anchor = workdir / "lab-anchor.zone"
        self._zone_keys: dict[str, Path] = {}

    def view(self, name: str, address: str) -> None:
        self.views[name] = address

    def host(self, name: str, address: str) -> None:
        self.hosts[name] = address

    def zone(self, z: Zone) -> Zone:
        self.zones[z.name] = z
        return z

    # ---- building -------------------------------------------------------------------
    def _parent(self, name: str) -> str | None:
        if name == ".":
            return None
        labels = name.split(".")
        for i in range(1, len(labels) + 1):  # closest enclosing zone
            cand = ".".join(labels[i:]) or "."
            if cand in self.zones:
                return cand
        return None

    def _zone_of_host(self, host: str) -> str | None:
        labels = host.split(".")
        for i in range(len(labels)):
            if ".".join(labels[i:]) in self.zones:
                return ".".join(labels[i:])
        return "." if "." in self.zones else None

    def _text(self, z: Zone, serial: int) -> str:
        fq = lambda n: n if n.endswith(".") else n + "."  # noqa: E731
        origin = fq(z.name) if z.name != "." else "."
        lines = [f"$ORIGIN {origin}", "$TTL 300",
                 f"@ SOA {fq(z.ns[0])} hostmaster.lab. {serial} 3600 600 86400 300"]
        lines += [f"@ NS {fq(h)}" for h in z.ns]
        for host in self._host_zone.get(z.name, ()):
            lines.append(f"{fq(host)} A {self.hosts[host]}")
        for child in self._children.get(z.name, ()):
            for h in child.parent_ns or child.ns:
                lines.append(f"{fq(child.name)} NS {fq(h)}")
                under = h == child.name or h.endswith("." + child.name)
                if under and h in self.hosts:
                    lines.append(f"{fq(h)} A {child.glue.get(h, self.hosts[h])}")
            lines += [f"{fq(child.name)} {ds}" for ds in child.ds]
        lines.append(z.records)
        return "\n".join(lines) + "\n"

    def _run(self, *cmd: str) -> str:
        p = subprocess.run(cmd, cwd=self.dir, capture_output=True, text=True, check=False)
        if p.returncode:
            raise LabError(f"{' '.join(cmd)} failed: {p.stderr.strip()}")
        return p.stdout.strip()

    def _keygen(self, zone: str, s: Sign) -> Path:
        args = ["dnssec-keygen", "-q", "-K", "keys", "-a", s.algorithm, "-f", "KSK"]
        if s.bits:
            args += ["-b", str(s.bits)]
        base = self._run(*args, zone)
        return self.dir / "keys" / base

    def _ds_lines(self, zone: str, keyfile: Path, digest: str) -> list[str]:
        text = keyfile.with_suffix(keyfile.suffix + ".key").read_text()
        rdtext = next(ln for ln in text.splitlines() if ln and not ln.startswith(";"))
        rd = dns.rdata.from_text("IN", "DNSKEY", rdtext.split("DNSKEY", 1)[1])
        ds = dns.dnssec.make_ds(dns.name.from_text(zone), rd, digest,
                                 policy=dns.dnssec.allow_all_policy)
        return [f"DS {ds.to_text()}"]

    def _sign(self, z: Zone, src: Path) -> Path:
        s = z.sign
        assert s is not None
        if s.tool == "dnspython":
            return self._sign_fast(z, src)
        key = self._zone_keys.get(z.name) or self._keygen(z.name, s)
        self._zone_keys[z.name] = key  # every variant of a zone is signed with one key
        with src.open("a") as fh:
            fh.write(key.with_suffix(key.suffix + ".key").read_text())
        now = datetime.now(UTC)
        stamp = lambda d: (now + d).strftime("%Y%m%d%H%M%S")  # noqa: E731
        out = src.with_suffix(".signed")
        args = ["dnssec-signzone", "-q", "-z", "-P", "-O", "full", "-o", z.name, "-f",
                str(out), "-s", stamp(s.inception), "-e", stamp(s.expiration)]
        if s.nsec3 is not None:
            args += ["-3", s.nsec3[1], "-H", str(s.nsec3[0])]
        self._run(*args, str(src), str(key))
        if s.corrupt_soa_sig:
            _corrupt_soa_sig(out)
        dskey = self._keygen(z.name, s) if s.wrong_ds else key
        z.ds = self._ds_lines(z.name if z.name != "." else ".", dskey, s.ds_digest)
        return out

    def _sign_fast(self, z: Zone, src: Path) -> Path:
        s = z.sign
        assert s is not None
        if getattr(self, "_fast_key", None) is None:
            priv = ec.generate_private_key(ec.SECP256R1())
            pub = dns.dnssec.make_dnskey(priv.public_key(), "ECDSAP256SHA256",
                                         flags=257)
            self._fast_key = (priv, pub)
        priv, pub = self._fast_key
        zone = dns.zone.from_text(src.read_text(), origin=z.name, relativize=False)
        now = datetime.now(UTC)
        dns.dnssec.sign_zone(zone, keys=[(priv, pub)], inception=now + s.inception,
                             expiration=now + s.expiration, dnskey_ttl=300)
        out = src.with_suffix(".signed")
        zone.to_file(str(out), relativize=False)
        ds = dns.dnssec.make_ds(dns.name.from_text(z.name), pub, s.ds_digest,
                                policy=dns.dnssec.allow_all_policy)
        z.ds = [f"DS {ds.to_text()}"]
        return out

    def build(self) -> None:
        """Write zone files (children first so parents get DS), configs and anchor."""
        (self.dir / "keys").mkdir(parents=True, exist_ok=True)
        self._children: dict[str, list[Zone]] = {}
        for z in self.zones.values():
            parent = self._parent(z.name)
            if parent is not None:
                self._children.setdefault(parent, []).append(z)
        self._host_zone: dict[str, list[str]] = {}
        for host in self.hosts:
            self._host_zone.setdefault(self._zone_of_host(host) or ".", []).append(host)
        depth = lambda n: 0 if n == "." else n.count(".") + 1  # noqa: E731
        files: dict[tuple[str, str], Path] = {}
        for z in sorted(self.zones.values(), key=lambda z: -depth(z.name)):
            default = z.sign.nsec3 if z.sign else None
            variants = {v: (z.view_serial.get(v, z.serial), z.view_nsec3.get(v, default))
                        for v in z.views}
            built: dict[tuple[int, tuple[int, str] | None], Path] = {}
            for n, (serial, nsec3) in enumerate(sorted(set(variants.values()), key=str)):
                fname = "root" if z.name == "." else z.name
                src = self.dir / "zones" / f"{fname}.{serial}.{n}.db"
                src.parent.mkdir(exist_ok=True)
                src.write_text(self._text(z, serial))
                signing = replace(z, sign=replace(z.sign, nsec3=nsec3)) if z.sign else z
                built[(serial, nsec3)] = self._sign(signing, src) if z.sign else src
                z.ds = signing.ds or z.ds
            for v, variant in variants.items():
                vdir = self.dir / "views" / v
                vdir.mkdir(parents=True, exist_ok=True)
                dest = vdir / built[variant].name
                shutil.copyfile(built[variant], dest)
                files[(v, z.name)] = dest
        root = self.zones["."]
        self.trust_anchor.write_text("\n".join(f". {d}" for d in root.ds) + "\n")
        self._write_conf(files)

    def _write_conf(self, files: dict[tuple[str, str], Path]) -> None:
        key = f'key "{TSIG_NAME}" {{ algorithm hmac-sha256; secret "{TSIG_SECRET}"; }};'
        head = f"""{key}
options {{ directory "{self.dir}"; pid-file "{self.dir}/auth.pid"; session-keyfile none;
  listen-on port 53 {{ {' '.join(a + ';' for a in self.views.values())} }};
  listen-on-v6 {{ none; }}; recursion no; dnssec-validation no; notify no;
  allow-transfer {{ key {TSIG_NAME}; }}; minimal-responses no; }};
controls {{ }};
logging {{ channel f {{ file "auth.log"; severity info; print-time yes; }};
  category default {{ f; }}; category lame-servers {{ null; }}; }};
"""
        views = []
        for v, addr in self.views.items():
            zones = [f'  zone "{z}" {{ type primary; file "{p}"; {self.zones[z].options} }};'
                     for (vv, z), p in files.items() if vv == v]
            views.append(f'view "{v}" {{ match-clients {{ any; }}; match-destinations '
                         f'{{ {addr}; }};\n' + "\n".join(zones) + "\n};")
        (self.dir / "auth.conf").write_text(head + "\n".join(views) + "\n")
        root_ns = self.zones["."].ns
        hints = [f". 3600000 NS {h}." for h in root_ns]
        hints += [f"{h}. 3600000 A {self.hosts[h]}" for h in root_ns]
        (self.dir / "root.hint").write_text("\n".join(hints) + "\n")
        (self.dir / "resolver.conf").write_text(f"""
options {{ directory "{self.dir}"; pid-file "{self.dir}/resolver.pid";
  session-keyfile none; listen-on port 53 {{ {self.resolver}; }}; listen-on-v6 {{ none; }};
  recursion yes; allow-recursion {{ any; }}; dnssec-validation no; notify no;
  query-source address {self.resolver}; qname-minimization off;
  blackhole {{ 10.0.0.0/8; 172.16.0.0/12; 192.168.0.0/16; 169.254.0.0/16; 100.64.0.0/10; }}; }};
controls {{ }};
logging {{ channel f {{ file "resolver.log"; severity info; print-time yes; }};
  category default {{ f; }}; category lame-servers {{ null; }}; }};
zone "." {{ type hint; file "root.hint"; }};
""")

    # ---- running --------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> None:
        if not Path(NAMED).exists():
            raise LabError(f"{NAMED} not found: install BIND 9 (apt-get install bind9)")
        addrs = sorted(set(self.views.values()) | {self.resolver})
        batch = "".join(f"address add {a}/32 dev lo\n" for a in addrs)
        p = subprocess.run(["ip", "-force", "-batch", "-"], input=batch, text=True,
                           capture_output=True, check=False)
        self.added = addrs
        if p.returncode and "File exists" not in p.stderr:
            raise LabError(f"cannot add lab addresses to lo (needs root): {p.stderr.strip()}")
        for conf in ("auth.conf", "resolver.conf"):
            with (self.dir / f"{conf}.stderr").open("wb") as log:  # named keeps its own copy
                self.procs.append(subprocess.Popen([NAMED, "-4", "-f", "-c", str(self.dir / conf)],
                                                   stdout=log, stderr=subprocess.STDOUT))
        self._wait(timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = dict(self.views)
        pending["resolver"] = self.resolver
        while pending:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise LabError(f"named exited with {proc.returncode}\n{self.logs()}")
            for v, addr in list(pending.items()):
                q = dns.message.make_query(".", "NS")
                try:
                    dns.query.udp(q, addr, timeout=0.2)
                    del pending[v]
                except (dns.exception.Timeout, OSError):
                    pass
            if pending and time.monotonic() > deadline:
                raise LabError(f"named did not answer on {sorted(pending.values())} within "
                               f"{timeout:g}s\n{self.logs()}")
            if pending:
                time.sleep(0.05)

    def logs(self, tail: int = 40) -> str:
        out = []
        for name in ("auth.conf.stderr", "auth.log", "resolver.conf.stderr", "resolver.log"):
            p = self.dir / name
            if p.exists():
                lines = p.read_text(errors="replace").splitlines()[-tail:]
                out.append(f"--- {name}\n" + "\n".join(lines))
        return "\n".join(out)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        if self.added:
            batch = "".join(f"address del {a}/32 dev lo\n" for a in self.added)
            subprocess.run(["ip", "-force", "-batch", "-"], input=batch, text=True,
                           capture_output=True, check=False)
            self.added = []


def _corrupt_soa_sig(path: Path) -> None:
    """Flip one character of the apex SOA RRSIG's signature (keeps it valid base64)."""
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        parts = line.split()
        if "RRSIG" in parts and parts[parts.index("RRSIG") + 1] == "SOA":
            sig = parts[-1]
            flipped = ("B" if sig[0] != "B" else "C") + sig[1:]
            lines[i] = line[: line.rindex(sig)] + flipped
            break
    path.write_text("\n".join(lines) + "\n")
