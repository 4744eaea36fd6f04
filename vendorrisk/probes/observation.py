"""One domain's whole probe result: registration + DNS, in the DESIGN §3 JSON shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vendorrisk.probes.dns.types import DnsObservation
from vendorrisk.probes.nsdomains import NameserverDomainsObservation
from vendorrisk.probes.registration.types import RegistrationObservation
from vendorrisk.probes.types import Reason


@dataclass(frozen=True)
class DomainObservation:
    domain: str
    probed_at: datetime
    registration: RegistrationObservation | None
    dns: DnsObservation | None
    skipped: tuple[str, ...] = ()
    """Parts deliberately not run (e.g. ``registration`` with --no-registration)."""
    nameserver_domains: NameserverDomainsObservation | None = None
    """Registration of the nameserver hosts' registrable domains; None = not checked."""

    @property
    def reasons(self) -> tuple[Reason, ...]:
        parts = (self.registration, self.dns, self.nameserver_domains)
        return tuple(r for part in parts if part is not None for r in part.reasons)

    @property
    def complete(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        """The contract object, without findings (they are added by the evaluator's caller)."""
        return {
            "domain": self.domain,
            "probed_at": self.probed_at.isoformat(),
            "complete": self.complete,
            "registration": self.registration.to_json() if self.registration else None,
            "dns": self.dns.to_json() if self.dns else None,
            "nameserver_domains": (None if self.nameserver_domains is None
                                   else self.nameserver_domains.to_json()),
            "reasons": [r.to_json() for r in self.reasons],
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DomainObservation:
        reg = data.get("registration")
        dns = data.get("dns")
        ns_domains = data.get("nameserver_domains")
        return cls(
            domain=data["domain"],
            probed_at=datetime.fromisoformat(data["probed_at"]),
            registration=RegistrationObservation.from_json(reg, data["domain"]) if reg else None,
            dns=DnsObservation.from_json(dns) if dns else None,
            skipped=tuple(data.get("skipped", ())),
            nameserver_domains=(None if ns_domains is None
                                else NameserverDomainsObservation.from_json(ns_domains)),
        )
