"""One error tree: every error a user can see carries a one-line message and an optional hint.

The CLI maps each class to an exit code (see ``vendorrisk.cli.exitcodes``).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection


class VendorRiskError(Exception):
    """Base of every error vendorrisk reports to a person."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class ConfigError(VendorRiskError):
    """A config file, environment variable or data file is invalid."""


class InputError(VendorRiskError):
    """A name, date, enum, reference or file given by the user is invalid."""


class NotFoundError(InputError):
    """A referenced client, vendor, domain, contract, ... does not exist."""


class StorageError(VendorRiskError):
    """The database cannot be reached, is locked, or is at the wrong schema version."""


class ProbeError(VendorRiskError):
    """A network probe could not run at all (not a per-domain fault: those are data)."""


class NetworkError(VendorRiskError):
    """A network resource the user asked for (e.g. ``data refresh``) could not be fetched."""


def nearest(word: str, valid: Collection[str]) -> str | None:
    """The valid value closest to a misspelt ``word`` (difflib's judgement), if any is close."""
    close = difflib.get_close_matches(word, sorted(set(valid)), n=1)
    return close[0] if close else None


def did_you_mean(word: str, valid: Collection[str], *, prefix: str = "",
                 listing: str = "valid") -> str:
    """The hint for an unknown ``word``: the nearest of ``valid``, else all of them.

    ``prefix`` is put before what is shown (e.g. the config section ``probe.``).
    """
    close = nearest(word, valid)
    if close is not None:
        return f"did you mean {prefix + close!r}?"
    return f"{listing}: {', '.join(prefix + v for v in sorted(set(valid)))}"
