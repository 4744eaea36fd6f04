"""The demo's DORA client package, unzipped and checked against data/dora-register.yaml."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from vendorrisk.config import Settings
from vendorrisk.io import dora_spec as S
from vendorrisk.services.app import Services, open_services
from vendorrisk.services.demo import load_demo
from vendorrisk.services.dora import DoraRefusedError

TODAY = date(2026, 3, 31)
CLIENT = "Baltic Pay UAB"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = tmp_path_factory.mktemp("dora") / "demo.db"
    services = open_services(Settings(db=f"sqlite:///{path}", user="test"))
    load_demo(services, today=TODAY)
    yield services
    services.close()


def _tables(zf: zipfile.ZipFile, root: str) -> dict[str, list[dict[str, str]]]:
    out = {}
    for t in S.TEMPLATES:
        raw = zf.read(f"{root}/reports/{t.lower()}.csv").decode()
        assert "\r\n" in raw and raw.split("\r\n")[0] == ",".join(S.columns(t))
        out[t] = list(csv.DictReader(io.StringIO(raw)))
    return out


def test_refused_without_draft_names_each_breach(demo: Services, tmp_path: Path) -> None:
    with pytest.raises(DoraRefusedError) as err:
        demo.exports.dora_register(CLIENT, tmp_path / "reg", today=TODAY)
    text = str(err.value)
    # Akamai's data locations are GLOBAL only: no country for the key B_02.02.c0160
    assert "B_02.02.c0160 row 2 (contract AKAM-BP-EDNS-2025)" in text
    assert "vendorrisk vendor edit" in text and "--processing-locations" in text
    # GLOBAL is a region: the taxonomy's location cells take countries only
    assert "vendor Akamai Edge DNS, field processing_locations: GLOBAL is a region" in text
    assert not (tmp_path / "reg").exists()


def test_round_trip(demo: Services, tmp_path: Path) -> None:
    result = demo.exports.dora_register(CLIENT, tmp_path / "reg", today=TODAY, draft=True)
    assert sorted(p.name for p in (tmp_path / "reg").iterdir()) == sorted(
        [result.package.name, "missing-data.csv", "validation.csv"])
    name = result.package.name
    assert name.startswith("DEMO00BALTICPAY0LT79.IND_LT_DORA010100_DORA_2025-12-31_")
    root = name.removesuffix(".zip")
    with zipfile.ZipFile(result.package) as zf:
        files = set(zf.namelist())
        assert files == {f"{root}/META-INF/reportPackage.json", f"{root}/reports/report.json",
                         f"{root}/reports/parameters.csv",
                         f"{root}/reports/FilingIndicators.csv",
                         *(f"{root}/reports/{t.lower()}.csv" for t in S.TEMPLATES)}
        assert not any("missing" in f or "validation" in f for f in files)
        meta = json.loads(zf.read(f"{root}/META-INF/reportPackage.json"))
        assert meta["documentInfo"]["documentType"] == "https://xbrl.org/report-package/2023"
        report = json.loads(zf.read(f"{root}/reports/report.json"))
        assert report["documentInfo"]["extends"] == [S.spec()["package"]["extends"]]
        params = dict(csv.reader(io.StringIO(zf.read(f"{root}/reports/parameters.csv")
                                             .decode())))
        assert params["entityID"] == "rs:DEMO00BALTICPAY0LT79.IND"
        assert params["refPeriod"] == "2025-12-31"
        indicators = dict(csv.reader(io.StringIO(
            zf.read(f"{root}/reports/FilingIndicators.csv").decode())))
        tables = _tables(zf, root)
    assert set(indicators) - {"templateID"} == set(S.TEMPLATES)
    for t, rows in tables.items():
        assert indicators[t] == ("true" if rows else "false"), t
        key_rows = [tuple(r[k] for k in S.keys(t)) for r in rows]
        assert len(set(key_rows)) == len(key_rows), t  # 806
        for col, targets in S.foreign_keys(t).items():  # 807
            for r in rows:
                if r[col]:
                    assert any(r[col] in {x[tc] for x in tables[tt]} for tt, tc in targets), \
                        (t, col, r[col])
    qnames = S.list_qnames()
    for cell, allowed in qnames.items():
        t, col = cell.rsplit(".", 1)
        for r in tables[t]:
            assert r[col] == "" or r[col] in allowed, (cell, r[col])
    for t, rows in tables.items():
        for r in rows:
            for col, value in r.items():
                if "country" in S.column_name(t, col).lower() and value:
                    assert value.startswith("eba_GA:") and len(value) == 9, (t, col, value)
    assert len(tables["B_02.01"]) == 3 and len(tables["B_01.01"]) == 1
    assert {r["c0060"] for r in tables["B_02.02"]} <= {"eba_TA:S19", "eba_TA:S14"}
    rank1 = [r for r in tables["B_05.02"] if r["c0050"] == "1"]
    assert {r["c0060"] for r in rank1} == {"DEMO00BALTICPAY0LT79"}
    assert all(r["c0050"] in ("1", "2", "3") for r in tables["B_05.02"])
    assert {r["c0010"] for r in tables["B_06.01"]} >= {r["c0050"] for r in tables["B_02.02"]}
    akamai = next(r for r in tables["B_05.01"] if r["c0010"] == "DEMO00AKAMAIEDGEUS85")
    assert akamai["c0110"] == akamai["c0010"]  # its own ultimate parent
    assert result.blocking == sum(1 for b in result.breaches if "[rule 80" in b)


def test_readiness_in_the_workbook(demo: Services, tmp_path: Path) -> None:
    import openpyxl

    found = demo.dora.readiness(CLIENT, TODAY)
    assert not found.ready
    blocking = [g for g in found.gaps if g.severity == "blocking"]
    assert {g.record for g in blocking} == {"vendor Akamai Edge DNS",
                                            "contract AKAM-BP-EDNS-2025"}
    book = demo.exports.workbook(tmp_path / "b.xlsx", client=CLIENT, today=TODAY)
    sheet = openpyxl.load_workbook(book.path, read_only=True)["DORA readiness"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ("Template", "Status", "Cell")
    assert [r[0] for r in rows[1:16]] == list(S.TEMPLATES)
    assert len(rows) == 1 + 15 + len(found.gaps)
    assert any(r[2] == "B_02.02.c0160" and r[1] == "blocking" and
               str(r[7]).startswith('vendorrisk vendor edit "Akamai Edge DNS"')
               for r in rows)
    other = demo.exports.workbook(tmp_path / "o.xlsx", client="Cedar Health Partners", today=TODAY)
    assert "DORA readiness" not in openpyxl.load_workbook(other.path,
                                                          read_only=True).sheetnames


def test_sources_named_for_every_list_and_rule() -> None:
    sources = S.spec()["sources"]
    assert {sources[k]["date"] for k in ("layout", "values", "rules")} == {
        "2024-12-17", "2025-03-03", "2025-03-20"}
    for body in [*S.spec()["lists"].values(), *S.spec()["rules"].values(),
                 *S.spec()["templates"].values()]:
        assert body["source"] in sources
