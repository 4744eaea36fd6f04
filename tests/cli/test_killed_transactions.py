"""A killed ``import`` or ``demo`` changes nothing (issue #15): each is one transaction, so a
``kill -9`` in the middle of its writes leaves the database as it was and the audit chain
whole. The writer runs in a subprocess that signals once its rows are flushed to the
database, then waits to be killed."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from tests.cli.conftest import ROOT, Run, kill_on_signal
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.store.models import AuditEvent, Base

HOLD = """
import sys, time
from pathlib import Path

started, target, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

def hold(session):
    session.flush()  # the rows are in the database's transaction, not committed
    started.write_text("flushed")
    time.sleep(120)

module, _, name = target.rpartition(".")
owner, _, method = module.rpartition(".")
cls = getattr(__import__(owner, fromlist=[method]), method)
original = getattr(cls, name)

def held(self, session, *args, **kwargs):
    result = original(self, session, *args, **kwargs)
    hold(session)
    return result

setattr(cls, name, held)
from vendorrisk.cli import main
main(argv)
"""


def _state(url: str) -> dict[str, Any]:
    """Row count of every table and the newest audit event: what "unchanged" means."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                      for t in Base.metadata.sorted_tables}
            head = conn.execute(select(AuditEvent.seq, AuditEvent.hash)
                                .order_by(AuditEvent.seq.desc()).limit(1)).first()
    finally:
        engine.dispose()
    return {"counts": counts, "head": tuple(head) if head else None}


def _kill_while_held(target: str, argv: list[str], tmp_path: Path) -> None:
    started, errors = tmp_path / "started", tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        child = subprocess.Popen([sys.executable, "-c", HOLD, str(started), target, *argv],
                                 cwd=ROOT, env=os.environ.copy(),
                                 stdout=subprocess.DEVNULL, stderr=stderr)
        code = kill_on_signal(child, started)
    assert started.exists(), f"never reached the held write: {errors.read_text()[-500:]}"
    assert code == -signal.SIGKILL


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, run: Run) -> str:
    """A database with one client (so "unchanged" is not merely "empty") for the CLI."""
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    services = open_services(Settings(db=db_url, user="setup"))
    services.inventory.create("client", {"name": "Existing Client"})
    services.close()
    return db_url


def test_a_killed_demo_leaves_the_database_as_it_was(database: str, run: Run,
                                                     tmp_path: Path) -> None:
    before = _state(database)
    _kill_while_held("vendorrisk.services.scoring.ScoringService.recompute_in", ["demo"],
                     tmp_path)
    assert _state(database) == before
    assert run("audit", "verify").code == 0
    assert run("demo").code == 0  # and a demo run afterwards loads all of it
    assert _state(database)["counts"]["client"] > before["counts"]["client"]


def test_a_killed_import_leaves_the_database_as_it_was(database: str, run: Run,
                                                       tmp_path: Path) -> None:
    big = tmp_path / "domains.csv"
    with big.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "client", "criticality"])
        writer.writerows([f"d{n}.example", "Existing Client", "normal"] for n in range(3000))
    before = _state(database)
    _kill_while_held("vendorrisk.services.imports.ImportService._apply",
                     ["import", str(big)], tmp_path)
    assert _state(database) == before
    verified = run("audit", "verify")
    assert verified.code == 0, verified.err
    assert run("import", str(big)).code == 0
    assert _state(database)["counts"]["domain"] == before["counts"]["domain"] + 3000
