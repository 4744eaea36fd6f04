"""Formula-injection defence: hostile text is written as literal text, never as a formula."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from vendorrisk.io.safe_cells import FORMULA_TRIGGERS, is_dangerous, restore_text, safe_text

HOSTILE = ["=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", " =HYPERLINK(\"x\")",
           "=cmd|' /C calc'!A0", "\uff1d1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_quoted(text: str) -> None:
    assert safe_text(text) == "'" + text
    assert restore_text(safe_text(text)) == text


@pytest.mark.parametrize("value", ["Acme", "", "a=b", "'quoted", 5, 1.5, None, True,
                                   date(2026, 1, 1)])
def test_harmless_values_pass_through(value: object) -> None:
    assert safe_text(value) == value
    assert restore_text(value) == value


def test_illegal_xml_characters_are_dropped() -> None:
    assert safe_text("a\x00b\x1fc") == "abc"


def test_hostile_cells_are_text_in_a_saved_workbook(tmp_path: Path) -> None:
    wb = Workbook()
    for i, text in enumerate(HOSTILE, start=1):
        wb.worksheets[0].cell(row=i, column=1, value=safe_text(text))
    wb.save(tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx").worksheets[0]
    for i, text in enumerate(HOSTILE, start=1):
        cell = ws.cell(row=i, column=1)
        # XML turns a bare CR into LF on reading; the text stays text either way.
        assert cell.data_type == "s" and restore_text(cell.value) == text.replace("\r", "\n")


@given(st.text())
def test_safe_text_never_yields_a_formula(text: str) -> None:
    out = safe_text(text)
    assert isinstance(out, str)
    assert not is_dangerous(out)
    assert not out.lstrip(" ").startswith(FORMULA_TRIGGERS)
    assert not out.startswith("=")
