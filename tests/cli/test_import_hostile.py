"""Hostile files through ``vendorrisk import``: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.cli.conftest import Result, Run
from tests.fuzz.target_workbooks import _inventory_seeds
from vendorrisk.io import xlsx_guard

VENDORS = "xl/worksheets/sheet3.xml"


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VENDORRISK_DB", db_url)
    return db_url


def _workbook(path: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(io.BytesIO(_inventory_seeds()[1])) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change.pop(item.filename, b"") or src.read(item))
        for name, body in change.items():
            dst.writestr(name, body)
    return path


def _refused(run: Run, result: Result) -> str:
    assert result.code == 2, result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vendorrisk: "), result.err
    listed = run("vendor", "list", "--json")
    assert listed.code == 0 and json.loads(listed.out) == []
    return lines[0]


def test_sheet_xml_cut_short(run: Run, db: str, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(_inventory_seeds()[1])) as seed:
        xml = seed.read(VENDORS)
    path = _workbook(tmp_path / "broken.xlsx", {VENDORS: xml[: len(xml) // 2]})
    line = _refused(run, run("import", str(path)))
    assert line.startswith(f"vendorrisk: broken.xlsx: sheet 'Vendors' ({VENDORS}) line ")
    assert "damaged spreadsheet XML" in line


def test_zip_bomb(run: Run, db: str, tmp_path: Path) -> None:
    bomb = b"<x>" + b" " * (xlsx_guard.MAX_MEMBER_BYTES + 1) + b"</x>"
    path = _workbook(tmp_path / "bomb.xlsx", {"xl/bomb.xml": bomb})
    line = _refused(run, run("import", str(path)))
    assert line == (f"vendorrisk: bomb.xlsx: part xl/bomb.xml: inflates to {len(bomb):,} bytes "
                    f"(at most {xlsx_guard.MAX_MEMBER_BYTES:,}); refused unread")


def test_not_a_zip(run: Run, db: str, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    line = _refused(run, run("import", str(path)))
    assert line.startswith("vendorrisk: fake.xlsx: not an .xlsx spreadsheet (BadZipFile: ")


def test_wrong_charset_csv(run: Run, db: str, tmp_path: Path) -> None:
    path = tmp_path / "vendors.csv"
    path.write_bytes("name,kind\nMüller,registrar\n".encode("latin-1"))
    assert _refused(run, run("import", str(path))) == (
        "vendorrisk: vendors.csv line 2: not UTF-8 text (byte 11) (save it as CSV UTF-8)")
