"""WHOIS text (RFC 3912): pure parsing with python-whois's parser plus our own handling.

python-whois turns rate-limit and error replies into empty records and returns any field as
a str or a list, so we: detect rate-limit and no-match replies first; read status lines
ourselves (with or without the icann.org URL); prefer ``Registry Expiry Date`` over the
registrar's and otherwise take the earliest expiry; read the IANA ID and referral ourselves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

# python-whois ships no type hints or py.typed marker, and no stubs package is installed;
# its names are used as Any and every result is narrowed below.
from whois.exceptions import PywhoisError, WhoisDomainNotFoundError  # type: ignore[import-untyped]
from whois.parser import WhoisEntry, cast_date  # type: ignore[import-untyped]

from vendorrisk.probes.registration import epp, limits, profiles, whois_fields, whois_holder
from vendorrisk.probes.registration.privacy import (
    PrivacyMatcher,
    RegistrantView,
    assess_registrant,
)
from vendorrisk.probes.registration.rdap import parse_date
from vendorrisk.probes.registration.types import RegistrationData, in_utc

log = logging.getLogger(__name__)

_FLAGS = re.IGNORECASE | re.MULTILINE
_RATE_LIMIT = re.compile(
    r"limit exceeded|rate limit(?:ed| reached)|too many (?:requests|queries|connections)|"
    r"quota exceeded|exceeded (?:the )?(?:maximum|allowed)|please slow down|"
    r"temporarily blocked|access (?:denied|restricted) due to", re.IGNORECASE)
_NO_MATCH = re.compile(
    r"^\s*(?:no match(?: for)?|not found|no entries found|no data found|domain not found|"
    r"no object found|the queried object does not exist|object does not exist|"
    r"status:\s*(?:free|available)\b|.*\bis (?:free|available for registration)\b)",
    _FLAGS)
_STATUS = re.compile(r"^[ \t]*(?:domain[ \t]+)?status:[ \t]*(\S.*)$", _FLAGS)
_REGISTRY_EXPIRY = re.compile(r"^[ \t]*Registry Expiry Date:[ \t]*(\S.*)$", _FLAGS)
_ANY_EXPIRY = re.compile(
    r"^[ \t]*(?:Registrar Registration Expiration Date|Expir\w*(?: Date)?|Expiry date|"
    r"paid-till|Valid Until|renewal date):[ \t]*(\S.*)$", _FLAGS)
_CREATED = re.compile(r"^[ \t]*(?:(?:Creation Date|Registered on|created|Registration Time):|"
                      r"Record created on\b)[ \t]*(\S.*)$", _FLAGS)
_IANA_ID = re.compile(r"^[ \t]*(?:Sponsoring )?Registrar IANA ID:[ \t]*(\d{1,9})\s*$", _FLAGS)
_REFERRAL = re.compile(r"^[ \t]*Registrar WHOIS Server:[ \t]*(\S+)[ \t\r]*$", _FLAGS)
_REGISTRANT = {
    "name": re.compile(r"^[ \t]*Registrant(?: Name)?:[ \t]*(\S.*)$", _FLAGS),
    "org": re.compile(r"^[ \t]*Registrant Organi[sz]ation:[ \t]*(\S.*)$", _FLAGS),
    "email": re.compile(r"^[ \t]*Registrant E-?mail:[ \t]*(\S.*)$", _FLAGS),
    "phone": re.compile(r"^[ \t]*Registrant Phone:[ \t]*(\S.*)$", _FLAGS),
    "street": re.compile(r"^[ \t]*Registrant Street\d?:[ \t]*(\S.*)$", _FLAGS),
}
_REGISTRANT_ID = re.compile(r"^[ \t]*(?:Registry )?Registrant ID:[ \t]*(\S.*)$", _FLAGS)
# ICANN-layout registrant labels, even empty: the registrant is listed (redaction by omission).
_REGISTRANT_LISTED = re.compile(
    r"^[ \t]*Registrant (?:Name|Organi[sz]ation|E-?mail|Street\d?|State/Province|Country):",
    _FLAGS)
# ``Registrant:`` on its own line, the value indented on the next (.uk, .eu).
_REGISTRANT_BLOCK = re.compile(r"^[ \t]*Registrant:[ \t]*\r?\n[ \t]+(\S.*)$", _FLAGS)
_REGISTRANT_ADDRESS = re.compile(r"^[ \t]*Registrant's address:[ \t]*\r?\n[ \t]+(\S.*)$", _FLAGS)


PARSE_MAX_CHARS = 32_000
PARSE_MAX_LINE = 200
"""python-whois's regexes are quadratic on long runs (e-mail pattern, .uk name servers); real
records are a few KB with short lines, so parsing sees a bounded view of the reply."""


def bounded(text: str) -> str:
    """At most ``PARSE_MAX_CHARS`` of ``text``, each line cut to ``PARSE_MAX_LINE``."""
    return "\n".join(line[:PARSE_MAX_LINE] for line in text[:PARSE_MAX_CHARS].split("\n"))


class WhoisReplyError(ValueError):
    """A reply that is not registration data. ``kind``: rate_limited, not_found, garbage,
    too_large."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def decode(body: bytes, domain: str = "") -> str:
    """WHOIS has no declared charset: see :func:`limits.decode_text` (the TLD profile of
    ``domain`` may name the registry's); newlines made LF.

    A body over ``limits.MAX_ANSWER_BYTES`` is not decoded whole; :func:`parse` refuses it."""
    charset = profiles.profile_for(domain).charset if domain else None
    text = limits.decode_text(body, charset=charset)
    if len(body) > limits.MAX_ANSWER_BYTES:
        return text  # newlines left as they are, so the text stays over the limit
    return text.replace("\r\n", "\n").replace("\r", "\n")


def classify_reply(text: str, domain: str = "") -> str | None:
    """``rate_limited``, ``not_found`` or None for a reply that may hold data: the TLD
    profile's patterns (data/tld-profiles.yaml), then the built-in ones."""
    kind = whois_fields.classify(text, profiles.profile_for(domain or "x.invalid"))
    if kind is not None:
        return kind
    head = text[:4000]
    first_lines = "\n".join([line for line in head.splitlines() if line.strip()][:5])
    if _RATE_LIMIT.search(first_lines):
        return "rate_limited"
    if _NO_MATCH.search(head):
        return "not_found"
    return None


def find_referral(text: str) -> str | None:
    """The registrar's WHOIS server a thin registry names (``HOST`` or ``HOST:PORT``)."""
    match = _REFERRAL.search(text)
    if not match:
        return None
    value = match.group(1).strip().removeprefix("whois://").rstrip("/")
    return value if re.fullmatch(r"[A-Za-z0-9.\-:\[\]]{1,255}", value) else None


def parse(domain: str, text: str, matcher: PrivacyMatcher) -> RegistrationData:
    """Parse one WHOIS reply (a registry's or a registrar's)."""
    try:
        limits.check_text_size(text)
    except limits.AnswerLimitError as exc:
        raise WhoisReplyError("too_large", str(exc)) from exc
    text = bounded(text)
    kind = classify_reply(text, domain)
    if kind == "rate_limited":
        raise WhoisReplyError(kind, "server says the query rate limit is exceeded")
    if kind == "not_found":
        raise WhoisReplyError(kind, "server has no match for the domain")
    entry, lib_not_found = _load_quietly(domain, text)
    profile = profiles.profile_for(domain)
    recs = whois_fields.records(text)
    statuses = (whois_fields.statuses(recs, profile.labels["status"])
                or _strings(entry.get("status")))
    epp_codes, other = _split_statuses(statuses, recs, profile)
    registrar = _clean_registrar(next(iter(
        whois_fields.field_values(recs, profile.labels["registrar"])), None)) or _registrar(entry)
    expires = (_date_from(_REGISTRY_EXPIRY, text)
               or whois_fields.earliest_date(recs, profile.labels["expires"], profile)
               or _expiry(text, entry))
    created = (whois_fields.first_date(recs, profile.labels["created"], profile)
               or _first_date(entry.get("creation_date")) or _date_from(_CREATED, text))
    iana = _IANA_ID.search(text)
    view = _registrant(text, entry, matcher, profile)
    if not any((registrar, expires, created, statuses, iana, view.present)):
        if lib_not_found or any(p.search(text) for p in profile.empty_not_found):
            raise WhoisReplyError("not_found", "server has no match for the domain")
        raise WhoisReplyError("garbage", "reply holds no registration data")
    if not view.present and profile.withheld:
        view = RegistrantView(True, True, (), None)  # the registry never publishes it (DENIC)
    referral = find_referral(text)
    return RegistrationData(
        registrar=registrar,
        registrar_iana_id=int(iana.group(1)) if iana else None,
        created=created,
        expires=expires,
        epp_status=epp_codes,
        other_status=other,
        has_registrant=view.present,
        registrant_redacted=view.redacted,
        pii_fields_exposed=view.exposed,
        privacy_service=view.privacy_service,
        privacy_evidence=view.privacy_evidence,
        referral=referral,
        thin=referral is not None and not view.present,
    )


def _split_statuses(statuses: list[str], recs: list[whois_fields.Record],
                    profile: profiles.TldProfile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """EPP codes and other statuses; a registry's own word for ``ok`` (AFNIC ``eppstatus:
    active``, profile ``status_words``) counts only when no other EPP code is set."""
    codes, other = epp.split_statuses(statuses)
    words = [code for label, table in profile.status_words.items()
             for v in whois_fields.statuses(recs, (label,))
             if (code := table.get(v.strip().lower()))]
    if words and not codes:
        return tuple(dict.fromkeys(words)), other
    return codes, other


def _load_quietly(domain: str, text: str) -> tuple[dict[str, Any], bool]:
    """python-whois's fields, and whether it called the answer "not found" (our own reading
    decides: an answer with data is not refused for a phrase python-whois matched)."""
    try:
        return _load(domain, text), False
    except WhoisReplyError:
        return {}, True


_REGISTRAR_NOISE = re.compile(r"\s*(?:\[Tag = [^\]]*\]|\(\d{1,9}\)|\(https?://[^)]*\))\s*$")


def _clean_registrar(value: str | None) -> str | None:
    """``MarkMonitor Inc. (292)`` / ``Antel (https://…)`` -> the name; a URL or a blank is
    None."""
    if not value:
        return None
    name = _REGISTRAR_NOISE.sub("", value).strip()
    if not name or re.match(r"(?i)(?:https?://|whois\.)", name):
        return None
    return name[:300]


def _load(domain: str, text: str) -> dict[str, Any]:
    try:
        return dict(WhoisEntry.load(domain, text))
    except WhoisDomainNotFoundError as exc:
        raise WhoisReplyError("not_found", "server has no match for the domain") from exc
    except (PywhoisError, ValueError, ArithmeticError, TypeError) as exc:
        # Usually a date python-whois cannot read: parse again without its date fields.
        log.debug("python-whois failed on %s (%s); parsing without dates", domain, exc)
        regex = {k: v for k, v in WhoisEntry._regex.items() if "_date" not in k}
        try:
            return dict(WhoisEntry(domain, text, regex=regex))
        except (PywhoisError, ValueError, ArithmeticError, TypeError):
            return {}


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, str) and v.strip()]


def _registrar(entry: dict[str, Any]) -> str | None:
    names = _strings(entry.get("registrar"))
    if not names:
        return None
    name = re.sub(r"\s*\[Tag = [^\]]*\]\s*$", "", names[-1]).strip()
    return name[:300] or None


def _dates(value: Any) -> list[datetime]:
    """python-whois's dates, in UTC (so they compare); those UTC cannot hold are dropped."""
    items = value if isinstance(value, list) else [value]
    utc = [in_utc(v) for v in items if isinstance(v, datetime)]
    return [v for v in utc if v is not None]


def _first_date(value: Any) -> datetime | None:
    dates = _dates(value)
    return min(dates) if dates else None


def _date_from(pattern: re.Pattern[str], text: str) -> datetime | None:
    for match in pattern.finditer(text):
        parsed = _parse_text_date(match.group(1))
        if parsed is not None:
            return parsed
    return None


def _parse_text_date(value: str) -> datetime | None:
    value = value.strip()
    parsed = parse_date(value)
    if parsed is not None:
        return parsed
    try:
        result = cast_date(value)
    except (PywhoisError, ValueError, ArithmeticError, TypeError):
        return None
    return in_utc(result) if isinstance(result, datetime) else None


def _expiry(text: str, entry: dict[str, Any]) -> datetime | None:
    """Registry's expiry if given; else the earliest of the expiry dates found."""
    registry = _date_from(_REGISTRY_EXPIRY, text)
    if registry is not None:
        return registry
    return _first_date(entry.get("expiration_date")) or _date_from(_ANY_EXPIRY, text)


def _pick(*candidates: Callable[[], str | None]) -> str | None:
    for get in candidates:
        value = get()
        if value:
            return value.strip()[:300]
    return None


def _registrant(text: str, entry: dict[str, Any], matcher: PrivacyMatcher,
                profile: profiles.TldProfile) -> RegistrantView:
    def own(key: str) -> Callable[[], str | None]:
        def get() -> str | None:
            match = _REGISTRANT[key].search(text)
            if not match or whois_holder.is_handle(match.group(1)):
                return None  # a handle names a contact elsewhere in the answer
            return match.group(1)
        return get

    def block(pattern: re.Pattern[str]) -> Callable[[], str | None]:
        def get() -> str | None:
            match = pattern.search(text)
            return match.group(1) if match else None
        return get

    def lib(*keys: str) -> Callable[[], str | None]:
        return lambda: next((s for k in keys for s in _strings(entry.get(k))), None)

    held = whois_holder.holder(whois_fields.records(text), profile)

    def layout(key: str) -> Callable[[], str | None]:
        return lambda: held.get(key)

    values = {
        "name": _pick(own("name"), block(_REGISTRANT_BLOCK), layout("name")),
        "email": _pick(own("email"), layout("email")),
        "phone": _pick(own("phone"), layout("phone")),
        "street": _pick(own("street"), block(_REGISTRANT_ADDRESS), lib("registrant_street"),
                        layout("street")),
    }
    org = _pick(own("org"), lib("org", "registrant_org"), layout("org"))
    values["id"] = _pick(block(_REGISTRANT_ID), layout("id"))
    listed = bool(_REGISTRANT_LISTED.search(text))
    return assess_registrant(values, org=org, matcher=matcher, listed=listed)
