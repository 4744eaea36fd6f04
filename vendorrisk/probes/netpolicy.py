"""Which addresses a probe may send a packet to.

A zone names its own nameservers and their addresses, so a hostile zone could aim the probe at
the user's own network (10.x, 192.168.x, loopback, link-local). A probe sends nothing to an
address that is not globally routable (the special-purpose registries of RFC 6890) unless
configuration allows its network (``probe.allow_networks``: a lab, internal DNS) or named it
(the recursive resolver). Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from vendorrisk.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_DOCUMENTATION: tuple[Network, ...] = tuple(ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")


def parse_address(text: str) -> Address | None:
    """The address literal ``text`` (brackets and an IPv4-mapped form unwrapped), else None."""
    try:
        addr = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(addr, "ipv4_mapped", None)
    return mapped if mapped is not None else addr


def is_routable(address: Address) -> bool:
    """Globally routable unicast (RFC 6890): what a public nameserver address must be."""
    return (address.is_global and not address.is_multicast
            and not any(address in net for net in _DOCUMENTATION if net.version == address.version))


def kind_of(address: Address) -> str:
    """Why ``address`` is not globally routable, in the words an operator uses."""
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if any(address in net for net in _DOCUMENTATION if net.version == address.version):
        return "documentation"
    if address.version == 4 and address in _SHARED:
        return "shared (carrier-grade NAT)"
    if address.is_private:
        return "private"
    return "reserved"


def parse_networks(values: Iterable[str], setting: str = "probe.allow_networks"
                   ) -> tuple[Network, ...]:
    """CIDR prefixes of a setting; a bad one is a one-line ConfigError naming it."""
    out: list[Network] = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise ConfigError(f"{setting}: {value!r} is not a network",
                              "write CIDR prefixes, e.g. 127.0.0.0/8 or fd00::/8") from None
    return tuple(out)


@dataclass(frozen=True)
class NetworkPolicy:
    """``allowed``: networks configuration opened; ``named``: addresses it named itself."""

    allowed: tuple[Network, ...] = ()
    named: frozenset[str] = frozenset()

    @classmethod
    def of(cls, networks: Iterable[str], named: Iterable[str] = ()) -> NetworkPolicy:
        addrs = (parse_address(n) for n in named)
        return cls(parse_networks(networks), frozenset(str(a) for a in addrs if a))

    def counts(self, address: str) -> bool:
        """Whether ``address`` is one a probe may use: routable, or opened by configuration."""
        addr = parse_address(address)
        if addr is None:
            return False
        return (is_routable(addr) or str(addr) in self.named
                or any(addr in net for net in self.allowed if net.version == addr.version))

    def refusal(self, address: str) -> str | None:
        """None if a packet may go to ``address``, else why not (one line)."""
        if self.counts(address):
            return None
        addr = parse_address(address)
        if addr is None:
            return f"{address} is not an address literal; not queried"
        return (f"{address} is a {kind_of(addr)} address, not globally routable (RFC 6890); "
                "not queried (probe.allow_networks opens a network)")
