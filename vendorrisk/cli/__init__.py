"""The command line: one Click group. Importing this module must not import Textual."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from vendorrisk import __version__
from vendorrisk.cli import (
    admin,
    findings,
    functions,
    inventory,
    probe,
    questionnaire,
    readiness,
    score,
)
from vendorrisk.cli.context import AppContext
from vendorrisk.cli.exitcodes import EXIT_CODES_HELP, ExitCode
from vendorrisk.errors import (
    ConfigError,
    InputError,
    NetworkError,
    ProbeError,
    StorageError,
    VendorRiskError,
)
from vendorrisk.masking import MaskingFormatter, mask_secrets
from vendorrisk.warnpolicy import hide_foreign_warnings

HELP = f"""Assess the DNS providers, registrars and DNS-related vendors behind your clients.

Without a command, opens the terminal UI on the configured database.

\b
Exit codes:
{EXIT_CODES_HELP}
"""


@click.group(help=HELP, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", metavar="URL", help="database URL (default: SQLite in the user data dir; "
              "env VENDORRISK_DB)")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="config file (default: see `vendorrisk locate`; env VENDORRISK_CONFIG)")
@click.option("--user", metavar="NAME", help="name recorded in the audit trail")
@click.option("--demo", "open_demo", is_flag=True,
              help="open the TUI on the demo portfolio in a throwaway database")
@click.option("-v", "--verbose", count=True, help="more log output on stderr")
@click.version_option(__version__, prog_name="vendorrisk")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_path: Path | None, user: str | None,
        open_demo: bool, verbose: int) -> None:
    _log_to_stderr(logging.WARNING - 10 * verbose)
    app = AppContext(config_path=config_path, flags={"db": db, "user": user})
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from vendorrisk.cli.tui_launch import launch

        launch(app, demo=open_demo)


def _log_to_stderr(level: int) -> None:
    """Log lines on stderr, every one (a library's too) with its secrets masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


inventory.register(cli)
functions.register(cli)
readiness.register(cli)
admin.register(cli)
probe.register(cli)
questionnaire.register(cli)
score.register(cli)
findings.register(cli)

_EXIT_FOR: tuple[tuple[type[VendorRiskError], ExitCode], ...] = (
    (StorageError, ExitCode.STORAGE),
    (NetworkError, ExitCode.NETWORK),
    (ProbeError, ExitCode.NETWORK),
    (ConfigError, ExitCode.BAD_INPUT),
    (InputError, ExitCode.BAD_INPUT),
)


def exit_code_for(error: VendorRiskError) -> ExitCode:
    return next((code for kind, code in _EXIT_FOR if isinstance(error, kind)), ExitCode.INTERNAL)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: runs the group and turns errors into one line on stderr and an exit code."""
    hide_foreign_warnings()
    try:
        return cli.main(args=argv, prog_name="vendorrisk", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("vendorrisk: aborted", err=True)
        sys.exit(ExitCode.INTERNAL)
    except click.ClickException as exc:
        click.echo(f"vendorrisk: {mask_secrets(exc.format_message())}", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    except VendorRiskError as exc:  # masked here too: a message may quote a library's text
        click.echo(f"vendorrisk: {mask_secrets(str(exc))}", err=True)
        sys.exit(exit_code_for(exc))

from vendorrisk.cli import exports as _exports  # noqa: E402  (export/import/review/changes/evidence)

_exports.register(cli)
