from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import pytest

from vendorrisk.cli import main

ROOT = Path(__file__).parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def cli_runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
               tmp_path: Path, user: str) -> Run:
    """The real entry point in-process, as ``user`` with an empty config file; each call
    returns exit code, stdout and stderr."""
    config = tmp_path / "empty-config.toml"
    config.touch()
    monkeypatch.setenv("VENDORRISK_CONFIG", str(config))
    monkeypatch.setenv("VENDORRISK_USER", user)

    def invoke(*argv: str) -> Result:
        capsys.readouterr()
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Run:
    """Run the real entry point in-process; returns exit code, stdout and stderr."""
    return cli_runner(capsys, monkeypatch, tmp_path, "cli-tester")


# -- killing a writer at a chosen moment ------------------------------------------------------

class Child(Protocol):
    """What :func:`kill_on_signal` needs of a child process (``subprocess.Popen`` has it)."""

    def poll(self) -> int | None: ...
    def send_signal(self, sig: int) -> None: ...
    def kill(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


def kill_on_signal(child: Child, started: Path, *, delay: float = 0.0,
                   timeout: float = 120.0) -> int:
    """Wait until ``child`` creates ``started`` (its signal that the moment has come), ``delay``
    seconds more, then SIGKILL it; returns its exit status (``-SIGKILL`` when the kill landed,
    its own code when it finished first). The child never outlives the call."""
    try:
        deadline = time.monotonic() + timeout
        while not started.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)  # a write may take only a few milliseconds
        if started.exists():
            time.sleep(delay)
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
        return child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)


ZYGOTE = """
import json, os, sys
from pathlib import Path
from vendorrisk.cli import main
for module in sys.argv[1:]:
    __import__(module)
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(null, 0), os.dup2(null, 1), os.dup2(log, 2)
        started = Path(request["started"])
        if request["signal_on"]:  # signal when this function is first called
            module, _, name = request["signal_on"].rpartition(".")
            owner = __import__(module, fromlist=[name])
            original = getattr(owner, name)
            def signalled(*args, **kwargs):
                started.touch()
                return original(*args, **kwargs)
            setattr(owner, name, signalled)
        else:
            started.write_text("started")
        code = 0
        try:
            main(request["argv"])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = 1
        os._exit(code)
    print(pid, flush=True)
    sys.stdin.readline()  # reap only when asked: till then a finished child stays a zombie,
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)  # its id not reused
"""


class ForkServer:
    """A process that imports vendorrisk once and forks a child per command, so that a trial
    costs a fork rather than an interpreter start (the environment is the one at start)."""

    def __init__(self, warm: Sequence[str] = ()) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", ZYGOTE, *warm], cwd=ROOT,
                                        env=os.environ.copy(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def spawn(self, argv: Sequence[str], started: Path, stderr: Path, *,
              signal_on: str | None = None) -> ForkedChild:
        """Fork a child that runs ``vendorrisk argv`` and creates ``started`` as it begins, or
        with ``signal_on`` (``module.function``) when it first calls that function."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"argv": list(argv), "started": str(started), "stderr": str(stderr),
                   "signal_on": signal_on}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return ForkedChild(int(self.process.stdout.readline()), self.process.stdin,
                           self.process.stdout)

    def close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process.wait(30)


class ForkedChild:
    """A child of the :class:`ForkServer`, as much of ``Popen`` as :func:`kill_on_signal` uses."""

    def __init__(self, pid: int, ask: IO[str], answers: IO[str]) -> None:
        self.pid, self._ask, self._answers = pid, ask, answers
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and _is_zombie(self.pid):
            self.wait()
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:  # not reaped: the id is still this child's
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._ask.write("reap\n")
            self._ask.flush()
            self.returncode = int(self._answers.readline())
        return self.returncode


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] == "Z"
