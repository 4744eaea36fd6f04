"""The real `vendorrisk --demo` in a real terminal (tmux): starts, navigates, quits cleanly.

Missing tmux skips on a developer machine and fails when CI is set.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import lab_unavailable

VENDORRISK = Path(sys.executable).with_name("vendorrisk")


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear within {timeout}s; screen was:\n{screen}")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    if shutil.which("tmux") is None:
        lab_unavailable("tmux is not installed (apt-get install tmux)")
    name = f"vr-test-{uuid.uuid4().hex[:8]}"
    done = tmp_path / "exit-code"
    (tmp_path / "empty.toml").touch()
    env = {"VENDORRISK_CONFIG": str(tmp_path / "empty.toml"), "HOME": str(tmp_path),
           "TERM": "xterm-256color"}
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"env {exports} {VENDORRISK} --demo; echo $? > {done}; sleep 30"
    _tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
    try:
        yield name
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def test_real_terminal_starts_navigates_and_quits(session: str, tmp_path: Path) -> None:
    screen = _wait_for(session, "Alpine Retail AG")
    assert "1 Dashboard" in screen and "Quit" in screen
    _tmux("send-keys", "-t", session, "3")
    screen = _wait_for(session, "alpine-retail-api.example")
    _tmux("send-keys", "-t", session, "Enter")
    screen = _wait_for(session, "Registration")
    assert "declared registrar" in screen
    _tmux("send-keys", "-t", session, "Escape")
    _tmux("send-keys", "-t", session, "4")
    _wait_for(session, "critical")
    _tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 15
    code_file = tmp_path / "exit-code"
    while time.monotonic() < deadline and not code_file.exists():
        time.sleep(0.2)
    assert code_file.read_text().strip() == "0"
    assert "Traceback" not in _tmux("capture-pane", "-p", "-t", session)
