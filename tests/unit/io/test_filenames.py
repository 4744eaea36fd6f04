"""Output names: one slug function; the all-clients name never equals a per-client name."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from vendorrisk.io import filenames as F

DAY = date(2026, 12, 7)
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


@pytest.mark.parametrize(("name", "expected"), [
    ("Acme Bank", "acme-bank"),
    ("Baltic Pay UAB", "baltic-pay-uab"),
    ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
    ("Straße AG", "strasse-ag"),
    ("Сбербанк", "xn--80abap1arsf"),
    ("bücher.example", "bucher-example"),
    ("../../etc/passwd", "etc-passwd"),
    ("a/b\\c:d", "a-b-c-d"),
    ("  ...  ", "client"),
    ("", "client"),
])
def test_slug(name: str, expected: str) -> None:
    assert F.slug(name) == expected


@pytest.mark.parametrize("name", ["東京銀行", "Ærø Bank", "x" * 300, "-leading", ".hidden",
                                  "tab\there", "NUL\x00byte", "emoji 🏦 bank", "_under_"])
def test_slug_is_always_a_safe_file_name_part(name: str) -> None:
    part = F.slug(name)
    assert SLUG.match(part), part
    assert part.isascii() and len(part) <= F.MAX_SLUG


def test_names_carry_client_and_date() -> None:
    assert F.workbook_name("Baltic Pay UAB", DAY) == "vendorrisk-baltic-pay-uab-2026-12-07.xlsx"
    assert F.workbook_name(None, DAY) == "vendorrisk-all-2026-12-07.xlsx"
    assert F.dora_register_name("Baltic Pay UAB", DAY) == "dora-register-baltic-pay-uab-2026-12-07"
    assert F.evidence_name("Baltic Pay UAB", "2026-11") == "evidence-baltic-pay-uab-2026-11"


@pytest.mark.parametrize("client", ["All", "ALL", " all ", "all!", "Àll", "all clients", "a"])
def test_the_all_clients_name_differs_from_every_client_name(client: str) -> None:
    assert F.workbook_name(client, DAY) != F.workbook_name(None, DAY)
    assert F.scope(client) != F.ALL_CLIENTS


def test_free_path_keeps_earlier_files(tmp_path: Path) -> None:
    first = tmp_path / "vendorrisk-all-2026-03-31.xlsx"
    assert F.free_path(first) == first
    first.write_text("x")
    second = F.free_path(first)
    assert second.name == "vendorrisk-all-2026-03-31-2.xlsx"
    second.write_text("y")
    assert F.free_path(first).name == "vendorrisk-all-2026-03-31-3.xlsx"


def test_view_names_carry_client_view_and_time() -> None:
    at = datetime(2026, 3, 31, 9, 5, 7)
    assert (F.view_name("Vendors — Baltic Pay UAB", "Baltic Pay UAB", at)
            == "vendorrisk-baltic-pay-uab-vendors-20260331-090507.xlsx")
    assert F.view_name("Findings", None, at) == "vendorrisk-all-findings-20260331-090507.xlsx"
    assert F.view_name("Findings", "Acme/../x", at) == "vendorrisk-acme-x-findings-20260331-090507.xlsx"


def test_client_parts_never_collide_and_earlier_ones_never_change() -> None:
    clients = {1: "a-b", 2: "a/b", 3: "..", 4: "Client", 5: "中" * 200, 6: "中" * 201,
               7: "All", 8: "a-b-2"}
    parts = {cid: F.client_part(cid, clients) for cid in clients}
    assert len(set(parts.values())) == len(parts)  # unique
    assert parts[1] == "a-b" and parts[2] == "a-b-2" and parts[8] == "a-b-2-8"
    assert parts[7] != F.ALL_CLIENTS and parts[3] == "client" and parts[4] == "client-4"
    assert all(SLUG.match(p) and len(p.encode()) <= F.MAX_SLUG for p in parts.values())
    assert parts[5] != parts[6]
    later = {**clients, 9: "A B"}
    assert {cid: F.client_part(cid, later) for cid in clients} == parts  # a new client changes no name
    names = {F.workbook_name(p, DAY) for p in parts.values()} | {F.workbook_name(None, DAY)}
    assert len(names) == len(parts) + 1
