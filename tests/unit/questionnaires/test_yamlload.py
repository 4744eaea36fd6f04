"""The data-file YAML loader: YAML 1.2 booleans, line marks, duplicate keys, read errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from vendorrisk.datafiles import MarkedDict, MarkedList, load_yaml
from vendorrisk.errors import ConfigError


def test_yes_no_on_off_stay_strings(tmp_path: Path) -> None:
    p = tmp_path / "a.yaml"
    p.write_text("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: [y, n]\nh: 2026-01-02\n")
    data = load_yaml(p)
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False,
                    "g": ["y", "n"], "h": date(2026, 1, 2)}
    assert yaml.safe_load("a: yes") == {"a": True}  # PyYAML itself is left as it was


def test_lines_are_recorded(tmp_path: Path) -> None:
    p = tmp_path / "a.yaml"
    p.write_text("top: 1\nlist:\n  - x: 1\n    y: 2\n  - z\n")
    data = load_yaml(p)
    assert isinstance(data, MarkedDict) and data.line == 1
    assert data.line_of("list") == 2
    items = data["list"]
    assert isinstance(items, MarkedList) and items.line_of(1) == 5
    assert items[0].line_of("y") == 4


@pytest.mark.parametrize(("text", "message"), [
    ("a: 1\na: 2\n", ":2: duplicate key 'a'"),
    ("a: [1, 2\n", ":2: "),
    ("? [1]\n: x\n", "a mapping key must be a plain value"),
    ("a: !!python/object:os.system x\n", "could not determine a constructor"),
])
def test_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "a.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_yaml(p)
    assert str(p) in caught.value.message and message in caught.value.message


def test_unreadable_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read file"):
        load_yaml(tmp_path / "missing.yaml")
    p = tmp_path / "latin1.yaml"
    p.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_yaml(p)
