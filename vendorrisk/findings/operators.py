"""Who operates a domain's nameservers, judged from host names *and* addresses (pure).

The one home of operator grouping: ``exit.single_provider`` and ``exit.no_outbound_transfer``
(findings/rules/dns.py), ``inventory.drift``, and the lock-in score's observed operators
(``store.facts`` → ``DomainFacts.observed_operators``) all read it.

Nameserver hosts are one operator when, in this order of evidence (the group's ``basis``):

- ``names``: their host names belong to one provider (a catalog pattern, else the
  registrable domain);
- ``address``: they share an address, or their addresses lie in one provider's listed
  ``networks`` (a white-label host name on that provider's address ranges is that provider);
- ``network``: their addresses share a /24 (IPv4) or a /48 (IPv6) (RFC 2182 §3.1: one
  network is one point of failure, whatever the names say). Only globally routable
  addresses count here: a prefix of private, loopback or documentation space (RFC 6890)
  names no network on the Internet.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vendorrisk.catalog.providers import ProviderCatalog
from vendorrisk.probes.dns.types import NameserverObservation

Basis = Literal["names", "address", "network"]
PREFIX_V4, PREFIX_V6 = 24, 48


@dataclass(frozen=True)
class OperatorGroup:
    """Nameserver hosts that are one operator, and why."""

    operator: str | None
    """A catalog key when one is known, else the host-name operator (registrable domain, or
    ``a|b`` when a host-name pattern is shared); ``None`` = nothing identifies it."""
    operators: tuple[str, ...]
    """Every operator the group's hosts were matched to (by name or address)."""
    hosts: tuple[str, ...]
    addresses: tuple[str, ...]
    basis: Basis
    shared: tuple[str, ...] = ()
    """What joined hosts beyond their names: shared addresses, or shared prefixes."""
    candidates: tuple[str, ...] = ()
    """Providers an ambiguous host-name pattern could mean."""

    def to_json(self) -> dict[str, Any]:
        return {"operator": self.operator, "operators": list(self.operators),
                "hosts": list(self.hosts), "addresses": list(self.addresses),
                "basis": self.basis, "shared": list(self.shared),
                "candidates": list(self.candidates)}


def host_operators(ns: NameserverObservation, catalog: ProviderCatalog) -> tuple[str, ...]:
    """Who may operate ``ns``: the providers whose networks hold its addresses, else the
    providers its host name may mean."""
    by_address = _by_address(ns, catalog)
    if by_address:
        return by_address
    return ns.provider_candidates or ((ns.provider,) if ns.provider else ())


def host_operator(ns: NameserverObservation, catalog: ProviderCatalog) -> str | None:
    """The operator id of ``ns``: by its addresses when a provider lists them, else by name."""
    by_address = _by_address(ns, catalog)
    return "|".join(by_address) if by_address else ns.provider


def operator_groups(nameservers: Sequence[NameserverObservation], catalog: ProviderCatalog
                    ) -> tuple[OperatorGroup, ...]:
    """The operators of ``nameservers``, each with its hosts and the basis that joined them."""
    n = len(nameservers)
    labels = [host_operator(ns, catalog) for ns in nameservers]
    by_range = [bool(_by_address(ns, catalog)) for ns in nameservers]
    u = _Union(n)
    u.join_equal([labels[i] if not by_range[i] else None for i in range(n)])
    after_names = u.snapshot()
    u.join_equal(labels)
    u.join_sharing([[_norm(a) for a in ns.addresses] for ns in nameservers])
    after_address = u.snapshot()
    u.join_sharing([[p for p in map(_prefix, ns.addresses) if p] for ns in nameservers])
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[u.find(i)].append(i)
    groups = [_group(nameservers, labels, by_range, after_names, after_address, idx, catalog)
              for idx in members.values()]
    return tuple(sorted(groups, key=lambda g: (g.operator or "~", g.hosts)))


def observed_operators(nameservers: Sequence[NameserverObservation], catalog: ProviderCatalog
                       ) -> tuple[str, ...]:
    """One id per identified operator (see :attr:`OperatorGroup.operator`), sorted."""
    return tuple(sorted({g.operator for g in operator_groups(nameservers, catalog)
                         if g.operator is not None}))


def _group(nameservers: Sequence[NameserverObservation], labels: list[str | None],
           by_range: list[bool], after_names: list[int], after_address: list[int],
           idx: list[int], catalog: ProviderCatalog) -> OperatorGroup:
    ops = sorted({label for i in idx if (label := labels[i])})
    known = [o for o in ops if catalog.get(o) is not None]
    basis: Basis = "names"
    shared: list[str] = []
    if len({after_address[i] for i in idx}) > 1:
        basis = "network"
        shared = _repeated(p for i in idx for p in {_prefix(a) for a in nameservers[i].addresses}
                           if p)
    elif len({after_names[i] for i in idx}) > 1 or any(by_range[i] for i in idx):
        basis = "address"
        shared = _repeated(a for i in idx for a in {_norm(x) for x in nameservers[i].addresses})
    candidates = dict.fromkeys(c for i in idx if not by_range[i]
                               for c in nameservers[i].provider_candidates)
    operator = (known or ops)[0] if ops else None
    return OperatorGroup(
        operator, tuple(ops),
        tuple(nameservers[i].name for i in idx),
        tuple(dict.fromkeys(a for i in idx for a in nameservers[i].addresses)),
        basis, tuple(shared), tuple(candidates))


def _by_address(ns: NameserverObservation, catalog: ProviderCatalog) -> tuple[str, ...]:
    keys = {k for a in ns.addresses for k in catalog.operators_at(a)}
    return tuple(sorted(keys))


def _norm(address: str) -> str:
    try:
        return ipaddress.ip_address(address).compressed
    except ValueError:
        return address


def _prefix(address: str) -> str | None:
    """The /24 or /48 holding a globally routable ``address``; None otherwise."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if not ip.is_global:
        return None
    bits = PREFIX_V4 if ip.version == 4 else PREFIX_V6
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def _repeated(values: Iterable[str]) -> list[str]:
    seen: dict[str, int] = defaultdict(int)
    for v in values:
        seen[v] += 1
    return sorted(v for v, count in seen.items() if count > 1)


class _Union:
    """Union-find over host indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def snapshot(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]

    def join_equal(self, keys: Sequence[str | None]) -> None:
        """Join the hosts whose key is the same (``None`` joins nothing)."""
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key is not None:
                self.join(i, first.setdefault(key, i))

    def join_sharing(self, values: Sequence[Sequence[str]]) -> None:
        """Join the hosts that have any value in common."""
        first: dict[str, int] = {}
        for i, vs in enumerate(values):
            for v in vs:
                self.join(i, first.setdefault(v, i))
