"""Which WHOIS server to ask for a TLD: the user's override, else data/whois-servers.yaml.

Asking ``whois.iana.org`` is not possible offline and is itself rate-limited, so vendorrisk
ships a small table of the TLDs an MSP meets; ``--whois-server`` covers the rest.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from vendorrisk import paths
from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.errors import ConfigError


def load_whois_servers(path: Path | None = None) -> dict[str, str]:
    """TLD (lower case, no dot) -> ``HOST[:PORT]``."""
    file = path or paths.data_file("whois-servers.yaml")
    data = load_yaml(file, what="the WHOIS server table") or {}
    table = data.get("servers") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        line = line_of(data, "servers") if isinstance(data, dict) else line_of(data)
        raise ConfigError(f"{file}:{line or 1}: expected a 'servers' mapping of TLD to WHOIS host")
    return {str(k).lower().strip("."): str(v).strip() for k, v in table.items() if v}


def whois_server_for(domain: str, table: dict[str, str], override: str | None) -> str | None:
    """The override if set, else the server of the longest matching suffix."""
    if override:
        return override
    labels = domain.lower().rstrip(".").split(".")
    for start in range(1, len(labels)):
        server = table.get(".".join(labels[start:]))
        if server:
            return server
    return None


QUERY_FORMATS: dict[str, str] = {
    # Verisign matches host objects too unless asked for a domain; DENIC wants its flags.
    # (As sent by the Debian ``whois`` client.)
    "whois.verisign-grs.com": "domain {}",
    "whois.denic.de": "-T dn,ace {}",
}


def query_for(host: str, domain: str) -> str:
    """The query line a WHOIS server expects for ``domain``."""
    return QUERY_FORMATS.get(host.lower(), "{}").format(domain)


def _is_internal(host: str) -> bool:
    text = host.strip("[]").lower()
    if text in ("localhost", ""):
        return True
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved


def referral_allowed(origin_host: str, target_host: str) -> bool:
    """Refuse a referral from a public server to a loopback/private address literal (SSRF).

    A server that is itself internal (a test lab, a mirror) may refer internally.
    """
    return not _is_internal(target_host) or _is_internal(origin_host)
