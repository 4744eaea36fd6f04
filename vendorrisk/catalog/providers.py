"""DNS provider catalog (data/providers.yaml): who operates a nameserver, and exit facts.

Every fact carries its source; an unknown fact is ``None``. A host-name pattern shared by
several operators (``*.nsone.net``: NS1 and Netlify) yields an *ambiguous* match that lists
the candidates instead of guessing. Hosts no pattern knows fall back to their registrable
domain per the Public Suffix List (offline copy shipped with ``publicsuffixlist``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from publicsuffixlist import PublicSuffixList

from vendorrisk import paths
from vendorrisk.errors import ConfigError
from vendorrisk.filecache import parse_once

KINDS = ("dns_provider", "dynamic_dns")
FACTS = ("outbound_transfer", "can_be_secondary", "dnssec_signing", "multi_signer",
         "customer_controls_apex_ns", "proprietary", "zone_export")
EXPORT_METHODS = ("zone_file", "api", "axfr", "none")
_FIELDS = {"name", "kind", "ns_patterns", "notes", *FACTS}


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


def load_provider_catalog(path: str | Path | None = None) -> ProviderCatalog:
    """Load and validate the catalog; errors name file, line and key."""
    p = Path(path) if path is not None else paths.data_file("providers.yaml")
    return parse_once(p, _parse_catalog)


def _parse_catalog(p: Path) -> ProviderCatalog:
    try:
        text = p.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read provider catalog: {exc.strerror}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML: {exc}") from exc
    return ProviderCatalog(_providers(root, str(p)), str(p))


def _err(src: str, node: yaml.Node, msg: str) -> ConfigError:
    return ConfigError(f"{src}:{node.start_mark.line + 1}: {msg}")


def _mapping(node: yaml.Node, src: str, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise _err(src, node, f"{what} must be a mapping")
    return list(node.value)


def _scalar(node: yaml.Node) -> Any:
    return yaml.safe_load(yaml.serialize(node))


def _providers(root: yaml.Node | None, src: str) -> dict[str, Provider]:
    if root is None:
        raise ConfigError(f"{src}: empty provider catalog")
    top = dict((k.value, v) for k, v in _mapping(root, src, "the catalog"))
    for k, _v in _mapping(root, src, "the catalog"):
        if k.value not in ("version", "providers"):
            raise _err(src, k, f"{k.value}: unknown top-level key (valid: providers, version)")
    if "providers" not in top:
        raise _err(src, root, "missing key 'providers'")
    out: dict[str, Provider] = {}
    for knode, vnode in _mapping(top["providers"], src, "'providers'"):
        key = str(knode.value)
        if key in out:
            raise _err(src, knode, f"providers.{key}: duplicate provider")
        out[key] = _provider(key, vnode, src)
    return out


def _provider(key: str, node: yaml.Node, src: str) -> Provider:
    items = _mapping(node, src, f"providers.{key}")
    fields_: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for k, v in items:
        if k.value not in _FIELDS:
            raise _err(src, k, f"providers.{key}.{k.value}: unknown key "
                       f"(valid: {', '.join(sorted(_FIELDS))})")
        fields_[k.value] = (k, v)
    for required in ("name", "kind", "ns_patterns"):
        if required not in fields_:
            raise _err(src, node, f"providers.{key}: missing key '{required}'")
    name = _scalar(fields_["name"][1])
    kind = _scalar(fields_["kind"][1])
    if kind not in KINDS:
        raise _err(src, fields_["kind"][1], f"providers.{key}.kind: must be one of "
                   f"{', '.join(KINDS)}, got {kind!r}")
    pats = _scalar(fields_["ns_patterns"][1])
    if not isinstance(pats, list) or not pats or not all(isinstance(x, str) for x in pats):
        raise _err(src, fields_["ns_patterns"][1],
                   f"providers.{key}.ns_patterns: must be a non-empty list of host patterns")
    facts = {f: _fact(key, f, fields_[f][1], src) for f in FACTS if f in fields_}
    return Provider(key, str(name), kind, tuple(p.lower() for p in pats), facts)


def _fact(key: str, name: str, node: yaml.Node, src: str) -> Fact:
    where = f"providers.{key}.{name}"
    raw = _scalar(node)
    if raw is None:
        return Fact(None)
    if not isinstance(raw, dict) or "value" not in raw:
        raise _err(src, node, f"{where}: must be null or a mapping with 'value' and 'source'")
    extra = set(raw) - {"value", "source", "note"}
    if extra:
        raise _err(src, node, f"{where}: unknown key(s) {', '.join(sorted(extra))}")
    value, source = raw.get("value"), raw.get("source")
    if value is not None and not source:
        raise _err(src, node, f"{where}: a known fact needs a 'source'")
    if name == "proprietary" and value is not None and not isinstance(value, list):
        raise _err(src, node, f"{where}: value must be a list of record types or behaviours")
    if name == "zone_export" and value is not None and (
            not isinstance(value, list) or not set(value) <= set(EXPORT_METHODS)):
        raise _err(src, node, f"{where}: value must be a list drawn from "
                   f"{', '.join(EXPORT_METHODS)}")
    if name not in ("proprietary", "zone_export") and value is not None \
            and not isinstance(value, bool):
        raise _err(src, node, f"{where}: value must be true, false or null")
    return Fact(value, source, raw.get("note"))
