"""TUI fixtures: the demo portfolio at a fixed date, the app built by the one factory, and a
helper that waits until every worker has finished and the screen has caught up."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot

from tests.cli.conftest import Run, cli_runner

TODAY = date(2026, 11, 23)
"""The fixed clock for every TUI test and snapshot."""


@pytest.fixture
def demo_services(services: Any) -> Any:
    """The ``services`` fixture (SQLite and PostgreSQL) with the demo portfolio loaded."""
    from vendorrisk.services.demo import load_demo

    load_demo(services, today=TODAY)
    return services


@pytest.fixture
def sqlite_demo(tmp_path: Path, sqlite_template: Path) -> Iterator[Any]:
    """The demo on SQLite only (snapshots and read-only screens)."""
    import shutil

    from vendorrisk.config import Settings
    from vendorrisk.services.app import open_services
    from vendorrisk.services.demo import load_demo

    target = tmp_path / "demo.db"
    shutil.copy(sqlite_template, target)
    svc = open_services(Settings(db=f"sqlite:///{target}", user="tester",
                                 exports_dir=str(tmp_path / "exports")))
    load_demo(svc, today=TODAY)
    yield svc
    svc.close()


@pytest.fixture
def make_app() -> Callable[[Any], Any]:
    from vendorrisk.tui.app import build_app

    def make(services: Any) -> Any:
        return build_app(services, clock=lambda: TODAY)

    return make


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Run:
    """The real command line, in-process, as the TUI fixtures' user (``tester``): to show a
    use case gives the same result from both front ends. Call it while no app is running."""
    return cli_runner(capsys, monkeypatch, tmp_path, "tester")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no async plugin is a dependency)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True


class MessageLog:
    """Every message the app handled, for asserting on sequences."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def names(self) -> list[str]:
        return [type(m).__name__ for m in self.messages]


@pytest.fixture
def message_log() -> MessageLog:
    return MessageLog()


def cell(table: Any, row: Any, column: str) -> str:
    """The text of ``row`` in the column headed ``column`` of a dto ``Table``."""
    return str(row.cells[table.columns.index(column)].text)


async def settle(pilot: Pilot[Any], rounds: int = 3, timeout: float = 10.0) -> None:
    """Wait for all workers and their messages, and until every table on screen has data."""
    from vendorrisk.tui.widgets.filtered_table import FilteredTable

    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        tables = list(pilot.app.screen.query(FilteredTable))
        busy = [w for w in pilot.app.workers if not w.is_finished]
        if not busy and all(t.source is not None or t.initial is not None for t in tables):
            break
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.fixture
def wait_for_workers() -> Callable[[Pilot[Any]], Any]:
    return settle
