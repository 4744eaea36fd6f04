"""Keep garbage-collection pauses off keystrokes.

Python's full collection walks every object the collector tracks. With a 10,000-domain table
loaded that is a pause of about 100 ms, and it lands on whichever keystroke happens to trigger
it. So after a large table is on screen the app collects once, at a moment of its choosing,
and freezes what survives (``gc.freeze``): later automatic collections walk only the objects
made since, which takes a few milliseconds. Unfreezing first lets anything frozen last time
that has since become garbage be collected now, so nothing piles up.
"""

from __future__ import annotations

import gc

LARGE_TABLE = 2_000
"""Rows from which a table is worth a deliberate collection once it is shown."""


def settle_garbage() -> None:
    """Collect everything now and exempt the survivors from later automatic collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
