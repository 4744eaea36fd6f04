"""`vendorrisk score`: lock-in and compliance risk, 0-100, with the factors behind them."""

from __future__ import annotations

import click

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.output import emit_json, emit_table


@click.command("score")
@click.option("--client", help="one client (default: every client)")
@click.option("--vendor", help="one vendor")
@click.option("--domain", help="one domain")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.option("--explain", is_flag=True,
              help="list every factor: points, weight, evidence, source, and what removes it")
@pass_app
def score(app: AppContext, client: str | None, vendor: str | None, domain: str | None,
          as_json: bool, explain: bool) -> None:
    """Recompute scores (a snapshot is kept) and show them."""
    from vendorrisk.scoring.factors import render_explanation

    if sum(x is not None for x in (client, vendor, domain)) > 1:
        raise click.UsageError("give at most one of --client, --vendor, --domain")
    scores = app.services.scoring.explain(client=client, vendor=vendor, domain=domain)
    if as_json:
        payload = [s.to_json() for s in scores]
        if not explain:
            for item in payload:
                item.pop("factors", None)
        emit_json(payload if len(payload) != 1 or not (client or vendor or domain)
                  else payload[0])
        return
    if explain:
        click.echo("\n\n".join(render_explanation(s) for s in scores))
        return
    emit_table([{"subject": s.subject, "lockin": f"{s.lockin:.1f}", "band": s.band_lockin,
                 "coverage": f"{s.coverage_lockin:.0%}", "compliance": f"{s.compliance:.1f}",
                 "band ": s.band_compliance, "coverage ": f"{s.coverage_compliance:.0%}"}
                for s in scores],
               ("subject", "lockin", "band", "coverage", "compliance", "band ", "coverage "))


def register(cli: click.Group) -> None:
    cli.add_command(score)
