"""The spreadsheet and CSV readers under fuzzing (issue #15): only project errors, one line,
within the bound; plus the hostile files that once crashed them, by name."""

from __future__ import annotations

import io
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.harness import Target, inputs, regressions, run_case
from tests.fuzz.target_workbooks import TARGETS, _inventory_seeds, _questionnaire_seeds
from vendorrisk.errors import InputError
from vendorrisk.io import xlsx_guard
from vendorrisk.io.csv_import import read_csv
from vendorrisk.io.questionnaire_read import read_questionnaire
from vendorrisk.io.xlsx_import import read_workbook
from vendorrisk.questionnaires import load_templates
from vendorrisk.warnpolicy import hide_foreign_warnings

BY_NAME = {t.name: t for t in TARGETS}


@pytest.fixture(autouse=True)
def _as_the_cli_runs() -> Iterator[None]:
    """openpyxl's warnings about a user's file hidden, as the CLI hides them (the suite
    turns warnings into errors)."""
    with warnings.catch_warnings():
        hide_foreign_warnings()
        yield


def _fuzz(target: Target) -> None:
    @settings(derandomize=True, max_examples=150, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(inputs(target))
    def case(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run_case(target, data, Path(tmp))
        assert outcome.kind in ("ok", "clean"), (outcome.kind, repr(outcome.error))

    case()


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_fuzzed_inputs_give_only_project_errors(name: str) -> None:
    _fuzz(BY_NAME[name])


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_kept_regressions(name: str, tmp_path: Path) -> None:
    target = BY_NAME[name]
    for file, data in regressions(target):
        outcome = run_case(target, data, tmp_path / file)
        assert outcome.kind in ("ok", "clean"), (file, outcome.kind, repr(outcome.error))


# -- hostile files, one by one ------------------------------------------------------------------
def _rezip(seed: bytes, path: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(io.BytesIO(seed)) as src, zipfile.ZipFile(path, "w",
                                                                    zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change.get(item.filename, src.read(item)))
        for name in change.keys() - set(src.namelist()):
            dst.writestr(name, change[name])
    return path


def _member(seed: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        return archive.read(name)


def _error(call: object) -> str:
    assert callable(call)
    with pytest.raises(InputError) as caught:
        call()
    message = caught.value.message
    assert "\n" not in message
    return message


VENDORS = "xl/worksheets/sheet3.xml"  # Instructions, Clients, Vendors, ...


def test_sheet_xml_cut_short(tmp_path: Path) -> None:
    seed = _inventory_seeds()[1]
    xml = _member(seed, VENDORS)
    path = _rezip(seed, tmp_path / "cut.xlsx", {VENDORS: xml[: len(xml) // 2]})
    message = _error(lambda: read_workbook(path))
    assert message.startswith(f"cut.xlsx: sheet 'Vendors' ({VENDORS}) line ")
    assert message.endswith(": damaged spreadsheet XML (no element found)")


def test_zip_bomb_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = _inventory_seeds()[1]
    bomb = b"<x>" + b" " * (xlsx_guard.MAX_MEMBER_BYTES + 1) + b"</x>"
    path = _rezip(seed, tmp_path / "bomb.xlsx", {"xl/bomb.xml": bomb})
    read = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: (
        pytest.fail("inflated") if "bomb" in str(getattr(name, "filename", name))
        else read(self, name, pwd)))
    started = time.perf_counter()
    message = _error(lambda: read_workbook(path))
    assert time.perf_counter() - started < 1
    assert message == (f"bomb.xlsx: part xl/bomb.xml: inflates to {len(bomb):,} bytes (at most "
                       f"{xlsx_guard.MAX_MEMBER_BYTES:,}); refused unread")


def test_compression_ratio_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "MAX_MEMBER_BYTES", 2**30)
    seed = _inventory_seeds()[1]
    bomb = b"<x>" + b" " * (4 * 2**20) + b"</x>"
    path = _rezip(seed, tmp_path / "ratio.xlsx", {"xl/bomb.xml": bomb})
    message = _error(lambda: read_workbook(path))
    assert message.startswith("ratio.xlsx: part xl/bomb.xml: inflates ")
    assert message.endswith(f" times (at most {xlsx_guard.MAX_RATIO}); refused unread as a "
                            "zip bomb")


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    seed = _inventory_seeds()[1]
    laughs = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
              b"<x>&a;</x>")
    path = _rezip(seed, tmp_path / "dtd.xlsx", {"docProps/app.xml": laughs})
    assert _error(lambda: read_workbook(path)) == (
        "dtd.xlsx: part docProps/app.xml line 1: a DTD is not allowed in a workbook part")


def test_too_many_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "MAX_CELLS", 10)
    path = tmp_path / "big.xlsx"
    path.write_bytes(_inventory_seeds()[1])
    assert _error(lambda: read_workbook(path)) == (
        "big.xlsx: more than 10 cells in the workbook; split it into smaller files")


def test_lone_far_cell_is_cheap(tmp_path: Path) -> None:
    seed = _inventory_seeds()[1]
    xml = _member(seed, VENDORS).replace(b'<dimension ref="A1:M3" />',
                                         b'<dimension ref="A1:XFD1048576" />').replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
        b"</c></row></sheetData>")
    path = _rezip(seed, tmp_path / "far.xlsx", {VENDORS: xml})
    started = time.perf_counter()
    result = read_workbook(path)
    assert time.perf_counter() - started < 2
    assert "more than 50,000 rows in one sheet" in str(result.problems[-1])


def test_huge_number_in_a_numeric_cell(tmp_path: Path) -> None:
    seed = _inventory_seeds()[1]
    xml = _member(seed, VENDORS)
    assert b"<v>2</v>" in xml  # Gandi's tier
    path = _rezip(seed, tmp_path / "inf.xlsx", {VENDORS: xml.replace(b"<v>2</v>", b"<v>1e999</v>")})
    problems = [str(p) for p in read_workbook(path).problems]
    assert problems == ["Vendors row 3 column Tier: is not a finite number (inf)"]


def test_huge_number_in_a_date_cell(tmp_path: Path) -> None:
    seed = _inventory_seeds()[1]
    sheet = "xl/worksheets/sheet5.xml"  # Contracts: start_date is a date-formatted number
    xml = _member(seed, sheet)
    start = xml.index(b"<v>", xml.index(b'r="E2"'))
    end = xml.index(b"</v>", start)
    path = _rezip(seed, tmp_path / "date.xlsx", {sheet: xml[:start] + b"<v>1e999" + xml[end:]})
    problems = [str(p) for p in read_workbook(path).problems]
    assert problems == ["Contracts row 2 column Start date *: holds a spreadsheet error "
                        "(#VALUE!); enter the value itself"]


def test_huge_number_in_a_questionnaire_answer(tmp_path: Path) -> None:
    seed = _questionnaire_seeds()[1]
    sheet = "xl/worksheets/sheet3.xml"
    xml = _member(seed, sheet)
    assert b"<v>30</v>" in xml
    for huge, shown in ((b"1e999", "not a finite number (inf)"),
                        (b"9" * 400, "expected a finite number, got one out of range")):
        changed = xml.replace(b"<v>30</v>", b"<v>" + huge + b"</v>", 1)
        path = _rezip(seed, tmp_path / "q.xlsx", {sheet: changed})
        message = _error(lambda path=path: read_questionnaire(path, load_templates()))
        assert message.startswith(f"{path}: Questionnaire!F")
        assert message.endswith(f": {shown}")


def test_questionnaire_sheet_cut_short(tmp_path: Path) -> None:
    seed = _questionnaire_seeds()[1]
    sheet = "xl/worksheets/sheet3.xml"
    xml = _member(seed, sheet)
    path = _rezip(seed, tmp_path / "q.xlsx", {sheet: xml[: len(xml) // 2]})
    message = _error(lambda: read_questionnaire(path, load_templates()))
    assert message.startswith(f"{path}: file: sheet 'Questionnaire' ({sheet}) line ")
    assert message.endswith("damaged spreadsheet XML (unclosed token)")


def test_huge_number_in_a_csv_field(tmp_path: Path) -> None:
    from vendorrisk.portfolio import fields

    path = tmp_path / "contracts.csv"
    path.write_text("vendor,reference,start_date,renewal_term_months,annual_value\n"
                    f"NS1,R-1,2026-01-01,{'9' * 5000},1e999\n")
    (sheet,) = read_csv(path).sheets
    with pytest.raises(fields.ValidationError) as caught:
        fields.clean("contract", sheet.rows[0][1])
    assert [p.field for p in caught.value.problems] == ["renewal_term_months", "annual_value"]
    assert "\n" not in caught.value.message


def test_wrong_charset_csv(tmp_path: Path) -> None:
    path = tmp_path / "vendors.csv"
    path.write_bytes("name,kind\nCloudflare,dns_provider\nMüller,registrar\n".encode("latin-1"))
    assert _error(lambda: read_csv(path)) == "vendors.csv line 3: not UTF-8 text (byte 35)"
    path.write_bytes("name,kind\nCloudflare,dns_provider\n".encode("utf-16"))
    assert _error(lambda: read_csv(path)) == "vendors.csv line 1: UTF-16 text, not UTF-8"
