"""`vendorrisk export | import | review | changes | evidence`: spreadsheets, the DORA register,
periodic reviews, change alerts for cron, and evidence packs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import yaml

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.exitcodes import ExitCode
from vendorrisk.cli.output import emit_json, emit_table, warn
from vendorrisk.errors import InputError

if TYPE_CHECKING:
    from vendorrisk.services.dora import DoraResult
    from vendorrisk.services.imports import ImportReport

_SEVERITIES = click.Choice(["info", "low", "medium", "high", "critical"], case_sensitive=False)
_DECISIONS = click.Choice(["renew", "renegotiate", "exit", "escalate"], case_sensitive=False)


@click.command("export")
@click.option("--client", help="only this client's vendors, domains, contracts and findings")
@click.option("--out", type=click.Path(path_type=Path),
              help="workbook path (default: vendorrisk-<client>-<date>.xlsx, or "
                   "vendorrisk-all-<date>.xlsx without --client, in the exports folder that "
                   "`vendorrisk locate` shows); with --dora-register, the folder for the "
                   "package and its helper files (default: dora-register-<client>-<date>)")
@click.option("--dora-register", is_flag=True,
              help="write the DORA register of information (all fifteen templates, as the "
                   "EBA xBRL-CSV report package) for --client")
@click.option("--draft", is_flag=True,
              help="with --dora-register: write the package even if it breaks a blocking rule")
@click.option("--taxonomy", type=click.Path(path_type=Path, dir_okay=False),
              help="with --dora-register: the EBA taxonomy package ZIP; the package is then "
                   "validated by Arelle too (needs `pip install arelle-release`)")
@click.option("--force", is_flag=True, help="overwrite an existing workbook or register folder")
@click.option("--json", "as_json", is_flag=True, help="print a JSON summary")
@pass_app
def export_cmd(app: AppContext, client: str | None, out: Path | None, dora_register: bool,
               draft: bool, taxonomy: Path | None, force: bool, as_json: bool) -> None:
    """Write the procurement workbook, or the DORA register package.

    An existing file or folder is never overwritten without --force (exit 2). A register
    that a supervisor would reject (blocking rules 805-808, or wrong input) is not written
    without --draft (exit 2); each breach is printed with where to record what is missing."""
    service = app.services.exports
    if dora_register:
        if not client:
            raise InputError("--dora-register needs --client", "the register is per entity")
        _dora_register(app.services.dora.export(client, out, force=force, draft=draft,
                                                taxonomy=taxonomy), as_json)
        return
    if draft or taxonomy:
        raise InputError(f"--{'draft' if draft else 'taxonomy'} is for --dora-register",
                         "add --dora-register --client X")
    written = service.workbook(out, client=client, force=force)
    if as_json:
        emit_json(written.to_json())
    else:
        click.echo(str(written.path))


def _dora_register(result: DoraResult, as_json: bool) -> None:
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(str(result.package))
    for line in [*(result.problems or []), *result.breaches[:result.blocking],
                 *(result.arelle or [])]:
        warn(line)
    if result.arelle == []:
        warn("Arelle: no error against the EBA taxonomy")
    if result.blocking or result.problems or result.arelle:
        warn(f"DRAFT: {result.blocking} blocking breach(es); a supervisor would reject it")
    if len(result.breaches) > result.blocking:
        warn(f"{len(result.breaches) - result.blocking} warning(s) (not-null rules); see "
             f"{result.directory / 'validation.csv'}")
    if result.missing:
        warn(f"{len(result.missing)} value(s) the register needs are not recorded; see "
             f"{result.directory / 'missing-data.csv'}")


@click.command("import")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="validate and report; write nothing")
@click.option("--skip-invalid", is_flag=True, help="import the valid rows, list the others")
@click.option("--kind", type=click.Choice(["client", "vendor", "domain", "contract",
                                           "certification"]),
              help="what a CSV file holds (default: from its file name)")
@click.option("--template", "template", type=click.Path(path_type=Path, dir_okay=False),
              help="write an import template workbook to this path instead")
@click.option("--force", is_flag=True, help="with --template: overwrite an existing file")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@pass_app
def import_cmd(app: AppContext, file: Path | None, dry_run: bool, skip_invalid: bool,
               kind: str | None, template: Path | None, force: bool, as_json: bool) -> None:
    """Import clients, vendors, domains, contracts and certifications from .xlsx or .csv.

    By default nothing is written if any row is invalid. Re-importing a file updates the
    records it names and never duplicates them."""
    if template is not None:
        from vendorrisk.io.xlsx_import import write_template

        click.echo(str(write_template(template, force=force)))
        return
    if file is None:
        raise InputError("give a FILE to import, or --template PATH")
    from vendorrisk.services.imports import ImportFailed

    try:
        report = app.services.imports.run(file, dry_run=dry_run, skip_invalid=skip_invalid, kind=kind)
    except ImportFailed as exc:
        _print_report(exc.report, as_json)
        raise
    _print_report(report, as_json)


def _print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        emit_json(report.to_json())
    for problem in report.errors:
        warn(f"  {problem}")
    for line in report.warnings:
        warn(f"warning: {line}")
    if not as_json:
        state = ("dry run, nothing written" if report.dry_run
                 else "written" if report.committed else "nothing written")
        parts = [f"{name} {sum(bucket.values())}" for name, bucket in
                 (("created", report.created), ("updated", report.updated),
                  ("unchanged", report.unchanged))]
        click.echo(f"{report.file}: {', '.join(parts)}, skipped {report.skipped_rows} ({state})")


@click.group("review")
def review_group() -> None:
    """Periodic contract and vendor reviews."""


@review_group.command("due")
@click.option("--within", default=90, show_default=True, type=click.IntRange(0, 3650),
              help="days ahead")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def review_due(app: AppContext, within: int, as_json: bool) -> None:
    """Renewals, notice deadlines, certification expiries, stale questionnaires, expiring risk
    acceptances, contract review dates and vendors without a completed review within their
    interval (config ``[review]``: per vendor tier, or per contract)."""
    items = [i.to_json() for i in app.services.reviews.due(within=within)]
    if as_json:
        emit_json(items)
    else:
        emit_table(items, ("due", "days_left", "kind", "subject", "client", "detail"))


@review_group.command("start")
@click.argument("subject", metavar="VENDOR|CONTRACT")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def review_start(app: AppContext, subject: str, as_json: bool) -> None:
    """Open a review; it records what changed since the previous completed review."""
    record = app.services.reviews.start(subject)
    if as_json:
        emit_json(record)
        return
    click.echo(f"review {record['id']} started")
    for key, value in record["changes"].items():
        shown = len(value) if isinstance(value, list) else value
        click.echo(f"  {key}: {json.dumps(shown, default=str)}")
    click.echo(f"checklist: {len(record['checklist'])} items to answer")


@review_group.command("complete")
@click.argument("review_id", type=int, metavar="ID")
@click.option("--decision", required=True, type=_DECISIONS)
@click.option("--notes", help="the reviewer's notes")
@click.option("--answer", "answers", multiple=True, metavar="ITEM=ANSWER[:NOTE]",
              help="answer one checklist item (ok, issue, not_applicable); repeatable")
@click.option("--answers", "answers_file", type=click.Path(path_type=Path, dir_okay=False,
                                                           exists=True),
              help="YAML or JSON mapping of item -> answer (or {answer, note})")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def review_complete(app: AppContext, review_id: int, decision: str, notes: str | None,
                    answers: tuple[str, ...], answers_file: Path | None, as_json: bool) -> None:
    """Answer the checklist and record the decision."""
    from vendorrisk.services.reviews import parse_answer

    given: dict[str, Any] = _answers_file(answers_file) if answers_file else {}
    for text in answers:
        item, sep, rest = text.partition("=")
        if not sep:
            raise InputError(f"--answer {text!r}: expected ITEM=ANSWER[:NOTE]")
        given[item.strip()] = parse_answer(rest)
    record = app.services.reviews.complete(review_id, decision=decision, notes=notes, answers=given)
    if as_json:
        emit_json(record)
    else:
        click.echo(f"review {record['id']} completed: {record['decision']}; "
                   f"next review due {record['next_review_date']}")


@review_group.command("show")
@click.argument("review_id", type=int, metavar="ID")
@pass_app
def review_show(app: AppContext, review_id: int) -> None:
    """Print one review as JSON."""
    emit_json(app.services.reviews.get(review_id))


def _answers_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read answers from {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of checklist item -> answer")
    return {str(k): v for k, v in data.items()}


@click.command("changes")
@click.option("--since", metavar="DATE", help="yesterday, today, 2d, 12h, YYYY-MM-DD or ISO time")
@click.option("--runs", type=int, metavar="N", help="changes within the last N probe runs")
@click.option("--client", help="only this client's domains and findings")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one change per line")
@click.option("--fail-on", type=_SEVERITIES, help="exit 6 when a change reaches this severity")
@click.pass_context
def changes_cmd(ctx: click.Context, since: str | None, runs: int | None, client: str | None,
                as_json: bool, fail_on: str | None) -> None:
    """What changed between stored probe runs (default: the latest run against the one before).

    \b
    Nightly alert:
      vendorrisk probe --all && vendorrisk changes --since yesterday --fail-on high"""
    from vendorrisk.cli.output import emit_jsonl
    from vendorrisk.services.changes import parse_since, reaches

    app: AppContext = ctx.obj
    start = parse_since(since) if since else None
    changes = app.services.changes.list(since=start, runs=runs, client=client)
    if as_json:
        for change in changes:
            emit_jsonl(change.to_json())
    else:
        emit_table([c.to_json() | {"subject": c.label} for c in changes],
                   ("severity", "subject", "kind", "summary", "at"))
        baseline = app.services.changes.baseline()
        warn(f"{len(changes)} change(s)" + (
            f" (findings first seen by the baseline {baseline:%Y-%m-%d %H:%M} UTC are not new)"
            if baseline else ""))
    if fail_on and reaches(changes, fail_on):
        warn(f"a change reached --fail-on {fail_on}")
        raise SystemExit(ExitCode.THRESHOLD)


@click.group("evidence", invoke_without_command=True)
@click.option("--client", help="the client the pack is for")
@click.option("--month", metavar="YYYY-MM", help="the month the pack covers")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="pack folder (default exports/evidence-<client>-<month>); a .zip is "
                   "written beside it")
@click.option("--force", is_flag=True, help="overwrite an existing pack (folder and zip)")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def evidence_group(ctx: click.Context, client: str | None, month: str | None, out: Path | None,
                   force: bool, as_json: bool) -> None:
    """Make a monthly evidence pack (folder + zip + manifest with SHA-256 and the audit head
    hash); `evidence verify DIR` re-checks one. An existing pack is kept unless --force."""
    if ctx.invoked_subcommand is not None:
        return
    if not client or not month:
        raise InputError("evidence needs --client and --month", "or: vendorrisk evidence verify DIR")
    app: AppContext = ctx.obj
    result = app.services.evidence.make(client, month, out, force=force)
    if as_json:
        emit_json({"directory": str(result.directory), "zip": str(result.zip_path),
                   "manifest": result.manifest})
    else:
        click.echo(str(result.directory))
        click.echo(str(result.zip_path))


@evidence_group.command("verify")
@click.argument("target", type=click.Path(path_type=Path, exists=True))
@click.option("--against-db", is_flag=True,
              help="also check the manifest's audit head hash is in this database's chain")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def evidence_verify(ctx: click.Context, target: Path, against_db: bool, as_json: bool) -> None:
    """Re-hash every file of a pack (folder or zip); exit 7 if anything does not match."""
    from vendorrisk.io.evidence_pack import verify_pack

    app: AppContext = ctx.obj
    report = (app.services.evidence.verify(target, against_db=True) if against_db
              else verify_pack(target))
    if as_json:
        emit_json(report.to_json())
    for problem in report.problems:
        warn(f"  {problem}")
    if not report.ok:
        warn(f"{target}: evidence pack does NOT verify")
        raise SystemExit(ExitCode.INTEGRITY)
    if not as_json:
        click.echo(f"{target}: ok ({report.checked} files)")


def register(cli: click.Group) -> None:
    for command in (export_cmd, import_cmd, review_group, changes_cmd, evidence_group):
        cli.add_command(command)
