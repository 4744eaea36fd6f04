"""`vendorrisk questionnaire list|show|send|import|responses`."""

from __future__ import annotations

from pathlib import Path

import click

from vendorrisk.cli.context import AppContext, pass_app
from vendorrisk.cli.output import emit_json, emit_record, emit_table


@click.group("questionnaire")
def questionnaire() -> None:
    """Vendor questionnaires: templates, workbooks to send, answers to import."""


@questionnaire.command("list")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def list_templates(app: AppContext, as_json: bool) -> None:
    """List the questionnaire templates (the shipped ones and those of `questionnaire_dirs`)."""
    rows = app.services.questionnaires.templates()
    emit_json(rows) if as_json else emit_table(rows, ("id", "version", "title", "applies_to",
                                                      "questions"))


@questionnaire.command("show")
@click.argument("template_id")
@click.option("--version", help="a specific template version (default: newest)")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def show_template(app: AppContext, /, template_id: str, version: str | None, as_json: bool) -> None:
    """Show a template's questions, with the answers it treats as risky."""
    detail = app.services.questionnaires.template(template_id, version)
    if as_json:
        emit_json(detail)
        return
    questions = detail.pop("question_list")
    emit_record(detail)
    click.echo()
    emit_table(questions, ("id", "type", "text"))


@questionnaire.command("send")
@click.argument("vendor")
@click.option("--template", "template_id", required=True, help="template id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="workbook to write (.xlsx)")
@click.option("--force", is_flag=True, help="overwrite an existing workbook")
@pass_app
def send(app: AppContext, vendor: str, template_id: str, out: Path, force: bool) -> None:
    """Write a workbook for VENDOR to fill in, and record the questionnaire as sent."""
    response = app.services.questionnaires.send(vendor, template_id, out, force=force)
    click.echo(f"wrote {out} for {response['vendor']} ({template_id} "
               f"v{response['template_version']})", err=True)


@questionnaire.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--vendor", help="vendor name, if not the one the workbook was sent to")
@click.option("--json", "as_json", is_flag=True, help="print the recorded response as JSON")
@pass_app
def import_answers(app: AppContext, path: Path, vendor: str | None, as_json: bool) -> None:
    """Read a filled-in workbook back; every answer is validated, nothing partial is stored."""
    response = app.services.questionnaires.import_file(path, vendor=vendor)
    if as_json:
        emit_json(response)
    else:
        click.echo(f"recorded {len(response['answers'])} answers from {response['vendor']}",
                   err=True)


@questionnaire.command("responses")
@click.option("--vendor", help="only this vendor's")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@pass_app
def responses(app: AppContext, vendor: str | None, as_json: bool) -> None:
    """List recorded questionnaire responses."""
    rows = app.services.questionnaires.responses(vendor)
    if as_json:
        emit_json(rows)
    else:
        for row in rows:
            row["answered"] = len(row["answers"])
        emit_table(rows, ("id", "vendor", "template_id", "template_version", "status",
                          "answered", "received_at"))


def register(cli: click.Group) -> None:
    cli.add_command(questionnaire)
