"""Fuzz targets of the config file and environment, and of the data files a user may point
the config at: the trust anchor, the catalogs and rule files, questionnaire templates, and
evidence packs under ``evidence verify``.

Seeds are built at run time from what ships (README's config example, the defaults, the files
in ``vendorrisk/data``) and from a pack written by ``write_pack``. Data files are parsed once
while their size and modification time stay the same (``vendorrisk.filecache``), so every
call gives its file a new modification time: a mutated file is always parsed afresh.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tests.fuzz.harness import Target
from vendorrisk import config, paths
from vendorrisk.catalog.providers import load_provider_catalog
from vendorrisk.catalog.registrars import load_privacy_services, load_registrar_catalog
from vendorrisk.errors import VendorRiskError
from vendorrisk.findings.rules.inventory import load_regions
from vendorrisk.io.evidence_pack import verify_pack, write_pack
from vendorrisk.probes.dns.prober import load_anchor
from vendorrisk.questionnaires.loader import load_all
from vendorrisk.scoring.weights import load_weights

README = Path(__file__).resolve().parents[2] / "README.md"
_stamp = itertools.count(1_000_000_000)


def _fresh(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` with a modification time no earlier call used."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    ns = next(_stamp) * 1000
    os.utime(path, ns=(ns, ns))
    return path


# -- config file and environment -----------------------------------------------------------------
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _defaults_toml() -> bytes:
    """Every setting at its default (a None one as a sample path), as one TOML document."""
    settings = config.Settings(questionnaire_dirs=("/srv/questionnaires",))
    lines: list[str] = []
    tables: list[str] = []
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if dataclasses.is_dataclass(value):
            tables.append(f"\n[{f.name}]")
            for sub in dataclasses.fields(value):
                sub_value = getattr(value, sub.name)
                shown = sub_value if sub_value is not None else (
                    365 if sub.name.endswith("_days") else "/etc/vendorrisk/x")
                tables.append(f"{sub.name} = {_toml_value(shown)}")
        else:
            lines.append(f"{f.name} = {_toml_value(value if value is not None else 'x')}")
    return ("\n".join(lines + tables) + "\n").encode()


def _readme_toml() -> bytes:
    found = re.search(r"```toml\n(.*?)```", README.read_text("utf-8"), re.S)
    return found.group(1).encode() if found else b""


def _config_seeds() -> list[bytes]:
    return [s for s in (_readme_toml(), _defaults_toml()) if s]


def _use(settings: config.Settings) -> None:
    """What callers read first from the settings: the derived paths."""
    settings.exports_path, settings.questionnaire_paths, settings.db_url  # noqa: B018


def _config_toml(data: bytes, scratch: Path) -> None:
    path = _fresh(scratch / "config.toml", data)
    _use(config.load(path, env={}))


def _env_seeds() -> list[bytes]:
    """``NAME=value`` lines (``NAME`` without the ``VENDORRISK_`` prefix), from the defaults."""
    defaults = config.Settings(exports_dir="/srv/exports", questionnaire_dirs=("/a", "/b"))
    lines = ["USER=alice", f"EXPORTS_DIR={defaults.exports_dir}",
             f"QUESTIONNAIRE_DIRS={os.pathsep.join(defaults.questionnaire_dirs)}",
             "AUTO_UPGRADE=false"]
    for section in ("probe", "review"):
        for f in dataclasses.fields(getattr(defaults, section)):
            value = getattr(getattr(defaults, section), f.name)
            if value is not None:
                lines.append(f"{section.upper()}_{f.name.upper()}={value}")
    half = len(lines) // 2
    return ["\n".join(lines[:half]).encode(), "\n".join(lines[half:]).encode()]


def _config_env(data: bytes, scratch: Path) -> None:
    env: dict[str, str] = {}
    for line in data.replace(b"\0", b"").split(b"\n"):
        name, _, value = line.partition(b"=")
        key = config.ENV_PREFIX + name.decode("utf-8", "surrogateescape").upper()
        env[key] = value.decode("utf-8", "surrogateescape")  # as os.environ holds them
    env.pop(config.CONFIG_ENV, None)  # a file named by the environment is the other target
    empty = _fresh(scratch / "empty.toml", b"")
    _use(config.load(empty, env=env))


# -- data files -----------------------------------------------------------------------------------
def _shipped(*names: str) -> Callable[[], list[bytes]]:
    return lambda: [paths.data_file(n).read_bytes() for n in names]


def _trust_anchor(data: bytes, scratch: Path) -> None:
    path = _fresh(scratch / "anchor.zone", data)
    load_anchor(config.ProbeSettings(trust_anchor=str(path)))


_CATALOG_LOADERS: list[Callable[[Path], object]] = [
    load_provider_catalog,
    lambda p: load_registrar_catalog(p, paths.data_file("privacy-services.yaml")),
    load_privacy_services,
    lambda p: load_weights(p),
    load_regions,
]


def _catalog_yaml(data: bytes, scratch: Path) -> None:
    """Every catalog and rule loader a user may point at a file of their own, on one file."""
    path = _fresh(scratch / "catalog.yaml", data)
    for load in _CATALOG_LOADERS:
        try:
            load(path)
        except VendorRiskError:
            continue


def _questionnaire_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(paths.questionnaires_dir().glob("*.yaml"))]


def _questionnaire_template(data: bytes, scratch: Path) -> None:
    folder = scratch / "questionnaires"
    _fresh(folder / "template.yaml", data)
    load_all(folder)


def _pack_seeds() -> Sequence[bytes]:
    """A pack as ``evidence`` writes it (a workbook, a JSON Lines extract, the manifest)."""
    from vendorrisk.services.evidence import _write_jsonl

    def book(path: Path) -> None:
        from vendorrisk.io import xlsx_export as X

        X.write_workbook(path, [X.Sheet("Findings opened", X.FINDING_COLUMNS, [])])

    events = [{"seq": 1, "action": "create", "entity": "client", "at": "2026-10-01T00:00:00"}]
    meta = {"client": "Acme", "month": "2026-10", "generated_at": date(2026, 11, 1).isoformat(),
            "audit": {"head_hash": "ab" * 32, "events": 1, "chain_ok": True, "problem": None}}
    with tempfile.TemporaryDirectory() as tmp:
        result = write_pack(Path(tmp) / "evidence-acme-2026-10",
                            {"evidence.xlsx": book,
                             "audit-extract.jsonl": lambda p: _write_jsonl(p, events)}, meta)
        return [result.zip_path.read_bytes()]


def _evidence_pack(data: bytes, scratch: Path) -> None:
    verify_pack(_fresh(scratch / "pack.zip", data))


TARGETS = [
    Target("config_toml", _config_seeds, _config_toml),
    Target("config_env", _env_seeds, _config_env),
    Target("trust_anchor", _shipped("root-anchors.zone"), _trust_anchor),
    Target("catalog_yaml", _shipped("providers.yaml", "registrars.yaml", "privacy-services.yaml",
                                    "scoring.yaml", "regions.yaml"), _catalog_yaml),
    Target("questionnaire_template", _questionnaire_seeds, _questionnaire_template),
    Target("evidence_pack", _pack_seeds, _evidence_pack, zipped=True),
]
