"""Reviews from the TUI follow the rules of `vendorrisk review`: one review service for both.

A review started and completed in the UI records the checklist, the decision and the change
record exactly as the command line does, and a second open review of the same subject is
refused with the same message wherever it is started (the reviews screen, the vendor detail).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.tui.conftest import settle
from vendorrisk.cli.exitcodes import ExitCode
from vendorrisk.errors import InputError
from vendorrisk.tui.screens.detail import VendorDetailScreen

VENDOR = "Cloudflare"
ISSUE = {"exit_assistance": {"answer": "issue", "note": "only 7 days"}}
NOTES = "notice period too long"


def _shown(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_a_review_from_the_tui_is_the_review_of_the_cli(demo_services: Any, make_app: Any,
                                                             cli: Any, tmp_path: Path) -> None:
    items = [item.id for item in demo_services.reviews.checklist.items]
    url = demo_services.db.url

    # start one on the reviews screen
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("7", "n")
        await settle(pilot)
        app.screen.query_one("#f-vendor").value = VENDOR
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = app.screen.table.source.rows
        assert len(rows) == 1 and rows[0].cells[0].text == f"vendor {VENDOR}"
        review_id = int(rows[0].key)

        # a second one, from the reviews screen and from the vendor detail: refused
        with pytest.raises(InputError) as refusal:
            demo_services.reviews.start(VENDOR)
        expected = f"Not saved: {refusal.value.message} — {refusal.value.hint}"
        assert refusal.value.message == f"review {review_id} of {VENDOR!r} is still open"
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#f-vendor").value = VENDOR
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert _shown(app.screen, "#form-error") == expected
        await pilot.press("escape")
        app.push_screen(VendorDetailScreen(VENDOR))
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one("#f-vendor").value == VENDOR
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _shown(app.screen, "#form-error") == expected
    refused = cli("--db", url, "review", "start", VENDOR)
    assert refused.code == ExitCode.BAD_INPUT
    assert refused.err == f"vendorrisk: {refusal.value}\n"

    started = demo_services.reviews.get(review_id)
    assert set(started["checklist"]) == set(items)
    assert started["changes"]["first_review"] is True and started["changes"]["new_findings"]

    # complete it: the form asks for the decision and every checklist item
    app = make_app(demo_services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert [f.name for f in form.fields] == ["decision", "notes",
                                                 *(f"item-{i}" for i in items)]
        form.query_one("#f-decision").value = "maybe"
        await pilot.pause()
        assert form.query_one("#save").disabled
        form.query_one("#f-decision").value = "renegotiate"
        form.query_one("#f-notes").value = NOTES
        form.query_one("#f-item-term_end").value = "meh"
        await pilot.pause()
        assert form.query_one("#save").disabled  # not an answer the checklist allows
        form.query_one("#f-item-term_end").value = "ok"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused: the other items are not answered
        assert _shown(form, "#form-error").startswith(
            f"Not saved: review {review_id}: {len(items) - 1} checklist item(s) not answered:")
        for item in items:
            form.query_one(f"#f-item-{item}").value = "ok"
        form.query_one("#f-item-exit_assistance").value = "issue:only 7 days"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReviewsScreen"
        row = app.screen.table.source.rows[0]
        assert row.cells[5].text == "renegotiate" and row.cells[4].text != "-"
    by_tui = demo_services.reviews.get(review_id)

    # the same review on the command line
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({item: "ok" for item in items} | ISSUE))
    started_by_cli = cli("--db", url, "review", "start", VENDOR, "--json")
    assert started_by_cli.code == 0, started_by_cli.err
    cli_id = json.loads(started_by_cli.out)["id"]
    done = cli("--db", url, "review", "complete", str(cli_id), "--decision", "renegotiate",
               "--notes", NOTES, "--answers", str(answers), "--json")
    assert done.code == 0, done.err
    by_cli = json.loads(done.out)

    assert by_tui["checklist"] == by_cli["checklist"]
    assert by_tui["checklist"]["exit_assistance"]["answer"] == "issue"
    assert by_tui["checklist"]["exit_assistance"]["note"] == "only 7 days"
    same = ("subject_kind", "vendor_id", "contract_id", "decision", "notes", "reviewer",
            "due_date")
    assert {k: by_tui[k] for k in same} == {k: by_cli[k] for k in same}
    assert by_tui["decision"] == "renegotiate" and by_tui["completed_at"]
    assert set(by_tui["changes"]) == set(by_cli["changes"])
    assert by_cli["changes"]["previous_review"] == review_id  # the TUI's review counts

    events = demo_services.audit_log(entity_kind="review")  # newest first
    assert [e["after"]["event"] for e in events] == ["completed", "started"] * 2
    cli_done, tui_done = (e["after"] for e in events if e["after"]["event"] == "completed")
    assert tui_done["issues"] == ["exit_assistance"] and tui_done["decision"] == "renegotiate"
    assert ({k: v for k, v in tui_done.items() if k != "changes"}
            == {k: v for k, v in cli_done.items() if k != "changes"})
    assert set(tui_done["changes"]) == set(cli_done["changes"])
