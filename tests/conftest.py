"""Suite-wide fixtures: loopback-only network guard, and databases on SQLite and PostgreSQL."""

from __future__ import annotations

import ipaddress
import itertools
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the root conftest imports no probe code at collection
    from vendorrisk.probes.runner import ProbePlan

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto
IN_CI = bool(os.environ.get("CI"))


def _is_local(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(real: Any) -> Any:
    def call(self: socket.socket, *args: Any) -> Any:
        address = args[-1]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            raise OSError(f"test network guard: traffic to {address!r} is not allowed (loopback only)")
        return real(self, *args)

    return call


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded(_real_connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded(_real_connect_ex)  # type: ignore[method-assign]
    socket.socket.sendto = _guarded(_real_sendto)  # type: ignore[method-assign]


def lab_unavailable(message: str) -> None:
    """A missing lab fails the run in CI and skips (with the reason) on a developer machine."""
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --- databases ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    from vendorrisk.store import migrate
    from vendorrisk.store.session import make_engine

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    from tests.lab import postgres

    explicit = os.environ.get("VENDORRISK_TEST_PG")
    if explicit:
        yield explicit
        return
    try:
        lab = postgres.start()
    except postgres.LabUnavailable as exc:
        lab_unavailable(str(exc))
        return
    yield lab
    lab.stop()


_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: Any) -> Any:
    """A database migrated to head once; each test gets ``CREATE DATABASE ... TEMPLATE`` of it."""
    from sqlalchemy import create_engine

    from vendorrisk.store import migrate
    from vendorrisk.store.session import make_engine

    admin_url = _pg_url(postgres_server, "postgres")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS vr_template")
        conn.exec_driver_sql("CREATE DATABASE vr_template")
    engine = make_engine(_pg_url(postgres_server, "vr_template"))
    migrate.upgrade(engine)
    engine.dispose()
    yield admin
    admin.dispose()


def _pg_url(server: Any, database: str) -> str:
    if isinstance(server, str):
        from sqlalchemy.engine import make_url

        return make_url(server).set(database=database,
                                    drivername="postgresql+psycopg").render_as_string(False)
    return str(server.url(database))


def new_postgres_db(server: Any, admin: Any, *, template: str | None = "vr_template") -> str:
    name = f"vr_test_{os.getpid()}_{next(_counter)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}"
                                                          if template else ""))
    return _pg_url(server, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    admin = request.getfixturevalue("postgres_template")
    return new_postgres_db(request.getfixturevalue("postgres_server"), admin)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty (not migrated) database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    admin = request.getfixturevalue("postgres_template")
    return new_postgres_db(request.getfixturevalue("postgres_server"), admin, template=None)


@pytest.fixture
def services(db_url: str) -> Iterator[Any]:
    from vendorrisk.config import Settings
    from vendorrisk.services.app import open_services

    svc = open_services(Settings(db=db_url, user="tester"))
    yield svc
    svc.close()


# --- probe plans -----------------------------------------------------------------------------

@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[tuple[str, ...],
                                                                             ProbePlan]]:
    """Every (domains, plan) the probe driver is asked for; it probes nothing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls: list[tuple[tuple[str, ...], ProbePlan]] = []

    async def probe_many(domains: Any, settings: Any, catalog: Any, *, plan: ProbePlan,
                         on_result: Any = None, cancelled: Callable[[], bool] = lambda: False
                         ) -> list[Any]:
        calls.append((tuple(domains), plan))
        return []

    monkeypatch.setattr("vendorrisk.services.probing.probe_many", probe_many)
    return calls
