"""Per-TLD WHOIS layouts from ``data/tld-profiles.yaml``: label aliases, "not found" and
throttle patterns, query flags, date order and what a registry does not publish.

One loader, no code per TLD: a profile is the defaults plus the TLD's additions.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from vendorrisk import paths
from vendorrisk.datafiles import load_yaml
from vendorrisk.errors import ConfigError

FIELDS: tuple[str, ...] = ("registrar", "created", "expires", "status")
REGISTRANT_PARTS: tuple[str, ...] = ("block", "name", "org", "email", "phone", "street", "id")
PUBLISHABLE: tuple[str, ...] = ("registrar", "expires", "epp_status")


def label_key(label: str) -> str:
    """A label compared without case, spaces or punctuation: ``Domain Status   `` ->
    ``domainstatus``; ``Holder / name....`` -> ``holdername``; accents dropped
    (``expiração`` -> ``expiracao``)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", label.casefold())
                    if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", plain)


@dataclass(frozen=True)
class TldProfile:
    """How one TLD's registry answers."""

    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Field -> label keys (see :func:`label_key`), most specific first."""
    not_found: tuple[re.Pattern[str], ...] = ()
    throttled: tuple[re.Pattern[str], ...] = ()
    empty_not_found: tuple[re.Pattern[str], ...] = ()
    """Patterns that mean "no such domain" only when the answer holds no data (.bo prints
    the same notice under a registration and alone)."""
    query: str | None = None
    query_hosts: frozenset[str] = frozenset()
    """Servers that understand ``query`` (another server, e.g. a mirror, gets the bare name)."""
    date_order: str = "dmy"
    unpublished: frozenset[str] = frozenset()
    registrant: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Registrant part -> label keys: ``block`` labels that open a registrant block, and the
    flat labels of a registry that prints the holder among the domain's lines (.lu
    ``org-name``); ``id`` only tells the registrant is referenced."""
    status_words: dict[str, dict[str, str]] = field(default_factory=dict)
    """Label -> a registry's own status words that mean an EPP code (AFNIC ``eppstatus:
    active`` = ok)."""
    withheld: bool = False
    """The registry never publishes the registrant on port 43 (DENIC): redacted by policy."""
    charset: str | None = None
    """The registry's text encoding when an answer is not UTF-8 (KISA: ``euc-kr``)."""

    def query_for(self, domain: str, host: str) -> str | None:
        """The query line for ``domain`` at ``host``, or None to use the plain one."""
        if not self.query or (self.query_hosts and host.lower() not in self.query_hosts):
            return None
        return self.query.replace("{domain}", domain)


@dataclass(frozen=True)
class ProfileTable:
    defaults: TldProfile
    tlds: dict[str, TldProfile]

    def for_domain(self, domain: str) -> TldProfile:
        """The profile of the longest listed suffix of ``domain``, else the defaults."""
        labels = domain.lower().rstrip(".").split(".")
        for start in range(1, len(labels)):
            found = self.tlds.get(".".join(labels[start:]))
            if found is not None:
                return found
        return self.defaults


def _patterns(raw: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: expected a list of patterns")
    try:
        return tuple(re.compile(str(p), re.IGNORECASE) for p in raw)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern ({exc})") from exc


def _labels(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or any(k not in FIELDS for k in raw):
        raise ConfigError(f"{where}: labels must map {', '.join(FIELDS)} to lists")
    return {k: tuple(label_key(str(v)) for v in (vals or [])) for k, vals in raw.items()}


def _status_words(raw: Any, where: str) -> dict[str, dict[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ConfigError(f"{where}: status_words maps a label to {{word: EPP code}}")
    return {label_key(str(k)): {str(w).lower(): str(c) for w, c in v.items()}
            for k, v in raw.items()}


def _profile(raw: Any, where: str, base: TldProfile | None = None) -> TldProfile:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    base = base or TldProfile()
    own = _labels(raw.get("labels"), where)
    labels = {f: own.get(f, ()) + base.labels.get(f, ()) for f in FIELDS}
    order = str(raw.get("date_order", base.date_order))
    if order not in ("dmy", "mdy"):
        raise ConfigError(f"{where}: date_order must be dmy or mdy")
    publishes = raw.get("publishes") or {}
    if not isinstance(publishes, dict) or any(k not in PUBLISHABLE for k in publishes):
        raise ConfigError(f"{where}: publishes takes {', '.join(PUBLISHABLE)}")
    query = raw.get("query", base.query)
    hosts = raw.get("query_hosts") or []
    if not isinstance(hosts, list):
        raise ConfigError(f"{where}: query_hosts must be a list of host names")
    charset = raw.get("charset", base.charset)
    if charset is not None:
        try:
            codecs.lookup(str(charset))
        except LookupError:
            raise ConfigError(f"{where}: unknown charset {charset!r}") from None
    registrant = raw.get("registrant") or {}
    if not isinstance(registrant, dict) or any(k not in REGISTRANT_PARTS for k in registrant):
        raise ConfigError(f"{where}: registrant maps {', '.join(REGISTRANT_PARTS)} to lists")
    return TldProfile(
        registrant={k: tuple(label_key(str(v)) for v in (vals or []))
                    for k, vals in registrant.items()},
        withheld=bool(raw.get("registrant_withheld", False)),
        status_words=_status_words(raw.get("status_words"), where),
        labels=labels,
        not_found=_patterns(raw.get("not_found"), where) + base.not_found,
        throttled=_patterns(raw.get("throttled"), where) + base.throttled,
        empty_not_found=_patterns(raw.get("empty_not_found"), where) + base.empty_not_found,
        query=str(query) if query else None,
        query_hosts=frozenset(str(h).lower() for h in hosts),
        date_order=order,
        unpublished=frozenset(k for k, v in publishes.items() if v is False),
        charset=str(charset) if charset else None,
    )


def parse_profiles(data: Any, source: str) -> ProfileTable:
    if not isinstance(data, dict) or not isinstance(data.get("defaults"), dict):
        raise ConfigError(f"{source}: expected 'defaults' and 'tlds' mappings")
    defaults = _profile(data["defaults"], f"{source}: defaults")
    tlds = data.get("tlds") or {}
    if not isinstance(tlds, dict):
        raise ConfigError(f"{source}: 'tlds' must map TLDs to profiles")
    return ProfileTable(defaults, {
        str(tld).lower().strip("."): _profile(raw, f"{source}: {tld}", defaults)
        for tld, raw in tlds.items()})


@lru_cache(maxsize=4)
def load_profiles(path: Path | None = None) -> ProfileTable:
    """The TLD profile table (cached); a bad file is a :class:`ConfigError`."""
    file = path or paths.data_file("tld-profiles.yaml")
    return parse_profiles(load_yaml(file, what="the TLD profile table"), str(file))


def profile_for(domain: str) -> TldProfile:
    return load_profiles().for_domain(domain)
