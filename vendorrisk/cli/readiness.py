"""`vendorrisk readiness --client X`: the client's DORA readiness, as the workbook sheet and the
TUI screen show it (which templates are complete, each cell to fill and what fills it)."""

from __future__ import annotations

import click

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.output import emit_json, emit_table, warn


@click.command("readiness")
@click.option("--client", required=True, help="the client (financial entity)")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def readiness_cmd(app: AppContext, client: str, as_json: bool) -> None:
    """Show a client's DORA register readiness (a report: it exits 0 either way)."""
    found = app.services.dora.readiness(client, app.services.today())
    if as_json:
        emit_json(found.to_json())
    else:
        emit_table([{"template": t.template, "status": t.status, "rows": t.rows,
                     "title": t.title} for t in found.templates],
                   ("template", "status", "rows", "title"))
        click.echo()
        emit_table([g.to_json() for g in found.gaps],
                   ("severity", "cell", "row", "record", "what", "where"))
    if not found.ready:
        warn(f"{client}: not ready to file (blocking rules broken); "
             "`vendorrisk export --dora-register --client ...` refuses it without --draft")


def register(cli: click.Group) -> None:
    cli.add_command(readiness_cmd)
