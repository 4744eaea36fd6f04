"""`vendorrisk client|vendor|domain|contract|cert add|list|show|edit|rm`, generated from the
field definitions in :mod:`vendorrisk.portfolio.fields` so the CLI, imports and the TUI share one set
of rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.output import emit_json, emit_record, emit_table
from vendorrisk.portfolio.fields import ENTITY_FIELDS, FieldSpec, range_text

# command name -> (entity, positional key field on add, columns for `list`, list filters)
_COMMANDS: dict[str, tuple[str, str | None, tuple[str, ...], tuple[str, ...]]] = {
    "client": ("client", "name", ("name", "regimes", "residency", "account_manager"), ()),
    "vendor": ("vendor", "name", ("name", "kind", "tier", "status", "catalog_key",
                                  "data_locations"), ()),
    "domain": ("domain", "name", ("name_unicode", "client", "registrar", "dns_providers",
                                  "criticality"), ("client", "vendor")),
    "contract": ("contract", None, ("id", "vendor", "reference", "client", "start_date",
                                    "end_date", "auto_renew", "notice_days_customer"),
                 ("client", "vendor")),
    "cert": ("certification", None, ("id", "vendor", "cert_type", "issued", "valid_until",
                                     "period_end"), ("vendor",)),
}
_KEY_HELP = {
    "client": "NAME", "vendor": "NAME", "domain": "NAME",
    "contract": "ID or REFERENCE", "cert": "ID",
}


def _option_name(spec: FieldSpec) -> str:
    return "--" + spec.name.replace("_", "-")


def field_options(entity: str, skip: str | tuple[str, ...] | None, *,
                  edit: bool) -> list[click.Option]:
    """One option per field of ``entity`` (``--rto-hours``), but those named in ``skip``."""
    skipped = skip if isinstance(skip, tuple) else (skip,)
    options = []
    for spec in ENTITY_FIELDS[entity]:
        if spec.name in skipped:
            continue
        choices = [m.value for m in spec.enum] if spec.enum else list(spec.choices)
        hint = f" [{'|'.join(choices)}]" if choices and spec.kind != "list" else ""
        required = spec.required and not edit
        help_text = (spec.help or spec.name.replace("_", " ")) + hint
        if spec.kind in ("list", "location_list", "reflist"):
            help_text += " (comma-separated)"
        if spec.kind == "bool":
            help_text += " (yes/no)"
        if spec.kind == "date":
            help_text += " (YYYY-MM-DD)"
        if spec.kind in ("int", "decimal"):
            help_text += f" ({range_text(spec)})"
        options.append(click.Option([_option_name(spec), spec.name], required=False,
                                    help=help_text + (" [required]" if required else "")))
    return options


def collect(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


def _make_group(command: str) -> click.Group:
    entity, key_field, columns, filters = _COMMANDS[command]
    group = click.Group(command, help=f"Manage {entity} records.")

    def add_callback(app: AppContext, as_json: bool, **kwargs: Any) -> None:
        record = app.services.inventory.create(entity, collect(kwargs))
        print_one(record, as_json)

    add_params: list[click.Parameter] = []
    if key_field:
        add_params.append(click.Argument([key_field]))
    add_params += field_options(entity, key_field, edit=False)
    group.add_command(make_command("add", f"Add a {entity}.", add_callback, add_params, json_flag=True))

    def list_callback(app: AppContext, as_json: bool, **kwargs: Any) -> None:
        rows = app.services.inventory.list(entity, **collect(kwargs))
        if as_json:
            emit_json(rows)
        else:
            emit_table(rows, columns)

    list_params: list[click.Parameter] = [
        click.Option([f"--{f}"], f, help=f"only those of this {f}") for f in filters
    ]
    group.add_command(make_command("list", f"List {entity} records.", list_callback, list_params,
                               json_flag=True))

    def show_callback(app: AppContext, key: str, as_json: bool) -> None:
        print_one(app.services.inventory.get(entity, key), as_json)

    group.add_command(make_command("show", f"Show one {entity}.", show_callback,
                               [click.Argument(["key"], metavar=_KEY_HELP[command])],
                               json_flag=True))

    def edit_callback(app: AppContext, key: str, as_json: bool, **kwargs: Any) -> None:
        record = app.services.inventory.update(entity, key, collect(kwargs))
        print_one(record, as_json)

    edit_params: list[click.Parameter] = [click.Argument(["key"], metavar=_KEY_HELP[command])]
    edit_params += field_options(entity, None, edit=True)
    group.add_command(make_command("edit", f"Change fields of a {entity} (empty value clears).",
                               edit_callback, edit_params, json_flag=True))

    def rm_callback(app: AppContext, key: str) -> None:
        removed = app.services.inventory.delete(entity, key)
        click.echo(f"removed {entity} {removed.get('name') or removed.get('id')}", err=True)

    group.add_command(make_command("rm", f"Remove a {entity} (refused while still referenced).",
                               rm_callback, [click.Argument(["key"],
                                                            metavar=_KEY_HELP[command])]))
    if entity == "vendor":
        group.add_command(_subcontractors_command())
    return group


def _subcontractors_command() -> click.Command:
    def callback(app: AppContext, key: str, chain: str | None, as_json: bool) -> None:
        inventory = app.services.inventory
        record = (inventory.set_subcontracting_chain(key, chain) if chain is not None
                  else inventory.get("vendor", key))
        if as_json:
            emit_json(record["subcontractors"])
        else:
            emit_table(record["subcontractors"], ("rank", "name", "service"))

    return make_command(
        "subcontractors", "Show a vendor's ranked subcontracting chain (DORA B_05.02), or "
        "replace it with --set.", callback,
        [click.Argument(["key"], metavar="NAME"),
         click.Option(["--set", "chain"], metavar="CHAIN",
                      help="the whole chain, e.g. '1. Akamai (anycast); 2. Equinix'; every "
                           "name must be a vendor already; an empty text clears it")],
        json_flag=True)


def make_command(name: str, help_text: str, callback: Callable[..., None],
             params: list[click.Parameter], *, json_flag: bool = False) -> click.Command:
    if json_flag:
        params = [*params, click.Option(["--json", "as_json"], is_flag=True,
                                        help="print JSON instead of text")]

    @pass_app
    def run(app: AppContext, /, **kwargs: Any) -> None:
        callback(app, **kwargs)

    return click.Command(name, callback=run, params=params, help=help_text)


def print_one(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(record)
    else:
        emit_record(record)


def register(cli: click.Group) -> None:
    for command in _COMMANDS:
        cli.add_command(_make_group(command))
