"""A crash leaves nothing behind (issue #22, item 5).

Each write path (workbook, evidence pack, DORA package, questionnaire, import template) is
killed with SIGKILL at random moments of its write, 30 times: the final path then holds either
the previous complete output or the new complete one, never a partial one, and the next run
leaves no staging file or folder in the output folder. A trial forks a warm process, so the
whole test stays well under two minutes.
"""

from __future__ import annotations

import random
import signal
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import ForkServer, kill_on_signal
from vendorrisk.config import Settings
from vendorrisk.io.evidence_pack import verify_pack
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo

TRIALS = 30
CLIENT = "Baltic Pay UAB"
STAGING = "vendorrisk.io.atomic.staging_path"
"""Children signal when their write begins: the kills land in the write, not in the set-up."""
WARM = ("openpyxl", "vendorrisk.services.app", "vendorrisk.services.exports",
        "vendorrisk.services.evidence", "vendorrisk.services.questionnaires",
        "vendorrisk.services.scoring", "vendorrisk.io.xlsx_export", "vendorrisk.io.dora_package",
        "vendorrisk.io.questionnaire_xlsx", "vendorrisk.io.xlsx_import")


def _zip_complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except (zipfile.BadZipFile, OSError):
        return False


def _pack_complete(folder: Path) -> bool:
    zipped = folder.with_name(folder.name + ".zip")
    return ((not folder.exists() or verify_pack(folder).ok)
            and (not zipped.exists() or verify_pack(zipped).ok))


def _dora_complete(folder: Path) -> bool:
    files = sorted(folder.iterdir()) if folder.exists() else []
    return not files or (len(files) == 3 and all(_zip_complete(p) for p in files
                                                 if p.suffix == ".zip"))


def _file_complete(path: Path) -> bool:
    return not path.exists() or _zip_complete(path)


PATHS: dict[str, tuple[Callable[[Path], list[str]], str, Callable[[Path], bool]]] = {
    "workbook": (lambda out: ["export", "--client", CLIENT, "--out", str(out / "book.xlsx")],
                 "book.xlsx", _file_complete),
    "evidence": (lambda out: ["evidence", "--client", CLIENT, "--month", f"{date.today():%Y-%m}",
                              "--out", str(out / "pack")], "pack", _pack_complete),
    "dora": (lambda out: ["export", "--dora-register", "--draft", "--client", CLIENT,
                          "--out", str(out / "dora")], "dora", _dora_complete),
    "questionnaire": (lambda out: ["questionnaire", "send", "Cloudflare", "--template",
                                   "dns-provider", "--out", str(out / "q.xlsx")],
                      "q.xlsx", _file_complete),
    "template": (lambda out: ["import", "--template", str(out / "template.xlsx")],
                 "template.xlsx", _file_complete),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("crash")
    url = f"sqlite:///{home / 'demo.db'}"
    svc = open_services(Settings(db=url, user="setup"))
    load_demo(svc, today=date.today())
    svc.close()
    config = home / "config.toml"
    config.write_text(f"db = {url!r}\nuser = 'crash-test'\n")
    mp = pytest.MonkeyPatch()
    mp.setenv("VENDORRISK_CONFIG", str(config))
    forks = ForkServer(WARM)
    mp.undo()
    yield forks, home
    forks.close()


def _run(forks: ForkServer, argv: list[str], work: Path, *, kill_after: float | None = None
         ) -> tuple[int, float]:
    """Run one child to its end, or kill it ``kill_after`` seconds into its write; returns its
    exit status and how long its write took (from its first staging name to its exit)."""
    started, log = work / "started", work / "stderr.txt"
    started.unlink(missing_ok=True)
    child = forks.spawn(argv, started, log, signal_on=STAGING)
    if kill_after is None:
        code = child.wait()
        return code, time.time() - started.stat().st_mtime if started.exists() else 0.0
    return kill_on_signal(child, started, delay=kill_after, timeout=60), 0.0


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(PATHS))
def test_killed_writes_leave_no_partial_file_and_no_leftovers(server: Any, path: str) -> None:
    forks, home = server
    command, name, complete = PATHS[path]
    out, work = home / path / "out", home / path
    out.mkdir(parents=True)
    argv = command(out)
    code, write = _run(forks, argv, work)
    assert code == 0, (work / "stderr.txt").read_text()[-800:]
    assert (out / name).exists()
    rng = random.Random(f"{path}-{date.today()}")
    killed = 0
    for _ in range(TRIALS):
        code, _ = _run(forks, [*argv, "--force"], work, kill_after=rng.uniform(0, write * 1.1))
        assert code in (0, -signal.SIGKILL), (work / "stderr.txt").read_text()[-800:]
        killed += code == -signal.SIGKILL
        assert complete(out / name), f"partial output at {out / name}"
    assert killed >= TRIALS // 4, f"only {killed} of {TRIALS} kills landed in the write"
    assert _run(forks, [*argv, "--force"], work)[0] == 0  # the next run ...
    assert complete(out / name)
    left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert left == [], f"left behind: {left}"  # ... sweeps what the killed ones left
