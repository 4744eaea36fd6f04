"""`vendorrisk function add|list|show|edit|rm --client X`: a client's DORA functions (register
template B_06.01), through the function service the TUI uses too."""

from __future__ import annotations

from typing import Any

import click

from vendorrisk.cli.context import AppContext
from vendorrisk.cli.inventory import collect, field_options, make_command, print_one
from vendorrisk.cli.output import emit_json, emit_table

ENTITY = "dora_function"
COLUMNS = ("identifier", "name", "criticality", "rto_hours", "rpo_hours", "last_assessed",
           "contracts")


def _client() -> click.Option:
    return click.Option(["--client"], required=True, help="the client (financial entity)")


def _identifier(dest: str = "identifier") -> click.Argument:
    return click.Argument([dest], metavar="IDENTIFIER")


def _group() -> click.Group:
    group = click.Group("function", help="Manage a client's DORA functions (register B_06.01): "
                        "criticality, RTO, RPO and the contracts that support each.")

    def add(app: AppContext, identifier: str, client: str, as_json: bool, **kw: Any) -> None:
        raw = {**collect(kw), "identifier": identifier, "client": client}
        print_one(app.services.functions.create(raw), as_json)

    def listing(app: AppContext, client: str, as_json: bool) -> None:
        rows = app.services.functions.list(client)
        if as_json:
            emit_json(rows)
        else:
            emit_table(rows, COLUMNS)

    def show(app: AppContext, identifier: str, client: str, as_json: bool) -> None:
        print_one(app.services.functions.get(client, identifier), as_json)

    def edit(app: AppContext, key: str, client: str, as_json: bool, **kw: Any) -> None:
        print_one(app.services.functions.update(client, key, collect(kw)), as_json)

    def remove(app: AppContext, identifier: str, client: str) -> None:
        removed = app.services.functions.delete(client, identifier)
        click.echo(f"removed function {removed['identifier']} of {removed['client']}", err=True)

    group.add_command(make_command(
        "add", "Add a function.", add,
        [_identifier(), _client(), *field_options(ENTITY, ("client", "identifier"), edit=False)],
        json_flag=True))
    group.add_command(make_command("list", "List a client's functions.", listing, [_client()],
                                   json_flag=True))
    group.add_command(make_command("show", "Show one function.", show,
                                   [_identifier(), _client()], json_flag=True))
    group.add_command(make_command(
        "edit", "Change fields of a function (empty value clears; --contracts replaces the "
        "list of supporting contracts).", edit,
        [_identifier("key"), _client(), *field_options(ENTITY, "client", edit=True)],
        json_flag=True))
    group.add_command(make_command("rm", "Remove a function (its contracts keep their "
                                   "supported-function text).", remove,
                                   [_identifier(), _client()]))
    return group


def register(cli: click.Group) -> None:
    cli.add_command(_group())
