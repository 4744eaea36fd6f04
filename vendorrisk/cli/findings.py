"""`vendorrisk findings list|show|accept|resolve|reopen`: the findings queue outside the TUI.

Every command goes through the findings service of the ``Services`` facade, the one the TUI
uses, so the rules are the same: an acceptance needs a justification and an expiry after
today (at most two years ahead), each change is one audited transaction (nothing changes if
one id is unknown), and scores are recomputed after it. A lapsed acceptance counts and shows
as open again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.exitcodes import ExitCode
from vendorrisk.cli.output import emit_json, emit_record, emit_table, warn
from vendorrisk.vocab import Severity

if TYPE_CHECKING:
    from vendorrisk.services.findings import FindingDetail, FindingView

_SEVERITIES = click.Choice([s.value for s in Severity], case_sensitive=False)
LIST_COLUMNS = ("id", "severity", "code", "subject", "client", "status", "last_seen", "title")


@click.group("findings")
def findings_group() -> None:
    """List and show findings; accept, resolve or reopen them (audited, as in the TUI)."""


def _values(given: Iterable[str]) -> tuple[str, ...]:
    """Repeated and comma-separated option values, in order, lower case, without blanks."""
    return tuple(v.strip().lower() for text in given for v in text.split(",") if v.strip())


@findings_group.command("list")
@click.option("--client", help="only what this client's outputs hold: its domains' findings, "
              "those of the vendors serving it and of its (and MSP-wide) contracts")
@click.option("--vendor", help="only this vendor's own findings and its contracts'")
@click.option("--domain", help="only this domain's findings (any IDN form)")
@click.option("--code", "codes", multiple=True, metavar="CODE",
              help="only this finding code (repeatable, or comma-separated)")
@click.option("--severity", "severities", multiple=True, metavar="SEVERITY",
              help="only this severity: info, low, medium, high, critical (repeatable, or "
                   "comma-separated)")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help="open (the default; lapsed acceptances included), accepted (acceptance in "
                   "force), lapsed, resolved or all (repeatable, or comma-separated)")
@click.option("--fail-on", type=_SEVERITIES,
              help="exit 6 when a finding listed reaches this severity")
@click.option("--json", "as_json", is_flag=True, help="print JSON (a list of findings)")
@pass_app
def findings_list(app: AppContext, client: str | None, vendor: str | None, domain: str | None,
                  codes: tuple[str, ...], severities: tuple[str, ...],
                  statuses: tuple[str, ...], fail_on: str | None, as_json: bool) -> None:
    """List findings, worst first."""
    from vendorrisk.services.findings import FindingQuery

    wanted = _values(statuses) or ("open",)
    query = FindingQuery(client=client, vendor=vendor, domain=domain,
                         codes=_values(codes), severities=_values(severities),
                         statuses=() if "all" in wanted else wanted)
    found = app.services.findings.search(query)
    if as_json:
        emit_json([f.to_json() for f in found])
    else:
        emit_table([_row(f) for f in found], LIST_COLUMNS)
        warn(f"{len(found)} finding(s)")
    if fail_on and any(Severity(f.severity).rank >= Severity(fail_on.lower()).rank
                       for f in found):
        warn(f"a finding reached --fail-on {fail_on}")
        raise SystemExit(ExitCode.THRESHOLD)


def _row(f: FindingView) -> dict[str, object]:
    return {"id": f.id, "severity": f.severity, "code": f.code, "subject": f.label,
            "client": f.client, "status": f.status_text,
            "last_seen": f.last_seen.date().isoformat(), "title": f.title}


@findings_group.command("show")
@click.argument("finding_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def findings_show(app: AppContext, finding_id: int, as_json: bool) -> None:
    """Show one finding: evidence, what removes it, and its audit history."""
    detail = app.services.findings.get(finding_id)
    if as_json:
        emit_json(detail.to_json())
    else:
        _print_detail(detail)


def _print_detail(detail: FindingDetail) -> None:
    f = detail.finding
    record: dict[str, object] = {
        "id": f.id, "code": f.code, "severity": f.severity, "title": f.title,
        "subject": f.label, "vendor": f.vendor, "client": f.client, "status": f.status_text,
        "first_seen": f.first_seen.isoformat(), "last_seen": f.last_seen.isoformat()}
    if f.accepted_until is not None:
        record |= {"accepted_by": f.accepted_by, "accepted_reason": f.accepted_reason,
                   "accepted_until": f.accepted_until.isoformat()}
    if f.resolved_at is not None:
        record["resolved_at"] = f.resolved_at.isoformat()
    record |= {"meaning": detail.description, "remedy": detail.remedy,
               "references": list(detail.references)}
    emit_record(record)
    click.echo("evidence:")
    for key, value in f.evidence.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        click.echo(f"  {key}: {shown}")
    click.echo("history:" if detail.history else "history: none")
    for event in detail.history:
        after = json.dumps(event["after"], ensure_ascii=False) if event["after"] else ""
        click.echo(f"  #{event['seq']} {event['at']} {event['actor']} {event['action']} "
                   f"{after}".rstrip())


_IDS = click.argument("ids", nargs=-1, required=True, type=int, metavar="ID...")
_JSON = click.option("--json", "as_json", is_flag=True, help="print the changed findings as JSON")


@findings_group.command("accept")
@_IDS
@click.option("--reason", required=True, help="why the risk is acceptable (audited)")
@click.option("--until", required=True, metavar="DATE",
              help="YYYY-MM-DD the acceptance ends: after today, at most two years ahead; "
                   "from that day the finding counts and shows as open again")
@_JSON
@pass_app
def findings_accept(app: AppContext, ids: tuple[int, ...], reason: str, until: str,
                    as_json: bool) -> None:
    """Accept the risk of findings until a date."""
    count = app.services.findings.accept(ids, reason, until)
    _report(app, f"accepted {count} finding(s) until {until.strip()}", ids, as_json)


@findings_group.command("resolve")
@_IDS
@_JSON
@pass_app
def findings_resolve(app: AppContext, ids: tuple[int, ...], as_json: bool) -> None:
    """Mark findings resolved (a later probe or rescore raises them again if still true)."""
    count = app.services.findings.resolve(ids)
    changed = _report(app, f"resolved {count} finding(s)", ids, as_json)
    back = [str(f.id) for f in changed if f.status != "resolved"]
    if back:
        warn(f"still raised by the rules, so open again after the rescore: {', '.join(back)} "
             "(remove the cause, or accept the risk)")


@findings_group.command("reopen")
@_IDS
@_JSON
@pass_app
def findings_reopen(app: AppContext, ids: tuple[int, ...], as_json: bool) -> None:
    """Reopen accepted or resolved findings (an acceptance is withdrawn)."""
    count = app.services.findings.reopen(ids)
    _report(app, f"reopened {count} finding(s)", ids, as_json)


def _report(app: AppContext, done: str, ids: tuple[int, ...],
            as_json: bool) -> list[FindingView]:
    """Say what was done (stderr); print the findings as they now are with ``--json``."""
    from vendorrisk.services.findings import FindingQuery

    warn(f"{done}: {', '.join(str(i) for i in sorted(set(ids)))}")
    changed = sorted(app.services.findings.search(FindingQuery(statuses=(), ids=tuple(ids))),
                     key=lambda f: f.id)
    if as_json:
        emit_json([f.to_json() for f in changed])
    return changed


def register(cli: click.Group) -> None:
    cli.add_command(findings_group)
