"""DORA readiness: read from the builder's missing cells and problems and the validator's
breaches, once per cell, each with the command and the TUI screen that fill it."""

from __future__ import annotations

from typing import Any

from tests.unit.io.test_dora_register import CLIENT, CONTRACT, TODAY, VENDORS
from vendorrisk.io import dora_register as D
from vendorrisk.io import dora_validate as V
from vendorrisk.io.dora_readiness import readiness, screen_for


def _readiness(client: dict[str, Any] | None = None,
               contract: dict[str, Any] | None = None) -> Any:
    reg = D.build_register(client or CLIENT, [contract or CONTRACT], VENDORS, TODAY)
    return readiness(reg, V.validate(reg))


def test_complete_register_is_ready() -> None:
    found = _readiness()
    assert found.ready
    status = {t.template: t.status for t in found.templates}
    assert status["B_02.01"] == "complete" and status["B_05.02"] == "complete"
    assert status["B_01.03"] == "not reported"
    # the function has no licenced activity, assessment date, RTO, RPO or impact
    assert status["B_06.01"] == "5 to fill"
    assert {g.severity for g in found.gaps if g.template == "B_06.01"} == {"warning"}
    rto = next(g for g in found.gaps if g.cell == "B_06.01.c0080")
    assert rto.where == ('vendorrisk function add F1 --client Bank --name "Authoritative DNS" '
                         "--rto-hours ...")
    recorded = D.build_register(CLIENT, [CONTRACT], VENDORS, TODAY, functions=[
        {"identifier": "F1", "name": "Authoritative DNS", "criticality": "yes"}])
    assert recorded.missing_at("B_06.01", 0, "c0080").where == (  # type: ignore[union-attr]
        "vendorrisk function edit F1 --client Bank --rto-hours ...")


def test_each_gap_once_with_command_and_screen() -> None:
    found = _readiness(contract={**CONTRACT, "ict_service_type": None,
                                 "data_sensitivity": None})
    assert not found.ready
    first = found.gaps[0]
    assert (first.severity, first.record, first.column_name) == (
        "blocking", "contract -C-1", "ict_service_type")
    assert first.where == "vendorrisk contract edit -C-1 --ict-service-type ..."
    cells = [(g.cell, g.row) for g in found.gaps if g.template != "-"]
    assert len(cells) == len(set(cells))
    b0202 = next(g for g in found.gaps if g.cell == "B_02.02.c0060")
    assert b0202.severity == "blocking" and b0202.screen.startswith("Contracts")
    optional = next(g for g in found.gaps if g.cell == "B_02.02.c0170")
    assert optional.severity == "missing" and "--data-sensitivity" in optional.where
    assert {t.template: t.status for t in found.templates}["B_02.02"].endswith("blocking")
    assert found.to_json()["gaps"][0]["screen"] == "Contracts: Enter on the contract"


def test_client_without_lei_is_not_ready() -> None:
    found = _readiness(client={**CLIENT, "lei": None})
    assert not found.ready
    assert found.gaps[0].where == 'vendorrisk client edit Bank --lei ...'
    assert found.gaps[0].screen.startswith("Dashboard")


def test_screens() -> None:
    assert screen_for("vendorrisk function edit F1 --client X --rto-hours ...").startswith(
        "DORA readiness")
    assert screen_for("not held by vendorrisk: enter it in the filing tool") == "not in the TUI"
