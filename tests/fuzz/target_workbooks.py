"""Fuzz targets for the spreadsheet and CSV readers (issue #15): the inventory workbook, the
questionnaire workbook and the CSV import, each fed as far as the import feeds it (rows
through the field validation, answers through the answer validation).

Seeds are written at run time by the project's own writers, then filled with a few rows.
"""

from __future__ import annotations

import contextlib
import functools
import io
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.fuzz.harness import Target
from vendorrisk.io.chain import parse_chain
from vendorrisk.io.csv_import import read_csv
from vendorrisk.io.questionnaire_format import ANSWER_COL, EVIDENCE_COL, SHEET_QUESTIONS
from vendorrisk.io.questionnaire_read import read_questionnaire
from vendorrisk.io.questionnaire_xlsx import write_questionnaire
from vendorrisk.io.xlsx_export import INVENTORY_SHEETS
from vendorrisk.io.xlsx_import import (
    ENTITY_ORDER,
    SUBCONTRACTORS,
    ReadResult,
    read_workbook,
    write_template,
)
from vendorrisk.portfolio import fields
from vendorrisk.questionnaires import Template, load_templates

INVENTORY_ROWS: dict[str, list[dict[str, Any]]] = {
    "client": [{"name": "Acme Ltd", "regimes": "gdpr, nis2", "residency": "EU",
                "account_manager": "Ann", "notes": "main client"},
               {"name": "Beta GmbH", "regimes": "dora", "residency": "DE"}],
    "vendor": [{"name": "Cloudflare", "kind": "dns_provider", "catalog_key": "cloudflare",
                "hq_country": "US", "data_locations": "EU,US", "tier": 1, "status": "active"},
               {"name": "Gandi", "kind": "registrar", "legal_name": "Gandi SAS",
                "hq_country": "FR", "data_locations": "EU", "tier": 2}],
    "domain": [{"name": "acme.example", "client": "Acme Ltd", "registrar": "Gandi",
                "dns_providers": "Cloudflare", "criticality": "high"}],
    "contract": [{"vendor": "Cloudflare", "reference": "CF-2026", "client": "Acme Ltd",
                  "start_date": date(2026, 1, 1), "end_date": date(2027, 1, 1),
                  "auto_renew": "yes", "renewal_term_months": 12, "notice_days_customer": 30,
                  "sla_uptime": 99.99, "annual_value": 1200.5, "currency": "EUR"}],
    "certification": [{"vendor": "Cloudflare", "cert_type": "iso27001",
                       "issued": date(2025, 3, 1), "valid_until": date(2028, 3, 1)}],
}
"""A few rows per sheet, by field (the template has one column per field)."""
CSV_SEEDS: tuple[str, ...] = (
    "vendor,reference,start_date,end_date,auto_renew,renewal_term_months,sla_uptime,"
    "annual_value,currency\nCloudflare,CF-1,2026-01-01,2027-01-01,yes,12,99.95,1200.50,EUR\n"
    "Gandi,G-7,2025-05-01,,no,,,300,USD\n",
    "name;kind;hq_country;tier;data_locations;subcontractors\n"
    "Cloudflare;dns_provider;US;1;EU,US;1. Akamai (anycast)\nGandi;registrar;FR;2;EU;\n",
    "name,client,registrar,dns_providers,criticality\n"
    "acme.example,Acme Ltd,Gandi,\"Cloudflare, NS1\",high\n",
    "name\tregimes\tresidency\nAcme Ltd\tgdpr\tEU\n",
)


def _save(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@functools.cache
def _inventory_seeds() -> tuple[bytes, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        empty = write_template(Path(tmp) / "template.xlsx")
        blank = empty.read_bytes()
        wb = load_workbook(empty)
    for entity, rows in INVENTORY_ROWS.items():
        names = [spec.name for spec in fields.ENTITY_FIELDS[entity]]
        for row in rows:
            wb[INVENTORY_SHEETS[entity]].append([row.get(name) for name in names])
    return blank, _save(wb)


def _validate(result: ReadResult) -> None:
    """What the import service does with each row before touching the database."""
    for sheet in result.sheets:
        for _, raw in sheet.rows:
            values = dict(raw)
            values.pop("id", None)
            parse_chain(values.pop(SUBCONTRACTORS, None))
            with contextlib.suppress(fields.ValidationError):
                fields.clean(sheet.entity, values)


def _inventory_call(data: bytes, scratch: Path) -> None:
    path = scratch / "inventory.xlsx"
    path.write_bytes(data)
    _validate(read_workbook(path))


@functools.cache
def _templates() -> dict[str, Template]:
    return load_templates()


def _answers(template: Template) -> dict[str, Any]:
    sample = {"yes_no": "yes", "number": 30, "date": date(2026, 1, 1), "text": "fine"}
    out: dict[str, Any] = {}
    for q in template.questions:
        value = q.choices[0] if q.choices else sample.get(q.type.value)
        if value is not None:
            out[q.id] = value
    return out


@functools.cache
def _questionnaire_seeds() -> tuple[bytes, ...]:
    seeds: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        for template in list(_templates().values())[:2]:
            path = write_questionnaire(template, "Acme DNS", Path(tmp) / f"{template.id}.xlsx")
            seeds.append(path.read_bytes())
            wb = load_workbook(path)
            ws = wb[SHEET_QUESTIONS]
            rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
            for qid, value in _answers(template).items():
                ws.cell(row=rows[qid], column=ANSWER_COL, value=value)
                ws.cell(row=rows[qid], column=EVIDENCE_COL, value="see the SOC 2 report")
            seeds.append(_save(wb))
    return tuple(seeds)


def _questionnaire_call(data: bytes, scratch: Path) -> None:
    path = scratch / "answers.xlsx"
    path.write_bytes(data)
    read_questionnaire(path, _templates())


def _csv_seeds() -> Sequence[bytes]:
    return [text.encode() for text in CSV_SEEDS]


def _csv_call(data: bytes, scratch: Path) -> None:
    path = scratch / "import.csv"
    path.write_bytes(data)
    for entity in ENTITY_ORDER:
        _validate(read_csv(path, entity))


TARGETS = [
    Target("inventory_xlsx", _inventory_seeds, _inventory_call, zipped=True),
    Target("questionnaire_xlsx", _questionnaire_seeds, _questionnaire_call, zipped=True),
    Target("csv_import", _csv_seeds, _csv_call),
]
