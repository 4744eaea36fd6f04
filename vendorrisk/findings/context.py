"""What the inventory says about a domain, as needed by the probe finding rules."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeclaredVendor:
    """A vendor the inventory declares for a domain (its registrar or a DNS provider)."""

    name: str
    catalog_key: str | None = None
    """Key of the vendor's entry in data/providers.yaml or data/registrars.yaml, if any."""


@dataclass(frozen=True)
class DomainContext:
    """Inventory facts a rule may compare observations with. Empty = nothing declared."""

    domain: str
    critical: bool = False
    declared_registrar: DeclaredVendor | None = None
    declared_dns_providers: tuple[DeclaredVendor, ...] = field(default_factory=tuple)
