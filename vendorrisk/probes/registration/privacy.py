"""Redaction markers and privacy/proxy-service matching shared by the RDAP and WHOIS parsers.

A privacy/proxy service is not redaction: the proxy is the registrant of record. Neither is
exposed PII. The list of services lives in ``data/privacy-services.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vendorrisk.catalog.registrars import load_privacy_services
from vendorrisk.probes.registration.types import PII_FIELDS

_MARKERS = re.compile(
    r"redacted|not disclosed|data protected|withheld|statutory masking|gdpr masked|"
    r"non-public data|privacy protected|hidden upon user request|please query the rdds|"
    r"please query the whois service of the registrar|contact the registrar|not available|"
    r"not shown|please visit|\bvisit www\.|for (?:the )?web-?based whois|^n/?a$|"
    r"^ano nymous$|^anonymous$|^private person$|personal data\b.*\bprotected",
    re.IGNORECASE,
)


_EMAIL = re.compile(r"(?:mailto:)?[^\s@/]+@[^\s@/]+\.[^\s@/]+", re.IGNORECASE)


_RELAY = re.compile(r"@(?:[\w-]+\.)*(?:anonymi[sz]ed|redacted)(?:[.-][\w-]+)*\.[a-z]{2,}$",
                    re.IGNORECASE)
"""An anonymised relay address (``amazon.cyou-registrant@anonymised.email``), which ICANN's
Temporary Specification allows in place of the registrant's own."""


def _looks_like(field: str, value: str) -> bool:
    """A web form or an anonymised relay address is not a published e-mail address; a phone
    needs digits."""
    if field == "email":
        return bool(_EMAIL.fullmatch(value.strip())) and not _RELAY.search(value.strip())
    if field == "phone":
        return sum(ch.isdigit() for ch in value) >= 5
    return True


def is_redaction_marker(value: str) -> bool:
    """True for values such as ``REDACTED FOR PRIVACY`` (or AFNIC's ``Ano Nymous``) that
    stand in for withheld data."""
    return bool(_MARKERS.search(value.strip()))


def _blank(value: str) -> bool:
    """``---``, ``.`` or ``null``: a placeholder, neither published nor redacted."""
    return not re.sub(r"[\W_]+", "", value) or value.strip().lower() in ("null", "none")


def normalise_name(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed: ``Domains-By-Proxy, LLC.``."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


_LEGAL = re.compile(r"(?: (?:inc|llc|ltd|limited|corp|corporation|co|ehf|gmbh|sa|sarl|bv|"
                    r"pty|plc|srl|ag|lp|l l c))+$")
_LEAD = re.compile(r"^(?:see|c o|care of|via)\s+")
HEURISTIC: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    r"\b(?:privacy|proxy) (?:service|services|protection|protect|guard|registration|customer)\b",
    r"\b(?:whois|domain|domains|contact|identity|registrant) (?:privacy|proxy)\b",
    r"\bby proxy\b",
    r"\bprivate (?:registrant|registration|whois)\b",
    r"\bwhois (?:protection|protected|agent)\b",
    r"\bidentity protect(?:ion)? (?:service|limited|ltd)\b",
))
"""A conservative name heuristic: the name says it is a privacy or proxy service."""


def _core(key: str) -> str:
    """A normalised name without a leading ``See`` / ``c/o`` and trailing legal forms."""
    return _LEGAL.sub("", _LEAD.sub("", key)).strip()


@dataclass(frozen=True)
class PrivacyMatch:
    """Which service matched, and how: ``list`` (data/privacy-services.yaml) or ``name``
    (the heuristic: the name says it is a privacy or proxy service)."""

    value: str
    how: str
    rule: str

    def evidence(self) -> str:
        what = "listed service" if self.how == "list" else "name heuristic"
        return f"{self.value} ({what}: {self.rule})"


@dataclass(frozen=True)
class PrivacyMatcher:
    """Tells whether a registrant name or organisation is a privacy/proxy service: a
    maintained list first, then a conservative name heuristic."""

    names: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()
    heuristic: bool = True

    @classmethod
    def of(cls, names: Iterable[str], patterns: Iterable[str] = (), *,
           heuristic: bool = True) -> PrivacyMatcher:
        keys = {normalise_name(n) for n in names if n.strip()}
        return cls(frozenset(keys | {_core(k) for k in keys if _core(k)}),
                   tuple(re.compile(p, re.IGNORECASE) for p in patterns), heuristic)

    def match(self, value: str | None) -> bool:
        return self.explain(value) is not None

    def explain(self, value: str | None) -> PrivacyMatch | None:
        """How ``value`` matched, or None. The heuristic never takes a redaction marker
        (``REDACTED FOR PRIVACY``) for a service."""
        if not value:
            return None
        key = normalise_name(value)
        if not key:
            return None
        for candidate in (key, _core(key)):
            if candidate in self.names:
                return PrivacyMatch(value.strip(), "list", candidate)
        for pattern in self.patterns:
            if pattern.search(key):
                return PrivacyMatch(value.strip(), "list", pattern.pattern)
        if self.heuristic and not is_redaction_marker(value):
            for pattern in HEURISTIC:
                if pattern.search(key):
                    return PrivacyMatch(value.strip(), "name", pattern.pattern)
        return None


def load_privacy_matcher(path: Path | None = None) -> PrivacyMatcher:
    """A matcher over data/privacy-services.yaml, read by the catalog's validating loader."""
    services = load_privacy_services(path)
    return PrivacyMatcher.of([n for s in services for n in (s.name, *s.aliases)],
                             [p.pattern for s in services for p in s.patterns])


@dataclass(frozen=True)
class RegistrantView:
    """The registrant as published: which PII fields are public, redacted or proxied."""

    present: bool
    redacted: bool | None
    exposed: tuple[str, ...] | None
    privacy_service: str | None
    privacy_evidence: str | None = None
    """Which list entry or name rule recognised the service."""


def assess_registrant(
    values: dict[str, str | None],
    *,
    org: str | None,
    redacted_fields: Iterable[str] = (),
    redaction_signal: bool = False,
    listed: bool = False,
    matcher: PrivacyMatcher,
) -> RegistrantView:
    """Decide redaction, proxy and exposure from the registrant's published values.

    ``values`` holds ``name``, ``email``, ``phone`` and ``street`` (None = absent);
    ``redacted_fields`` are PII fields an RFC 9537 ``redacted`` array names;
    ``redaction_signal`` is any other sign (legacy ``REDACTED FOR PRIVACY`` remark);
    ``listed``: the answer has the registrant's labels, even empty, or its registry withholds
    it by policy. ``values`` may hold ``id`` (a registry handle: listed, not PII).
    """
    redacted_set = set(redacted_fields)
    texts = {k: (v or "").strip() for k, v in values.items()}
    present = (redaction_signal or listed or bool(redacted_set) or any(texts.values())
               or bool(org and org.strip()))
    if not present:
        return RegistrantView(False, None, None, None)
    for candidate in (texts.get("name"), org):
        found = matcher.explain(candidate)
        if found is not None:
            return RegistrantView(True, False, (), found.value, found.evidence())
    markers = any(v and is_redaction_marker(v) for k, v in texts.items() if k in PII_FIELDS)
    exposed = tuple(
        f for f in PII_FIELDS
        if texts.get(f) and not is_redaction_marker(texts[f]) and not _blank(texts[f])
        and f not in redacted_set and _looks_like(f, texts[f])
    )
    # Exposed when a way to reach the person (e-mail, phone, street) is published, or a name
    # with nothing marked withheld; otherwise the registrant is redacted, by marker or by
    # omission (ICANN Temporary Specification: organisation, state and country only).
    reachable = any(f in exposed for f in ("email", "phone", "street"))
    named = "name" in exposed and not (markers or redaction_signal or redacted_set)
    redacted = not (reachable or named)
    return RegistrantView(True, redacted, exposed, None)
