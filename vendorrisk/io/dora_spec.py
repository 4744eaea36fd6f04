"""The DORA register specification, ``data/dora-register.yaml``: templates, keys, lists."""

from __future__ import annotations

from functools import cache
from typing import Any

from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.errors import ConfigError
from vendorrisk.paths import data_file

TEMPLATES: tuple[str, ...] = (
    "B_01.01", "B_01.02", "B_01.03", "B_02.01", "B_02.02", "B_02.03", "B_03.01", "B_03.02",
    "B_03.03", "B_04.01", "B_05.01", "B_05.02", "B_06.01", "B_07.01", "B_99.01",
)


@cache
def spec() -> dict[str, Any]:
    path = data_file("dora-register.yaml")
    data = load_yaml(path, what="the DORA register specification")
    if not isinstance(data, dict) or set(TEMPLATES) - set(data.get("templates", {})):
        line = line_of(data, "templates") if isinstance(data, dict) else line_of(data)
        raise ConfigError(f"{path}:{line or 1}: templates {', '.join(TEMPLATES)} are required")
    return data


def template(name: str) -> dict[str, Any]:
    return dict(spec()["templates"][name])


def columns(name: str) -> list[str]:
    return [str(c["code"]) for c in template(name)["columns"]]


def column_name(name: str, code: str) -> str:
    return str(next(c["name"] for c in template(name)["columns"] if c["code"] == code))


def keys(name: str) -> list[str]:
    return [str(k) for k in template(name).get("keys") or []]


def required(name: str) -> list[str]:
    return [str(k) for k in template(name).get("required") or []]


def foreign_keys(name: str) -> dict[str, list[tuple[str, str]]]:
    """column -> the (template, column) targets it may point into."""
    out: dict[str, list[tuple[str, str]]] = {}
    for col, targets in (template(name).get("foreign_keys") or {}).items():
        out[str(col)] = [(t.rsplit(".", 1)[0], t.rsplit(".", 1)[1])
                         for t in str(targets).split("|")]
    return out


def qname(list_name: str, value: Any) -> str | None:
    """The EBA QName of vendorrisk value ``value`` in closed list ``list_name``."""
    if value is None or value == "":
        return None
    values = spec()["lists"][list_name]["values"]
    key = str(value).lower()
    found = values.get(key, values.get(str(value).upper()))
    return str(found) if found is not None else None


def list_qnames() -> dict[str, set[str]]:
    """``template.column`` -> every QName its closed list allows."""
    out: dict[str, set[str]] = {}
    for body in spec()["lists"].values():
        for cell in body.get("columns") or []:
            out.setdefault(str(cell), set()).update(str(v) for v in body["values"].values())
    return out
