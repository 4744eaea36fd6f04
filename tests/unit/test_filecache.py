"""Data files are parsed once while unchanged, and again as soon as they change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.errors import ConfigError
from vendorrisk.filecache import parse_once


def test_parsed_once_until_the_file_changes(tmp_path: Path) -> None:
    calls: list[str] = []

    def parse(path: Path) -> str:
        calls.append(path.read_text())
        return calls[-1].upper()

    file = tmp_path / "data.txt"
    file.write_text("one")
    assert parse_once(file, parse) == "ONE"
    assert parse_once(file, parse) == "ONE"
    assert calls == ["one"]
    file.write_text("two!")  # another size
    assert parse_once(file, parse) == "TWO!"
    stat = file.stat()
    file.write_text("six!")  # same size, a later mtime
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert parse_once(file, parse) == "SIX!"
    assert calls == ["one", "two!", "six!"]


def test_missing_file_is_the_parsers_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read provider catalog"):
        load_provider_catalog(tmp_path / "absent.yaml")


def test_an_edited_catalog_takes_effect(tmp_path: Path) -> None:
    file = tmp_path / "providers.yaml"
    file.write_text("providers: {}\n")
    assert load_provider_catalog(file).providers == {}
    file.write_text("providers:\n  - bad\n")
    with pytest.raises(ConfigError):
        load_provider_catalog(file)
