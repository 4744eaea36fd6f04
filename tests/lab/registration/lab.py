"""The registration lab: loopback RDAP and WHOIS servers plus the settings that point at them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.lab.registration.servers import RdapLab, WhoisLab
from vendorrisk.config import ProbeSettings


@dataclass
class Lab:
    rdap: RdapLab
    whois: WhoisLab
    whois_registrar: WhoisLab
    bootstrap: Path

    def settings(self, **changes: object) -> ProbeSettings:
        base: dict[str, object] = dict(
            rdap_bootstrap=str(self.bootstrap), whois_server=self.whois.address, timeout=0.5,
            retries=1, whois_rate_limit=100.0, rdap_rate_limit=200.0,
            max_response_bytes=200_000)
        base.update(changes)
        return ProbeSettings(**base)  # type: ignore[arg-type]
