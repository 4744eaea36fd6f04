"""Where things live: platformdirs locations for user files, and the shipped ``data/`` folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "vendorrisk"


def config_file() -> Path:
    """The user config file: ``$VENDORRISK_CONFIG`` or ``<config dir>/config.toml``."""
    explicit = os.environ.get("VENDORRISK_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """The user's data directory, where the default SQLite database lives."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'vendorrisk.db'}"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def default_exports_dir() -> Path:
    """``exports/`` of the checkout when run from one, else ``~/vendorrisk-exports``."""
    checkout = _checkout_root()
    if checkout is not None:
        return checkout / "exports"
    return Path.home() / "vendorrisk-exports"


def shipped_data_dir() -> Path:
    """The ``data/`` folder shipped with vendorrisk (the checkout's, or the wheel's copy)."""
    packaged = Path(__file__).resolve().parent / "_data"
    if packaged.is_dir():
        return packaged
    checkout = _checkout_root()
    if checkout is None:
        raise FileNotFoundError("vendorrisk's data/ folder is missing from this installation")
    return checkout / "data"


REFRESHABLE = ("rdap-dns.json", "root-anchors.zone")
"""Shipped files that `vendorrisk data refresh` may replace with a newer copy."""


def refreshed_data_dir() -> Path:
    """Where `vendorrisk data refresh` writes newer copies of the refreshable files."""
    return data_dir() / "refreshed"


def data_file(*parts: str) -> Path:
    """Path of a file shipped in ``data/`` (e.g. ``data_file('providers.yaml')``).

    For the refreshable files, a copy made by `vendorrisk data refresh` wins.
    """
    if len(parts) == 1 and parts[0] in REFRESHABLE:
        refreshed = refreshed_data_dir() / parts[0]
        if refreshed.is_file():
            return refreshed
    return shipped_data_dir().joinpath(*parts)


def questionnaires_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "_questionnaires"
    if packaged.is_dir():
        return packaged
    checkout = _checkout_root()
    if checkout is None:
        raise FileNotFoundError("vendorrisk's questionnaires/ folder is missing")
    return checkout / "questionnaires"


def _checkout_root() -> Path | None:
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "data").is_dir() else None
