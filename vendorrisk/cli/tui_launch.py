"""Open the TUI; kept apart so `import vendorrisk.cli` never imports Textual."""

from __future__ import annotations

import tempfile
from pathlib import Path

from vendorrisk.cli.context import AppContext


def launch(app: AppContext, *, demo: bool) -> None:
    if demo:
        with tempfile.TemporaryDirectory(prefix="vendorrisk-demo-") as tmp:
            app.with_flags(db=f"sqlite:///{Path(tmp) / 'demo.db'}")
            app.services.load_demo()
            _run(app)
            app.close()  # before the temporary folder (and its database) goes away
        return
    _run(app)


def _run(app: AppContext) -> None:
    from vendorrisk.tui.app import run_tui

    run_tui(app.services.open())  # a bad database fails here, before the screen is taken
