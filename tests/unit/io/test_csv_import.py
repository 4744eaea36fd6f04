"""CSV import: entity from the file name, separators, encodings, and what is not CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.errors import InputError
from vendorrisk.io.csv_import import entity_from_name, read_csv


@pytest.mark.parametrize(("name", "entity"), [
    ("domains.csv", "domain"), ("vendorrisk-Contracts-2026.csv", "contract"),
    ("certs.csv", "certification"), ("misc.csv", None)])
def test_entity_from_name(name: str, entity: str | None) -> None:
    assert entity_from_name(Path(name)) == entity


def test_semicolon_separated_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("\ufeffName;Regimes\nAcme;gdpr,dora\n\n".encode())
    (sheet,) = read_csv(path).sheets
    assert sheet.rows == [(2, {"name": "Acme", "regimes": "gdpr,dora"})]


def test_binary_and_non_utf8_and_unknown_kind(tmp_path: Path) -> None:
    binary = tmp_path / "clients.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(InputError, match="not a CSV text file"):
        read_csv(binary)
    latin = tmp_path / "vendors.csv"
    latin.write_bytes("Name,Kind\nSoci\xe9t\xe9,other\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_csv(latin)
    with pytest.raises(InputError, match="cannot tell"):
        read_csv(tmp_path / "data.csv")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "domains.csv"
    path.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_csv(path)
