"""Housekeeping commands: db, locate, audit, demo."""

from __future__ import annotations

from pathlib import Path

import click

from vendorrisk import paths
from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.exitcodes import ExitCode
from vendorrisk.cli.output import emit_json, emit_record, emit_table


@click.group("db")
def db_group() -> None:
    """Database schema: upgrade, current revision."""


@db_group.command("upgrade")
@pass_app
def db_upgrade(app: AppContext) -> None:
    """Bring the database schema to the newest revision."""
    services = app.services
    before, after = services.upgrade_schema()
    click.echo(f"{services.public_db_url}: {before or 'empty'} -> {after}", err=True)


@db_group.command("current")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def db_current(app: AppContext, as_json: bool) -> None:
    """Print the database's schema revision and the newest one this version knows."""
    status = app.services.schema_status()
    emit_json(status) if as_json else emit_record(status)


@click.command("locate")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def locate(app: AppContext, as_json: bool) -> None:
    """Print where the config file, database and exports folder are."""
    record = {
        "config": str(app.config_path or paths.config_file()),
        "database": app.services.public_db_url,
        "exports": str(app.settings.exports_path),
        "data": str(paths.shipped_data_dir()),
    }
    emit_json(record) if as_json else emit_record(record)


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit trail."""


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def audit_verify(app: AppContext, as_json: bool) -> None:
    """Walk the hash chain; exit 7 naming the first broken link."""
    result = app.services.verify_audit()
    if as_json:
        emit_json(result.to_json())
    elif result.ok:
        click.echo(f"audit chain intact: {result.events} events, head {result.head_hash}")
    if not result.ok:
        click.echo(f"audit chain broken: {result.problem}", err=True)
        raise SystemExit(ExitCode.INTEGRITY)


@audit_group.command("log")
@click.option("--entity", help="only events about this kind: client, vendor, domain, ...")
@click.option("--limit", type=click.IntRange(min=1), help="newest N events")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def audit_log(app: AppContext, entity: str | None, limit: int | None, as_json: bool) -> None:
    """List audit events, newest first."""
    rows = app.services.audit_log(entity_kind=entity, limit=limit)
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, ("seq", "at", "actor", "action", "entity_kind", "entity_label"))


@click.command("demo")
@pass_app
def demo(app: AppContext) -> None:
    """Load the demo portfolio (a fictional MSP) into the database; safe to run twice."""
    summary = app.services.load_demo()
    click.echo(f"demo portfolio loaded into {app.services.db.public_url}: {summary}", err=True)


@click.group("data")
def data_group() -> None:
    """Shipped reference data."""


@data_group.command("refresh")
@click.option("--bootstrap-url", help="IANA RDAP dns.json to fetch (default: IANA's)")
@click.option("--anchors-url", help="root-anchors.xml to fetch (default: IANA's)")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="folder to write to (default: the user data dir; used by the probes)")
def data_refresh(bootstrap_url: str | None, anchors_url: str | None,
                 out_dir: Path | None) -> None:
    """Fetch a newer RDAP bootstrap and root trust anchors (needs the network)."""
    from vendorrisk.services.app import Services

    results = Services.refresh_data(bootstrap_url=bootstrap_url, anchors_url=anchors_url,
                                    out_dir=out_dir)
    for result in results:
        click.echo(f"{result.path}: {result.detail} from {result.source}", err=True)


def register(cli: click.Group) -> None:
    for command in (db_group, locate, audit_group, demo, data_group):
        cli.add_command(command)
