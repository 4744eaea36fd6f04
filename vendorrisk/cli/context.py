"""What every command shares: the settings, and the service facade opened on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vendorrisk import config
from vendorrisk.cli.output import warn

if TYPE_CHECKING:
    from vendorrisk.services.app import Services


@dataclass
class AppContext:
    config_path: Path | None
    flags: dict[str, Any]
    _settings: config.Settings | None = None
    _services: Services | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        config.config_file(self.config_path)  # a missing --config file fails every command

    @property
    def settings(self) -> config.Settings:
        if self._settings is None:
            self._settings = config.load(self.config_path, flags=self.flags)
        return self._settings

    def with_flags(self, **flags: Any) -> None:
        """Add command-level flags (e.g. probe options) before settings are first read."""
        self.flags.update({k: v for k, v in flags.items() if v is not None})
        self._settings = None

    @property
    def services(self) -> Services:
        """The facade; its database is connected when a use case first needs it."""
        if self._services is None:
            from vendorrisk.services.app import Services

            self._services = Services(self.settings)
            for line in self._services.exposed_folders():
                warn(line)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None


pass_app = click.make_pass_decorator(AppContext)
