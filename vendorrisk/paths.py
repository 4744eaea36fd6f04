"""Where things live: platformdirs locations for user files, and the package's shipped ``data/``."""

from __future__ import annotations

import os
from importlib import resources
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
    """``exports/`` in the user's data directory, wherever vendorrisk is installed or run from."""
    return data_dir() / "exports"


def shipped_data_dir() -> Path:
    """The ``data/`` folder inside the installed package (a wheel's copy or an editable checkout).

    Read through ``importlib.resources`` so that it is found wherever the package is installed;
    it must be a real folder, because the loaders cache parsed files by path and time stamp.
    """
    shipped = resources.files("vendorrisk") / "data"
    if not isinstance(shipped, Path) or not shipped.is_dir():
        raise FileNotFoundError(f"vendorrisk's data folder is missing from this installation ({shipped})")
    return shipped


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
    """The questionnaire templates shipped with vendorrisk."""
    return shipped_data_dir() / "questionnaires"
