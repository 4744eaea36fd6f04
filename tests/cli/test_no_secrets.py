"""No secret in any message, log, output or stored row (issue #22, item 2).

One sentinel secret is put in every place a user can give one: the database URL's password
(PostgreSQL, whose lab trusts any), the RDAP bootstrap URL's user info and token, the data
refresh URLs, and each malformed form (scheme-less, bad port, unclosed IPv6 bracket, unknown
scheme, a password as query parameter, a config value of the wrong type). Every command that
could echo one is run, failing ones, ``--json`` and ``-v`` included; the sentinel must then be
in no stdout or stderr, no file written (zips and workbooks opened), and no database row.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.cli.conftest import Result, Run
from vendorrisk.config import Settings
from vendorrisk.services.app import open_services
from vendorrisk.services.demo import load_demo

SECRET = "Sentinel-7f3a9c"
CLIENT = "Baltic Pay UAB"
BOOTSTRAP = f"https://rdap-user:{SECRET}@127.0.0.1:9/dns.json?token={SECRET}&x=1"


def _assert_clean(results: list[tuple[tuple[str, ...], Result]]) -> None:
    for argv, result in results:
        assert SECRET not in result.out + result.err, (argv, result.out[-300:], result.err[-300:])
        if result.code:  # a failure is one line (beside -v's log lines), never a traceback
            errors = [line for line in result.err.splitlines()
                      if not line.startswith(("DEBUG ", "INFO ", "warning: "))]
            assert len(errors) == 1 and errors[0].startswith("vendorrisk: "), (argv, result.err)
            assert "Traceback" not in result.err, (argv, result.err)


def _files_hold(folder: Path) -> list[str]:
    """Files under ``folder`` that hold the sentinel, zip members (xlsx, packs) opened, the
    SQLite database and its WAL included."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.name == "empty-config.toml":  # the config holds it
            continue
        data = path.read_bytes()
        if SECRET.encode() in data:
            found.append(str(path))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                found += [f"{path}!{n}" for n in archive.namelist()
                          if SECRET.encode() in archive.read(n)]
    return found


def _rows_hold(url: str) -> list[str]:
    """Tables with a row whose text holds the sentinel."""
    if url.startswith("sqlite"):
        with sqlite3.connect(make_url(url).database or "") as conn:
            return [line[:120] for line in conn.iterdump() if SECRET in line]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(text("SELECT tablename FROM pg_tables "
                                       "WHERE schemaname = 'public'")).scalars().all()
            return [t for t in tables if conn.execute(
                text(f'SELECT count(*) FROM "{t}" AS r WHERE r::text LIKE :s'),
                {"s": f"%{SECRET}%"}).scalar_one()]
    finally:
        engine.dispose()


@pytest.fixture
def secret_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The demo in a database, and the URL the CLI is given: with the sentinel as password on
    PostgreSQL (the lab trusts every login, so it is sent and ignored)."""
    svc = open_services(Settings(db=db_url, user="setup"))
    load_demo(svc, today=date.today())
    svc.close()
    given = db_url
    if not db_url.startswith("sqlite"):
        given = make_url(db_url).set(password=SECRET).render_as_string(hide_password=False)
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "empty-config.toml").write_text(
        f"exports_dir = {str(out / 'exports')!r}\n[probe]\nrdap_bootstrap = {BOOTSTRAP!r}\n")
    monkeypatch.setenv("VENDORRISK_DB", given)
    monkeypatch.setenv("XDG_CACHE_HOME", str(out / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(out / "data"))
    return db_url, given


def test_the_sentinel_is_in_no_output_file_or_row(run: Run, secret_db: tuple[str, str],
                                                  tmp_path: Path) -> None:
    db_url, _ = secret_db
    out, month = tmp_path / "out", f"{date.today():%Y-%m}"
    domain = json.loads(run("domain", "list", "--json").out)[0]["name"]
    commands: list[tuple[str, ...]] = [
        ("locate",), ("locate", "--json"), ("-vv", "locate"), ("db", "current", "--json"),
        ("-vv", "client", "list"), ("demo",), ("export",), ("export", "--client", CLIENT),
        ("export", "--dora-register", "--draft", "--client", CLIENT),
        ("evidence", "--client", CLIENT, "--month", month),
        ("questionnaire", "send", "Cloudflare", "--template", "dns-provider",
         "--out", str(out / "q.xlsx")),
        ("import", "--template", str(out / "template.xlsx")),
        ("-vv", "probe", "--no-dns", domain), ("probe", "--json", "--no-dns", domain),
        ("probe", "--no-store", "--no-dns", "--json", "--rdap-bootstrap", BOOTSTRAP, "a.example"),
        ("data", "refresh", "--bootstrap-url", BOOTSTRAP, "--out", str(out / "data")),
        ("audit", "log", "--json"), ("audit", "verify"), ("findings", "list", "--json"),
    ]
    results = [(argv, run(*argv)) for argv in commands]
    _assert_clean(results)
    assert sum("***" in r.out + r.err for _, r in results) >= 3  # echoed, masked
    made = [argv for argv, r in results if r.code == 0]
    assert ("export",) in made and ("evidence", "--client", CLIENT, "--month", month) in made
    assert any(r.code == 4 for argv, r in results if "probe" in argv)  # the bootstrap is down
    assert _files_hold(tmp_path) == []
    assert _rows_hold(db_url) == []
    stored = {s["rdap_bootstrap"] for s in _probe_run_settings(db_url) if s["rdap_bootstrap"]}
    assert stored == {BOOTSTRAP.replace(f":{SECRET}@", ":***@").replace(SECRET, "***")}


def _probe_run_settings(url: str) -> list[dict[str, object]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT settings FROM probe_run")).scalars().all()
    finally:
        engine.dispose()
    return [json.loads(r) if isinstance(r, str) else r for r in rows]


MALFORMED = [
    f"user:{SECRET}@db.internal/vr",
    f"postgresql://u:{SECRET}@127.0.0.1:notaport/db",
    f"postgresql://u:{SECRET}@[::1/db",
    f"mysql://u:{SECRET}@db.internal/vr",
    f"postgresql+nosuchdriver://u:{SECRET}@db.internal/vr",
    f"postgresql://u:{SECRET}@127.0.0.1:99999/db",
    f"://u:{SECRET}@db.internal/vr",
    f"postgresql://u@127.0.0.1:1/db?password={SECRET}",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_bad_database_url_never_shows_the_sentinel(run: Run, url: str) -> None:
    results = [(argv, run(*argv)) for argv in (
        ("--db", url, "client", "list"), ("--db", url, "locate", "--json"),
        ("-vv", "--db", url, "db", "current", "--json"), ("--db", url, "export"))]
    _assert_clean(results)
    well_formed = "?password=" in url  # only locate, which connects to nothing, succeeds
    assert [r.code for _, r in results] == ([3, 0, 3, 3] if well_formed else [2, 2, 2, 2])


@pytest.mark.parametrize("line", [
    f'db = ["postgresql://user:{SECRET}@db.internal/vr"]',
    f'db = {{ url = "postgresql://user:{SECRET}@db.internal/vr" }}',
    f'[probe]\nrdap_bootstrap = ["https://u:{SECRET}@rdap.example/dns.json"]',
    f'[probe]\ntimeout = "https://u:{SECRET}@x/"',
    f'[probe]\nregistration_source = "user:{SECRET}@x"',
])
def test_a_config_value_of_the_wrong_type_never_shows_the_sentinel(run: Run, tmp_path: Path,
                                                                   line: str) -> None:
    (tmp_path / "empty-config.toml").write_text(line + "\n")
    results = [(argv, run(*argv)) for argv in (("client", "list"), ("locate", "--json"),
                                               ("-vv", "probe", "--no-store", "a.example"))]
    _assert_clean(results)
    assert all(r.code == 2 for _, r in results), [(a, r.code, r.err) for a, r in results]
