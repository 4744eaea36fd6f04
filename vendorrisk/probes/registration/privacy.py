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
    r"^n/?a$|^-+$",
    re.IGNORECASE,
)


_EMAIL = re.compile(r"(?:mailto:)?[^\s@/]+@[^\s@/]+\.[^\s@/]+", re.IGNORECASE)


def _looks_like(field: str, value: str) -> bool:
    """A web form is not a published e-mail address; a phone needs digits."""
    if field == "email":
        return bool(_EMAIL.fullmatch(value.strip()))
    if field == "phone":
        return sum(ch.isdigit() for ch in value) >= 5
    return True


def is_redaction_marker(value: str) -> bool:
    """True for values such as ``REDACTED FOR PRIVACY`` that stand in for withheld data."""
    return bool(_MARKERS.search(value.strip()))


def normalise_name(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed: ``Domains-By-Proxy, LLC.``."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class PrivacyMatcher:
    """Tells whether a registrant name or organisation is a known privacy/proxy service."""

    names: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, names: Iterable[str], patterns: Iterable[str] = ()) -> PrivacyMatcher:
        return cls(frozenset(normalise_name(n) for n in names if n.strip()),
                   tuple(re.compile(p, re.IGNORECASE) for p in patterns))

    def match(self, value: str | None) -> bool:
        if not value:
            return False
        key = normalise_name(value)
        if not key:
            return False
        return key in self.names or any(p.search(key) for p in self.patterns)


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


def assess_registrant(
    values: dict[str, str | None],
    *,
    org: str | None,
    redacted_fields: Iterable[str] = (),
    redaction_signal: bool = False,
    matcher: PrivacyMatcher,
) -> RegistrantView:
    """Decide redaction, proxy and exposure from the registrant's published values.

    ``values`` holds ``name``, ``email``, ``phone`` and ``street`` (None = absent);
    ``redacted_fields`` are PII fields an RFC 9537 ``redacted`` array names;
    ``redaction_signal`` is any other sign (legacy ``REDACTED FOR PRIVACY`` remark).
    """
    redacted_set = set(redacted_fields)
    texts = {k: (v or "").strip() for k, v in values.items()}
    present = (redaction_signal or bool(redacted_set) or any(texts.values())
               or bool(org and org.strip()))
    if not present:
        return RegistrantView(False, None, None, None)
    for candidate in (texts.get("name"), org):
        if candidate and matcher.match(candidate):
            return RegistrantView(True, False, (), candidate.strip())
    markers = any(v and is_redaction_marker(v) for v in texts.values())
    exposed = tuple(
        f for f in PII_FIELDS
        if texts.get(f) and not is_redaction_marker(texts[f]) and f not in redacted_set
        and _looks_like(f, texts[f])
    )
    redacted = redaction_signal or markers or bool(redacted_set)
    return RegistrantView(True, redacted, exposed, None)
