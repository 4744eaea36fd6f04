"""The DORA register as an xBRL-CSV report package (EBA reporting framework 4.0).

``<folder>/`` holds the package ``{LEI}.IND_{CC}_DORA010100_DORA_{refdate}_{stamp}.zip`` and,
beside it (never inside), ``missing-data.csv`` (what to record and where) and
``validation.csv`` (every breach of :mod:`vendorrisk.io.dora_validate`). The folder is built
under a temporary name and renamed into place (:mod:`vendorrisk.io.atomic`). CSV cells are
written as they are: the spreadsheet formula guard belongs to the workbook only.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from vendorrisk.io.atomic import write_atomic
from vendorrisk.io.dora_register import Register
from vendorrisk.io.dora_spec import TEMPLATES, columns, spec
from vendorrisk.io.dora_validate import Breach, filing_indicators

MISSING_FILE = "missing-data.csv"
VALIDATION_FILE = "validation.csv"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def package_name(register: Register, stamp: datetime) -> str:
    """The package's base name (no ``.zip``); ``XX`` stands in for an unknown LEI or country."""
    lei = register.lei or "LEI-MISSING"
    cc = register.country or "XX"
    return (f"{lei}.IND_{cc}_{spec()['package']['module']}_DORA_"
            f"{register.ref_date.isoformat()}_{stamp.strftime('%Y%m%d%H%M%S%f')[:17]}")


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else str(v) for v in r] for r in rows])
    return buf.getvalue().encode("utf-8")


def package_files(register: Register, root: str) -> dict[str, bytes]:
    """Path inside the ZIP -> content."""
    pkg = spec()["package"]
    report = {"documentInfo": {"documentType": pkg["report_type"],
                               "extends": [pkg["extends"]]}}
    meta = {"documentInfo": {"documentType": pkg["report_package_type"]}}
    params = [["entityID", f"rs:{register.lei or ''}.IND"],
              ["refPeriod", register.ref_date.isoformat()],
              ["baseCurrency", pkg["base_currency"]],
              ["decimalsInteger", pkg["decimals_integer"]],
              ["decimalsMonetary", pkg["decimals_monetary"]]]
    indicators = filing_indicators(register)
    files = {
        f"{root}/META-INF/reportPackage.json": json.dumps(meta, indent=2).encode(),
        f"{root}/reports/report.json": json.dumps(report, indent=2).encode(),
        f"{root}/reports/parameters.csv": _csv(["name", "value"], params),
        f"{root}/reports/FilingIndicators.csv": _csv(
            ["templateID", "reported"],
            [[t, "true" if indicators[t] else "false"] for t in TEMPLATES]),
    }
    for t in TEMPLATES:
        codes = columns(t)
        files[f"{root}/reports/{t.lower()}.csv"] = _csv(
            codes, [[r.get(c) for c in codes] for r in register.tables[t]])
    return files


def write_zip(register: Register, directory: Path, stamp: datetime) -> Path:
    """The package alone, as ``directory/<package name>.zip``."""
    name = package_name(register, stamp)
    path = directory / f"{name}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for inside, data in package_files(register, name).items():
            zf.writestr(zipfile.ZipInfo(inside, _ZIP_TIME), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_package(register: Register, breaches: Sequence[Breach], out_dir: Path,
                  stamp: datetime, *, force: bool = False,
                  arelle: Sequence[str] = ()) -> list[Path]:
    """Write the package and its helper files into ``out_dir``; returns the paths.
    ``arelle``: Arelle's errors, listed in ``validation.csv`` after our own breaches."""
    name = package_name(register, stamp)

    def write(tmp: Path) -> list[str]:
        write_zip(register, tmp, stamp)
        (tmp / MISSING_FILE).write_bytes(_csv(
            ["template", "record", "cell", "column_name", "what_to_record", "where_to_enter_it"],
            [m.as_row() for m in register.missing]))
        (tmp / VALIDATION_FILE).write_bytes(_csv(
            ["rule", "severity", "template", "column", "row", "record", "what", "where"],
            [*(b.as_row() for b in breaches),
             *(["arelle", "blocking", "-", "-", "0", "package", line, "Arelle"]
               for line in arelle)]))
        return [f"{name}.zip", MISSING_FILE, VALIDATION_FILE]

    names = write_atomic(out_dir, write, force=force, directory=True)
    return [out_dir / n for n in names]
