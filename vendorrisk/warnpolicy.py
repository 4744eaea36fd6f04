"""Which warnings reach a user's terminal: vendorrisk's own, never those of the libraries it uses.

A library's deprecation notice (cryptography deprecating DSA when dnspython imports it, say) is
for vendorrisk's developers, who see it in the test suite; on a user's terminal it would break
the promise that stderr holds one-line messages only.
"""

from __future__ import annotations

import sys
import warnings

FOREIGN_MODULE = r"(?!vendorrisk(\.|$))"
"""Matches the name of any module that is not vendorrisk or one of its submodules."""


def hide_foreign_warnings() -> None:
    """Ignore warnings raised in modules other than vendorrisk's, unless the user asked for
    warnings explicitly (``python -W ...`` or ``PYTHONWARNINGS``)."""
    if sys.warnoptions:
        return
    warnings.filterwarnings("ignore", module=FOREIGN_MODULE)
