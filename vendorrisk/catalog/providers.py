"""DNS provider catalog (data/providers.yaml): who operates a nameserver, and exit facts.

Every fact carries its source; an unknown fact is ``None``. A host-name pattern shared by
several operators (``*.nsone.net``: NS1 and Netlify) yields an *ambiguous* match that lists
the candidates instead of guessing. Hosts no pattern knows fall back to their registrable
domain per the Public Suffix List (offline copy shipped with ``publicsuffixlist``).

An entry may also list the address ``networks`` its nameservers answer from (``{value: [CIDR
…], source}``), so that a white-label host name on those addresses is known as that provider
(:meth:`ProviderCatalog.operators_at`).
"""

from __future__ import annotations

import fnmatch
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from publicsuffixlist import PublicSuffixList

from vendorrisk import paths
from vendorrisk.datafiles import MarkedDict, line_of, load_yaml, plain
from vendorrisk.errors import ConfigError
from vendorrisk.filecache import parse_once

KINDS = ("dns_provider", "dynamic_dns")
FACTS = ("outbound_transfer", "can_be_secondary", "dnssec_signing", "multi_signer",
         "customer_controls_apex_ns", "proprietary", "zone_export")
EXPORT_METHODS = ("zone_file", "api", "axfr", "none")
_FIELDS = {"name", "kind", "ns_patterns", "networks", "notes", *FACTS}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Fact:
    value: Any
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    kind: str
    ns_patterns: tuple[str, ...]
    facts: Mapping[str, Fact] = field(default_factory=dict)
    networks: tuple[Network, ...] = ()
    """Address ranges the provider's nameservers answer from (optional, with a source)."""
    networks_source: str | None = None

    def fact(self, name: str) -> Any:
        """The fact's value, None when unknown."""
        f = self.facts.get(name)
        return None if f is None else f.value


@dataclass(frozen=True)
class ProviderMatch:
    """Who operates ``host``: ``keys`` are catalog keys (several = ambiguous)."""

    host: str
    keys: tuple[str, ...] = ()
    registrable: str | None = None

    @property
    def ambiguous(self) -> bool:
        return len(self.keys) > 1

    @property
    def key(self) -> str | None:
        return self.keys[0] if len(self.keys) == 1 else None

    @property
    def operator(self) -> str | None:
        """Stable operator id: the key, ``a|b`` when ambiguous, else the registrable domain."""
        if self.keys:
            return "|".join(self.keys)
        return self.registrable


@dataclass(frozen=True)
class ProviderCatalog:
    providers: Mapping[str, Provider]
    source: str = "<memory>"

    @cached_property
    def _psl(self) -> PublicSuffixList:
        return PublicSuffixList()

    def get(self, key: str) -> Provider | None:
        return self.providers.get(key)

    def match(self, ns_host: str) -> ProviderMatch:
        host = ns_host.lower().rstrip(".")
        keys = tuple(k for k, p in self.providers.items()
                     if any(fnmatch.fnmatchcase(host, pat) for pat in p.ns_patterns))
        return ProviderMatch(host, keys, self._psl.privatesuffix(host) or host)

    def operators_at(self, address: str) -> tuple[str, ...]:
        """Keys of the providers whose listed ``networks`` hold ``address`` (none if invalid)."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return ()
        return tuple(k for k, p in self.providers.items()
                     if any(ip.version == n.version and ip in n for n in p.networks))


def load_provider_catalog(path: str | Path | None = None) -> ProviderCatalog:
    """Load and validate the catalog; errors name file, line and key."""
    p = Path(path) if path is not None else paths.data_file("providers.yaml")
    return parse_once(p, _parse_catalog)


def _parse_catalog(p: Path) -> ProviderCatalog:
    root = load_yaml(p, what="provider catalog", invalid="not valid YAML")
    return ProviderCatalog(_providers(root, str(p)), str(p))


def _err(src: str, line: int, msg: str) -> ConfigError:
    return ConfigError(f"{src}:{line}: {msg}")


def _at(parent: MarkedDict, key: str) -> int:
    """Line of ``parent[key]``: where a nested mapping or list starts, else the key's line."""
    value = parent.get(key)
    return line_of(value) if isinstance(value, dict | list) else parent.line_of(key)


def _mapping(node: Any, line: int, src: str, what: str) -> MarkedDict:
    if not isinstance(node, MarkedDict):
        raise _err(src, line, f"{what} must be a mapping")
    return node


def _providers(root: Any, src: str) -> dict[str, Provider]:
    if root is None:
        raise ConfigError(f"{src}: empty provider catalog")
    top = _mapping(root, line_of(root) or 1, src, "the catalog")
    for k in top:
        if k not in ("version", "providers"):
            raise _err(src, top.line_of(k),
                       f"{k}: unknown top-level key (valid: providers, version)")
    if "providers" not in top:
        raise _err(src, top.line, "missing key 'providers'")
    table = _mapping(top["providers"], _at(top, "providers"), src, "'providers'")
    return {str(key): _provider(str(key), value, _at(table, key), src)
            for key, value in table.items()}


def _provider(key: str, node: Any, line: int, src: str) -> Provider:
    fields_ = _mapping(node, line, src, f"providers.{key}")
    for k in fields_:
        if k not in _FIELDS:
            raise _err(src, fields_.line_of(k), f"providers.{key}.{k}: unknown key "
                       f"(valid: {', '.join(sorted(_FIELDS))})")
    for required in ("name", "kind", "ns_patterns"):
        if required not in fields_:
            raise _err(src, fields_.line, f"providers.{key}: missing key '{required}'")
    name = fields_["name"]
    kind = fields_["kind"]
    if kind not in KINDS:
        raise _err(src, _at(fields_, "kind"), f"providers.{key}.kind: must be one of "
                   f"{', '.join(KINDS)}, got {kind!r}")
    pats = fields_["ns_patterns"]
    if not isinstance(pats, list) or not pats or not all(isinstance(x, str) for x in pats):
        raise _err(src, _at(fields_, "ns_patterns"),
                   f"providers.{key}.ns_patterns: must be a non-empty list of host patterns")
    facts = {f: _fact(key, f, fields_[f], _at(fields_, f), src) for f in FACTS if f in fields_}
    nets, nets_source = _networks(key, fields_.get("networks"), _at(fields_, "networks"), src)
    return Provider(key, str(name), kind, tuple(p.lower() for p in pats), facts, nets,
                    nets_source)


def _networks(key: str, raw: Any, line: int, src: str) -> tuple[tuple[Network, ...], str | None]:
    """``networks: {value: [CIDR, …], source: …}`` (or absent, or null)."""
    where = f"providers.{key}.networks"
    if raw is None:
        return (), None
    if not isinstance(raw, dict) or set(raw) - {"value", "source", "note"} \
            or not isinstance(raw.get("value"), list):
        raise _err(src, line, f"{where}: must be null or a mapping with 'value' (a list of "
                   "address ranges) and 'source'")
    if raw["value"] and not raw.get("source"):
        raise _err(src, line, f"{where}: a known fact needs a 'source'")
    out: list[Network] = []
    for cidr in raw["value"]:
        try:
            out.append(ipaddress.ip_network(str(cidr), strict=True))
        except ValueError as e:
            raise _err(src, line, f"{where}: {cidr!r} is not an address range ({e})") from None
    return tuple(out), raw.get("source")


def _fact(key: str, name: str, raw: Any, line: int, src: str) -> Fact:
    where = f"providers.{key}.{name}"
    if raw is None:
        return Fact(None)
    if not isinstance(raw, dict) or "value" not in raw:
        raise _err(src, line, f"{where}: must be null or a mapping with 'value' and 'source'")
    extra = set(raw) - {"value", "source", "note"}
    if extra:
        raise _err(src, line, f"{where}: unknown key(s) {', '.join(sorted(map(str, extra)))}")
    value, source = plain(raw.get("value")), raw.get("source")
    if value is not None and not source:
        raise _err(src, line, f"{where}: a known fact needs a 'source'")
    if name == "proprietary" and value is not None and not isinstance(value, list):
        raise _err(src, line, f"{where}: value must be a list of record types or behaviours")
    if name == "zone_export" and value is not None and (
            not isinstance(value, list) or not all(v in EXPORT_METHODS for v in value)):
        raise _err(src, line, f"{where}: value must be a list drawn from "
                   f"{', '.join(EXPORT_METHODS)}")
    if name not in ("proprietary", "zone_export") and value is not None \
            and not isinstance(value, bool):
        raise _err(src, line, f"{where}: value must be true, false or null")
    return Fact(value, source, raw.get("note"))
