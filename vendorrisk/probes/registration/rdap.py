"""RDAP (RFC 9083) domain answers: pure parsing of the JSON into :class:`RegistrationData`.

Status names are RFC 8056's (mapped back to EPP codes); the registrar comes from the entity
with role ``registrar`` and its ``publicIds``; dates from ``registration`` and ``expiration``
events (``registrar expiration`` as a fallback). Redaction: RFC 9537 ``redacted`` array, the
2019 profile's ``REDACTED FOR PRIVACY`` remarks, or marker values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from vendorrisk.probes.registration import epp, limits
from vendorrisk.probes.registration.privacy import (
    PrivacyMatcher,
    RegistrantView,
    assess_registrant,
)
from vendorrisk.probes.registration.types import RegistrationData


class RdapParseError(ValueError):
    """The body is not an RDAP domain object."""


_REDACTED_NAMES = {
    "registrant name": "name", "registrant email": "email", "registrant phone": "phone",
    "registrant street": "street",
}


def loads(body: bytes) -> Mapping[str, Any]:
    """Decode an RDAP body; anything but a JSON object is a :class:`RdapParseError`, and so
    is a body over the size or depth limits of :mod:`~vendorrisk.probes.registration.limits`."""
    try:
        limits.check_size(body)
        data = json.loads(body.decode("utf-8"))
        limits.check_depth(data)
    except limits.AnswerLimitError as exc:
        raise RdapParseError(str(exc)) from exc
    except RecursionError as exc:
        raise RdapParseError(f"JSON nested deeper than {limits.MAX_JSON_DEPTH} levels") from exc
    except (UnicodeDecodeError, ValueError) as exc:  # ValueError: also a >4300-digit number
        raise RdapParseError(f"not JSON ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise RdapParseError("not a JSON object")
    return data


def parse_domain(data: Mapping[str, Any], matcher: PrivacyMatcher) -> RegistrationData:
    """Parse an RDAP domain object (registry or registrar answer)."""
    if data.get("objectClassName") not in ("domain", None) or (
        "ldhName" not in data and "status" not in data and "events" not in data
    ):
        raise RdapParseError("not an RDAP domain object")
    statuses = [s for s in _list(data.get("status")) if isinstance(s, str)]
    epp_codes, other = epp.split_statuses(statuses, rdap=True)
    entities = _all_entities(data)
    registrar = _first_with_role(entities, "registrar")
    registrant = _first_with_role(entities, "registrant")
    events = _events(data)
    redacted_fields, registrant_named = _rfc9537(data)
    view = _registrant_view(registrant, redacted_fields, registrant_named, matcher)
    name = (_vcard_text(registrar, "fn") or _vcard_text(registrar, "org")
            or _handle(registrar))
    iana = _iana_id(registrar)
    if not (name or iana or events or statuses):
        # like WHOIS's "garbage": never a complete observation without registration data
        raise RdapParseError("answer holds no registrar, date or status")
    return RegistrationData(
        registrar=name,
        registrar_iana_id=iana,
        created=events.get("registration"),
        expires=events.get("expiration") or events.get("registrar expiration"),
        epp_status=epp_codes,
        other_status=other,
        has_registrant=view.present,
        registrant_redacted=view.redacted,
        pii_fields_exposed=view.exposed,
        privacy_service=view.privacy_service,
        privacy_evidence=view.privacy_evidence,
        referral=related_link(data),
        thin=not view.present,
    )


def related_link(data: Mapping[str, Any]) -> str | None:
    """The registrar's RDAP URL for this domain (``rel: related``, RDAP media type)."""
    for link in _list(data.get("links")):
        if not isinstance(link, dict) or link.get("rel") != "related":
            continue
        href = link.get("href")
        kind = str(link.get("type") or "application/rdap+json")
        if isinstance(href, str) and "rdap+json" in kind and "/domain/" in href:
            return href
    return None


def error_text(body: bytes) -> str | None:
    """``title``/``description`` of an RDAP error body, if there is one."""
    try:
        data = loads(body)
    except RdapParseError:
        return None
    parts = [str(data.get("title") or "")]
    parts += [str(d) for d in _list(data.get("description"))[:2]]
    text = " ".join(p for p in parts if p).strip()
    return text[:200] or None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _all_entities(data: Mapping[str, Any], depth: int = 0) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    if depth > 3:
        return out
    for ent in _list(data.get("entities")):
        if isinstance(ent, dict):
            out.append(ent)
            out.extend(_all_entities(ent, depth + 1))
    return out


def _first_with_role(entities: list[Mapping[str, Any]], role: str) -> Mapping[str, Any] | None:
    for ent in entities:
        roles = [str(r).lower() for r in _list(ent.get("roles"))]
        if role in roles:
            return ent
    return None


def _vcard(entity: Mapping[str, Any] | None) -> list[list[Any]]:
    if not entity:
        return []
    arr = entity.get("vcardArray")
    if not (isinstance(arr, list) and len(arr) >= 2 and isinstance(arr[1], list)):
        return []
    return [p for p in arr[1] if isinstance(p, list) and len(p) >= 4 and isinstance(p[0], str)]


def _vcard_text(entity: Mapping[str, Any] | None, prop: str) -> str | None:
    for item in _vcard(entity):
        if item[0].lower() != prop:
            continue
        value = item[3]
        if isinstance(value, list):
            value = " ".join(str(v) for v in value if isinstance(v, str) and v)
        text = str(value).strip() if value is not None else ""
        if text:
            return text[:300]
    return None


def _street(entity: Mapping[str, Any] | None) -> str | None:
    for item in _vcard(entity):
        if item[0].lower() != "adr":
            continue
        value = item[3]
        if isinstance(value, list) and len(value) >= 3:
            street = value[2]
            parts = street if isinstance(street, list) else [street]
            text = " ".join(str(p) for p in parts if isinstance(p, str) and p).strip()
            if text:
                return text[:300]
        label = item[1].get("label") if isinstance(item[1], dict) else None
        if isinstance(label, str) and label.strip():
            return label.strip()[:300]
    return None


def _iana_id(entity: Mapping[str, Any] | None) -> int | None:
    if not entity:
        return None
    for pid in _list(entity.get("publicIds")):
        if isinstance(pid, dict) and "iana" in str(pid.get("type", "")).lower():
            ident = str(pid.get("identifier", "")).strip()
            if ident.isdigit() and len(ident) < 10:
                return int(ident)
    return None


def _events(data: Mapping[str, Any]) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for event in _list(data.get("events")):
        if not isinstance(event, dict):
            continue
        action = str(event.get("eventAction", "")).lower()
        when = parse_date(event.get("eventDate"))
        if when is not None and action not in out:
            out[action] = when
    return out


def parse_date(value: Any) -> datetime | None:
    """RFC 3339 date, in UTC; unparseable or not representable in UTC (a year-1 or
    year-9999 date with an offset) = None (unknown)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _rfc9537(data: Mapping[str, Any]) -> tuple[set[str], bool]:
    """(PII fields named as redacted, whether any registrant data is named as redacted)."""
    conformance = [str(c).lower() for c in _list(data.get("rdapConformance"))]
    fields: set[str] = set()
    registrant = False
    if "redacted" not in conformance:
        return fields, registrant
    for item in _list(data.get("redacted")):
        if not isinstance(item, dict) or not isinstance(item.get("name"), dict):
            continue
        name = item["name"]
        label = str(name.get("type") or name.get("description") or "").strip().lower()
        if label.startswith("registrant") or label == "registry registrant id":
            registrant = True
        if label in _REDACTED_NAMES:
            fields.add(_REDACTED_NAMES[label])
    return fields, registrant


def _handle(entity: Mapping[str, Any] | None) -> str | None:
    """A registry handle that is a name-like label (``REG-INTERNET-CZ``), not a number."""
    handle = entity.get("handle") if entity else None
    if not isinstance(handle, str) or not handle.strip() or handle.strip().isdigit():
        return None
    return handle.strip()[:300]


def _legacy_redacted(entity: Mapping[str, Any] | None) -> bool:
    if not entity:
        return False
    for remark in _list(entity.get("remarks")):
        if isinstance(remark, dict) and "redacted" in str(remark.get("title", "")).lower():
            return True
    return False


def _registrant_view(
    entity: Mapping[str, Any] | None, redacted_fields: set[str], named: bool,
    matcher: PrivacyMatcher,
) -> RegistrantView:
    values = {
        "name": _vcard_text(entity, "fn"),
        "email": _vcard_text(entity, "email"),
        "phone": _vcard_text(entity, "tel"),
        "street": _street(entity),
        "id": _handle(entity),  # a registrant referenced without data: withheld by omission
    }
    return assess_registrant(
        values, org=_vcard_text(entity, "org"), redacted_fields=redacted_fields,
        redaction_signal=named or _legacy_redacted(entity), matcher=matcher,
    )
