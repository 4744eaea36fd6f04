"""One error tree: every error a user can see carries a one-line message and an optional hint.

The CLI maps each class to an exit code (see ``vendorrisk.cli.exitcodes``).
"""

from __future__ import annotations


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
