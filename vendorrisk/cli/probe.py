"""`vendorrisk probe`: live DNS and registration probes, stored or printed as JSON Lines."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.exitcodes import ExitCode
from vendorrisk.cli.output import emit_jsonl


@click.command("probe")
@click.argument("domains", nargs=-1)
@click.option("--client", help="probe every domain of this client")
@click.option("--all", "everything", is_flag=True, help="probe every domain in the inventory")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object per domain (JSON Lines)")
@click.option("--no-store", is_flag=True, help="probe without any database (named domains only)")
@click.option("--resolver", metavar="IP[:PORT]", help="recursive resolver for zone cuts and addresses")
@click.option("--trust-anchor", metavar="FILE", help="root DS/DNSKEY records (zone-file format)")
@click.option("--timeout", type=float, help="seconds per query")
@click.option("--concurrency", type=int, help="domains probed at once")
@click.option("--rate-limit", "dns_rate_limit", type=float, help="queries/s to any one nameserver")
@click.option("--probe-updates", is_flag=True, default=None,
              help="also test for unauthenticated dynamic updates (sends a no-op UPDATE)")
@click.option("--registration-source", type=click.Choice(["auto", "rdap", "whois"]))
@click.option("--rdap-bootstrap", metavar="FILE|URL", help="IANA dns.json to find RDAP servers")
@click.option("--whois-server", metavar="HOST[:PORT]", help="send every WHOIS query here")
@click.option("--refresh", is_flag=True, help="ignore cached registration data")
@click.option("--no-dns", is_flag=True, help="skip the DNS probes")
@click.option("--no-registration", is_flag=True, help="skip RDAP/WHOIS")
@pass_app
def probe(app: AppContext, /, domains: tuple[str, ...], client: str | None, everything: bool,
          as_json: bool, no_store: bool, refresh: bool, no_dns: bool, no_registration: bool,
          **probe_flags: Any) -> None:
    """Probe domains: delegation, operators, DNSSEC, exposure, registration and locks.

    Exits 0 when every probe completed (whatever it found) and 5 when some could not finish.
    """
    from vendorrisk.services.probing import ProbeRequest

    app.with_flags(**{f"probe.{k}": v for k, v in probe_flags.items()})
    if no_store and (client or everything):
        raise click.UsageError("--no-store probes named domains only (no inventory to read)")
    if not (domains or client or everything):
        raise click.UsageError("name domains, or use --client NAME or --all")
    if no_dns and no_registration:
        raise click.UsageError("--no-dns and --no-registration leave nothing to probe")
    request = ProbeRequest(names=domains, client=client, everything=everything,
                           store=not no_store, dns=not no_dns,
                           registration=not no_registration, refresh=refresh)
    service = app.services.probing  # opens the database only if the request stores
    targets = service.targets(request)
    bar = _progress(len(targets)) if sys.stderr.isatty() and not as_json else None

    def on_progress(done: int, total: int, result: Any) -> None:
        if as_json:
            emit_jsonl(result.to_json())
        if bar is not None:
            bar.update(1)

    try:
        summary = asyncio.run(service.run(targets, request, on_progress=on_progress))
    finally:
        if bar is not None:
            bar.render_finish()
    if not as_json:
        click.echo(f"probed {summary.probed} domains: {summary.findings} findings"
                   f" ({summary.new_findings} new, {summary.resolved_findings} resolved),"
                   f" {summary.incomplete} incomplete", err=True)
    if summary.incomplete:
        click.echo(f"incomplete: {', '.join(summary.incomplete_domains[:10])}"
                   + (" …" if summary.incomplete > 10 else ""), err=True)
        raise SystemExit(ExitCode.INCOMPLETE)


def _progress(total: int) -> Any:
    bar = click.progressbar(length=total, label="probing", file=sys.stderr, show_pos=True)
    bar.render_progress()
    return bar


def register(cli: click.Group) -> None:
    cli.add_command(probe)
