"""Output files: client-and-date names, --force to overwrite, and never half a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import ROOT, Run, kill_on_signal
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo

CLIENT = "Baltic Pay UAB"


@pytest.fixture
def exports(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run: Run) -> Path:
    """A demo database and an exports folder set in the CLI's config file."""
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    svc = open_services(Settings(db=db_url, user="setup"))
    load_demo(svc, today=date.today())
    svc.close()
    folder = tmp_path / "exports"
    (tmp_path / "empty-config.toml").write_text(f"exports_dir = {str(folder)!r}\n")
    return folder


def test_per_client_and_all_clients_names(run: Run, exports: Path) -> None:
    today = date.today().isoformat()
    assert run("export").code == 0
    assert run("export", "--client", CLIENT).code == 0
    assert run("export", "--dora-register", "--draft", "--client", CLIENT).code == 0
    assert sorted(p.name for p in exports.iterdir()) == [
        f"dora-register-baltic-pay-uab-{today}",
        f"vendorrisk-all-{today}.xlsx",
        f"vendorrisk-baltic-pay-uab-{today}.xlsx",
    ]


def test_workbook_is_not_overwritten_without_force(run: Run, exports: Path) -> None:
    first = run("export", "--client", CLIENT)
    target = Path(first.out.strip())
    before = target.stat().st_mtime_ns
    again = run("export", "--client", CLIENT)
    assert again.code == 2
    assert again.err.strip() == (f"vendorrisk: {target} already exists (pass --force to "
                                 "overwrite it, or choose another --out)")
    assert target.stat().st_mtime_ns == before
    assert run("export", "--client", CLIENT, "--force").code == 0
    assert [p.name for p in exports.iterdir()] == [target.name]  # no temporary left


def test_register_and_pack_need_force_too(run: Run, exports: Path, tmp_path: Path) -> None:
    assert run("export", "--dora-register", "--draft", "--client", CLIENT).code == 0
    refused = run("export", "--dora-register", "--draft", "--client", CLIENT)
    assert refused.code == 2 and "--force" in refused.err and "dora-register-" in refused.err
    assert run("export", "--dora-register", "--draft", "--client", CLIENT, "--force").code == 0
    month = f"{date.today():%Y-%m}"
    pack = ["evidence", "--client", CLIENT, "--month", month]
    made = run(*pack)
    assert made.code == 0, made.err
    assert Path(made.out.split()[0]).name == f"evidence-baltic-pay-uab-{month}"
    refused = run(*pack)
    assert refused.code == 2 and "already exists" in refused.err and "--force" in refused.err
    assert run(*pack, "--force").code == 0
    assert run("evidence", "verify", made.out.split()[0]).code == 0
    assert not [p for p in exports.iterdir() if p.name.startswith(".")]


SLOW_SAVE = """
import sys, time
from pathlib import Path
import openpyxl

def slow_save(self, out):
    out.write(b"PK half a workbook")
    out.flush()
    Path(sys.argv[1]).write_text(out.name)  # tell the test the write has begun
    time.sleep(60)

openpyxl.Workbook.save = slow_save
from vendorrisk.cli import main
main(["export", "--out", sys.argv[2]])
"""


def test_an_export_killed_mid_write_leaves_no_file(exports: Path, tmp_path: Path) -> None:
    started, target = tmp_path / "started", exports / "book.xlsx"
    child = subprocess.Popen([sys.executable, "-c", SLOW_SAVE, str(started), str(target)],
                             cwd=ROOT, env=os.environ.copy())
    assert kill_on_signal(child, started, timeout=60) == -signal.SIGKILL
    assert started.exists(), "the export never reached the save"
    temporary = Path(started.read_text())
    assert temporary.parent == exports and temporary.name != target.name
    assert not target.exists()
    assert temporary.name.startswith(".book.xlsx.vrstage-")  # the half file had a hidden name


def test_template_and_questionnaire_are_kept_without_force(run: Run, exports: Path,
                                                           tmp_path: Path) -> None:
    template, sent = tmp_path / "template.xlsx", tmp_path / "cloudflare.xlsx"
    send = ("questionnaire", "send", "Cloudflare", "--template", "dns-provider", "--out", str(sent))
    for command in (("import", "--template", str(template)), send):
        assert run(*command).code == 0
        target = template if command[0] == "import" else sent
        before = target.read_bytes()
        refused = run(*command)
        assert refused.code == 2 and "already exists" in refused.err and "--force" in refused.err
        assert target.read_bytes() == before
        assert run(*command, "--force").code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == [
        "cloudflare.xlsx", "template.xlsx"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_clients_whose_names_slug_alike_get_their_own_files(run: Run, exports: Path) -> None:
    today = date.today()
    for name in ("a-b", "a/b", "..", "中" * 200):
        assert run("client", "add", name).code == 0, name
    for name in ("a-b", "a/b", "..", "中" * 200):
        made = run("export", "--client", name)
        assert made.code == 0, made.err
        month = f"{today:%Y-%m}"
        assert run("evidence", "--client", name, "--month", month).code == 0
    books = sorted(p.name for p in exports.glob("vendorrisk-*.xlsx"))
    assert len(books) == 4 and f"vendorrisk-a-b-{today}.xlsx" in books  # the first keeps its name
    assert all(len(b.encode()) < 100 and "/" not in b and ".." not in b for b in books)
    assert len(list(exports.glob("evidence-*.zip"))) == 4
