"""The bounds on one WHOIS or RDAP answer before parsing (limits.py)."""

from __future__ import annotations

import json
import time

import pytest

from vendorrisk.probes.registration import limits


def test_size() -> None:
    limits.check_size(b"x" * 10, limit=10)
    with pytest.raises(limits.AnswerLimitError, match="answer of 11 bytes is over the 10-byte"):
        limits.check_size(b"x" * 11, limit=10)


def _nested(depth: int) -> object:
    value: object = 1
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def test_depth_counts_arrays_and_objects() -> None:
    limits.check_depth(_nested(5), limit=5)
    limits.check_depth("scalar", limit=0)
    with pytest.raises(limits.AnswerLimitError, match="nested deeper than 5 levels"):
        limits.check_depth(_nested(6), limit=5)


def test_depth_check_of_a_wide_document_is_fast() -> None:
    wide = json.loads("[" + ",".join(["[0]"] * 500_000) + "]")
    started = time.perf_counter()
    limits.check_depth(wide)
    assert time.perf_counter() - started < 1.0


def test_text_over_the_limit_is_not_decoded_whole() -> None:
    body = "é".encode() * 20
    assert limits.decode_text(body, limit=40) == "é" * 20
    cut = limits.decode_text(body + b"\xff", limit=40)
    assert len(cut) == 41  # Latin-1 of the first limit + 1 bytes
    limits.check_text_size("x" * 40, limit=40)
    with pytest.raises(limits.AnswerLimitError):
        limits.check_text_size(cut, limit=40)


def test_wrong_charset_falls_back_to_latin1() -> None:
    assert limits.decode_text("Grüße".encode("cp1252")) == "Grüße"
    assert limits.decode_text("登録".encode("shift_jis"))  # no exception, some text


def test_the_registry_charset_and_iso_2022_jp_are_read() -> None:
    from vendorrisk.probes.registration import whois

    korean = "등록인: 홍길동\nRegistrant: Hong".encode("euc-kr")
    assert whois.decode(korean, "example.kr").startswith("등록인: 홍길동")
    assert whois.decode(korean, "example.com").endswith("Registrant: Hong")  # Latin-1, no crash
    japanese = "[登録年月日] 2001/03/26".encode("iso-2022-jp")
    assert whois.decode(japanese, "example.jp") == "[登録年月日] 2001/03/26"
    assert limits.decode_text("登録".encode()) == "登録"
