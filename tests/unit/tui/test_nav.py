"""The screen switcher keeps the current screen and the client readable at any width."""

from __future__ import annotations

import pytest

from vendorrisk.tui.widgets.nav import SCREENS, nav_text


@pytest.mark.parametrize("width", [60, 80, 100, 140])
@pytest.mark.parametrize("client", [None, "Baltic Pay UAB"])
def test_current_screen_and_client_always_fit(width: int, client: str | None) -> None:
    text = nav_text("findings", client, width).plain
    assert len(text) == width
    assert "4 Findings" in text
    assert (client or "") in text
    assert all(f" {key}" in text for key, _, _ in SCREENS)


def test_labels_shorten_before_they_disappear() -> None:
    assert "2 Vendors" in nav_text("dashboard", None, 120).plain
    assert "5 Contracts" in nav_text("dashboard", None, 120).plain
    narrow = nav_text("dashboard", None, 80).plain
    assert "1 Dashboard" in narrow and "5 Contr" in narrow and "2 Vendors" in narrow
    keys_only = nav_text("dashboard", "Baltic Pay UAB", 80).plain
    assert "2 Vendors" not in keys_only and "client: Baltic Pay UAB" in keys_only


def test_a_long_client_name_is_shortened() -> None:
    text = nav_text("vendors", "A" * 50, 120).plain
    assert "A" * 29 + "…" in text and "A" * 30 not in text
