"""Registrar knowledge from data/registrars.yaml and data/privacy-services.yaml.

Lookup by IANA Registrar ID or by name/alias (case-, punctuation- and legal-suffix-insensitive),
and recognition of privacy/proxy services. A bad file is a :class:`ConfigError` naming the
file, line and key.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vendorrisk import paths
from vendorrisk.datafiles import line_of, load_yaml
from vendorrisk.errors import ConfigError
from vendorrisk.filecache import parse_once

FACTS = ("iana_id", "registry_lock", "account_2fa", "privacy_default", "privacy_mechanism",
         "requires_own_nameservers", "exit_notes")
_KEYS = ("name", "aliases", *FACTS, "sources")
_MECHANISMS = ("redaction", "proxy")
_SERVICE_KEYS = ("name", "operator", "aliases", "patterns", "source")
_LEGAL = {"inc", "llc", "ltd", "limited", "gmbh", "sas", "sa", "bv", "b v", "se", "ag", "plc",
          "corp", "corporation", "co", "company", "lp", "ehf", "uab", "sarl", "srl", "dba"}


def normalise(text: str) -> str:
    """``GoDaddy.com, LLC`` -> ``godaddy com``: lower case, punctuation and legal suffix gone."""
    words = re.sub(r"[^\w]+", " ", text.casefold()).split()
    while len(words) > 1 and words[-1] in _LEGAL:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class RegistrarEntry:
    key: str
    name: str
    iana_id: int | None = None
    aliases: tuple[str, ...] = ()
    registry_lock: bool | None = None
    account_2fa: bool | None = None
    privacy_default: bool | None = None
    privacy_mechanism: str | None = None
    requires_own_nameservers: bool | None = None
    """True: the registrar only serves domains delegated to its own nameservers."""
    exit_notes: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class PrivacyService:
    name: str
    operator: str | None = None
    aliases: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class RegistrarCatalog:
    registrars: tuple[RegistrarEntry, ...]
    privacy_services: tuple[PrivacyService, ...] = ()
    _by_id: dict[int, RegistrarEntry] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, RegistrarEntry] = field(init=False, repr=False, compare=False)
    _privacy: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {r.iana_id: r for r in self.registrars if r.iana_id is not None}
        by_name = {normalise(n): r for r in self.registrars for n in r.all_names}
        privacy = frozenset(normalise(n) for s in self.privacy_services
                            for n in (s.name, *s.aliases))
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_privacy", privacy)

    def by_key(self, key: str) -> RegistrarEntry | None:
        return next((r for r in self.registrars if r.key == key), None)

    def by_iana_id(self, iana_id: int | None) -> RegistrarEntry | None:
        return self._by_id.get(iana_id) if iana_id is not None else None

    def by_name(self, name: str | None) -> RegistrarEntry | None:
        return self._by_name.get(normalise(name)) if name else None

    def match(self, name: str | None, iana_id: int | None) -> RegistrarEntry | None:
        """Entry of an observed registrar: by IANA ID first, then by name/alias."""
        return self.by_iana_id(iana_id) or self.by_name(name)

    def is_privacy_service(self, name_or_org: str | None) -> bool:
        if not name_or_org or not name_or_org.strip():
            return False
        spaced = " ".join(re.sub(r"[^\w]+", " ", name_or_org.casefold()).split())
        return normalise(name_or_org) in self._privacy or any(
            p.search(spaced) for s in self.privacy_services for p in s.patterns)


def load_registrar_catalog(path: Path | None = None,
                           privacy_path: Path | None = None) -> RegistrarCatalog:
    """Load and validate data/registrars.yaml (and privacy-services.yaml next to it)."""
    file = path or paths.data_file("registrars.yaml")
    pfile = privacy_path or (file.parent / "privacy-services.yaml"
                             if path is not None else paths.data_file("privacy-services.yaml"))
    registrars = parse_once(file, _load_registrars)
    services = parse_once(pfile, _load_services) if pfile.is_file() else ()
    return RegistrarCatalog(registrars, services)


def load_privacy_services(path: Path | None = None) -> tuple[PrivacyService, ...]:
    """Load and validate data/privacy-services.yaml alone (the registration probe's matcher)."""
    return parse_once(path or paths.data_file("privacy-services.yaml"), _load_services)


@functools.lru_cache(maxsize=1)
def _default_catalog() -> RegistrarCatalog:
    return load_registrar_catalog()


def is_privacy_service(name_or_org: str | None, catalog: RegistrarCatalog | None = None) -> bool:
    """True when ``name_or_org`` is a known privacy/proxy service (data/privacy-services.yaml)."""
    return (catalog or _default_catalog()).is_privacy_service(name_or_org)


# -- validation --------------------------------------------------------------------------------

class _Doc:
    """A data file read through :func:`~vendorrisk.datafiles.load_yaml`, with its key lines."""

    def __init__(self, file: Path, what: str) -> None:
        self.file = file
        self.data = load_yaml(file, what=what, invalid="not valid YAML")

    def line(self, *keys: str | int) -> int:
        """Line of the last of ``keys`` found on the way down (a key's line, an item's line)."""
        node: Any = self.data
        best = 1
        for key in keys:
            found = next((k for k in node if str(k) == str(key)), None) \
                if isinstance(node, dict) else None
            if found is not None:
                best, node = line_of(node, found), node[found]
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                best, node = line_of(node, key), node[key]
            else:
                break
        return best

    def error(self, message: str, *keys: str | int, hint: str | None = None) -> ConfigError:
        dotted = ".".join(str(k) for k in keys)
        return ConfigError(f"{self.file}:{self.line(*keys)}: {dotted}: {message}", hint)


def _unknown(doc: _Doc, entry: Mapping[str, Any], allowed: tuple[str, ...],
             *where: str | int) -> None:
    for key in entry:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            raise doc.error("unknown key", *where, str(key),
                            hint=f"did you mean {close[0]!r}?" if close else
                            f"valid keys: {', '.join(allowed)}")


def _load_registrars(file: Path) -> tuple[RegistrarEntry, ...]:
    doc = _Doc(file, "registrar catalog")
    table = doc.data.get("registrars") if isinstance(doc.data, dict) else None
    if not isinstance(table, dict):
        raise doc.error("expected a mapping of registrar key to entry", "registrars")
    out: list[RegistrarEntry] = []
    seen_ids: dict[int, str] = {}
    for key, entry in table.items():
        where = ("registrars", str(key))
        if not isinstance(entry, dict):
            raise doc.error("must be a mapping", *where)
        _unknown(doc, entry, _KEYS, *where)
        out.append(_registrar(doc, str(key), entry, where))
        iana = out[-1].iana_id
        if iana is not None:
            if iana in seen_ids:
                raise doc.error(f"IANA ID {iana} also used by {seen_ids[iana]!r}", *where,
                                "iana_id")
            seen_ids[iana] = str(key)
    return tuple(out)


def _registrar(doc: _Doc, key: str, e: Mapping[str, Any], where: tuple[str, ...]
               ) -> RegistrarEntry:
    def check(name: str, ok: bool, what: str) -> None:
        if not ok:
            raise doc.error(f"must be {what}, got {e.get(name)!r}", *where, name)

    check("name", isinstance(e.get("name"), str) and bool(e["name"].strip()), "text")
    iana = e.get("iana_id")
    check("iana_id", iana is None or (isinstance(iana, int) and not isinstance(iana, bool)
                                      and iana > 0), "a positive whole number or null")
    aliases = e.get("aliases") or []
    check("aliases", isinstance(aliases, list) and all(isinstance(a, str) for a in aliases),
          "a list of text")
    for flag in ("registry_lock", "account_2fa", "privacy_default", "requires_own_nameservers"):
        check(flag, e.get(flag) is None or isinstance(e.get(flag), bool), "true, false or null")
    check("privacy_mechanism", e.get("privacy_mechanism") in (None, *_MECHANISMS),
          "redaction, proxy or null")
    check("exit_notes", e.get("exit_notes") is None or isinstance(e.get("exit_notes"), str),
          "text or null")
    sources = e.get("sources") or {}
    check("sources", isinstance(sources, dict)
          and all(isinstance(v, str) and v.strip() for v in sources.values()),
          "a mapping of fact to source text")
    for fact in FACTS:
        if e.get(fact) is not None and fact not in sources:
            raise doc.error("a known fact needs a source", *where, "sources",
                            hint=f"add sources.{fact} (or set {fact} to null)")
        _unknown_source = [s for s in sources if s not in FACTS]
        if _unknown_source:
            raise doc.error("names no fact", *where, "sources", _unknown_source[0],
                            hint=f"facts: {', '.join(FACTS)}")
    return RegistrarEntry(key=key, name=e["name"].strip(), iana_id=iana,
                          aliases=tuple(aliases), registry_lock=e.get("registry_lock"),
                          account_2fa=e.get("account_2fa"),
                          privacy_default=e.get("privacy_default"),
                          privacy_mechanism=e.get("privacy_mechanism"),
                          requires_own_nameservers=e.get("requires_own_nameservers"),
                          exit_notes=e.get("exit_notes"), sources=dict(sources))


def _load_services(file: Path) -> tuple[PrivacyService, ...]:
    doc = _Doc(file, "privacy services")
    items = doc.data.get("services") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise doc.error("expected a list of privacy/proxy services", "services")
    out: list[PrivacyService] = []
    for index, item in enumerate(items):
        where: tuple[str | int, ...] = ("services", index)
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise doc.error("each service needs a text 'name'", *where)
        _unknown(doc, item, _SERVICE_KEYS, *where)
        for key in ("aliases", "patterns"):
            if not isinstance(item.get(key) or [], list):
                raise doc.error("must be a list of text", *where, key)
        try:
            patterns = tuple(re.compile(str(p), re.IGNORECASE)
                             for p in item.get("patterns") or ())
        except re.error as exc:
            raise doc.error(f"bad regular expression ({exc})", *where, "patterns") from exc
        out.append(PrivacyService(item["name"], item.get("operator"),
                                  tuple(str(a) for a in item.get("aliases") or ()),
                                  patterns, item.get("source")))
    return tuple(out)
