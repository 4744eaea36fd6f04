"""A throwaway PostgreSQL cluster on loopback for the test session (like the BIND lab).

``VENDORRISK_TEST_PG`` may name an existing server instead (a URL of a database whose user
may CREATE DATABASE). Otherwise ``initdb`` + ``pg_ctl`` from the OS packages start one in a
temporary folder on 127.0.0.1 (as the ``postgres`` OS user when run as root).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class LabUnavailable(RuntimeError):
    pass


@dataclass
class PostgresLab:
    host: str
    port: int
    user: str
    datadir: Path | None = None
    _bin: Path | None = None
    _owner: str | None = None

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def stop(self) -> None:
        if self.datadir is None or self._bin is None:
            return
        _run([str(self._bin / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
             self._owner, check=False)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _find_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(found)
    if not candidates:
        raise LabUnavailable("PostgreSQL server binaries (initdb) not found: install the "
                             "'postgresql' OS package")
    return Path(candidates[0]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], owner: str | None, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    if owner:
        cmd = ["runuser", "-u", owner, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=60)


def start() -> PostgresLab:
    bindir = _find_bin()
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise LabUnavailable("running as root but no 'postgres' OS user to run initdb") from exc
        owner = "postgres"
    base = Path(tempfile.mkdtemp(prefix="vendorrisk-pg-"))
    datadir = base / "data"
    if owner:
        shutil.chown(base, user=owner)
    port = _free_port()
    try:
        _run([str(bindir / "initdb"), "-D", str(datadir), "-U", "vendorrisk", "--auth=trust",
              "-E", "UTF8", "--no-sync"], owner)
        _run([str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(base / "log"), "-w",
              "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off "
              "-c synchronous_commit=off -c full_page_writes=off", "start"], owner)
    except subprocess.CalledProcessError as exc:
        log = (base / "log").read_text() if (base / "log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise LabUnavailable(f"could not start PostgreSQL: {exc.stderr.strip()} {log}") from exc
    return PostgresLab("127.0.0.1", port, "vendorrisk", datadir, bindir, owner)
