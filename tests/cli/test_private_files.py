"""Private by default, whatever the umask (issue #22): what vendorrisk writes is 0600 / 0700,
and a database or exports folder others can read gets a one-line warning."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import Run


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(old)


def _modes(root: Path) -> dict[str, int]:
    out = {root.name: stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        out[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return out


def test_everything_written_is_the_owners_only(run: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                open_umask: None) -> None:
    home = tmp_path / "home"
    database, exports = home / "data" / "v.db", home / "exports"
    (home / "data").mkdir(parents=True, mode=0o700)
    monkeypatch.setenv("VENDORRISK_DB", f"sqlite:///{database}")
    monkeypatch.setenv("VENDORRISK_EXPORTS_DIR", str(exports))
    assert run("demo").code == 0
    client, month = "Baltic Pay UAB", f"{date.today():%Y-%m}"
    for command in (("export",), ("export", "--client", client),
                    ("export", "--dora-register", "--draft", "--client", client),
                    ("evidence", "--client", client, "--month", month),
                    ("questionnaire", "send", "Cloudflare", "--template", "dns-provider",
                     "--out", str(exports / "q" / "cloudflare.xlsx")),
                    ("import", "--template", str(exports / "template.xlsx"))):
        done = run(*command)
        assert done.code == 0, (command, done.err)
        assert "readable" not in done.err  # no exposure warning: the folders are private
    written = _modes(exports)
    assert len(written) > 10
    wrong = {name: oct(mode) for name, mode in written.items()
             if mode != (0o700 if (exports.parent / "exports" / name).is_dir()
                         or name == "exports" else 0o600)}
    assert wrong == {}
    for path in home.joinpath("data").iterdir():  # the database and its -wal / -shm files
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_folder_others_can_read_gets_a_one_line_warning(run: Run, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    monkeypatch.setenv("VENDORRISK_DB", f"sqlite:///{shared / 'v.db'}")
    monkeypatch.setenv("VENDORRISK_EXPORTS_DIR", str(tmp_path / "exports"))
    done = run("client", "add", "Acme")
    assert done.code == 0
    warnings = [line for line in done.err.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: the database folder {shared} is world-readable; other users "
                        f"of this machine can read your clients' data (chmod go-rwx {shared})"]
    shared.chmod(0o700)
    assert "warning" not in run("client", "list").err
