"""The registrant of a WHOIS answer outside the ICANN ``Registrant Name:`` layout.

Blocks (``Registrant:`` then lines, ``[Holder]``, ``Contact Type: registrant``), handles that
point to a contact paragraph (``holder: mmr-142621`` … ``nic-hdl:``) or to prefixed lines
(``owner-contact:`` then ``owner-name:``), and the flat labels a TLD profile names (.lu
``org-name``, RIPE-style ``descr:``). Pure functions over :mod:`whois_fields` records.
"""

from __future__ import annotations

import re
from dataclasses import replace

from vendorrisk.probes.registration.profiles import TldProfile, label_key
from vendorrisk.probes.registration.whois_fields import (
    HOLDER_KEYS,
    Record,
    field_values,
    is_contact_header,
)

_PART_KEYS = {
    "name": ("name", "personname", "person", "contact", "nombre", "companyenglishname",
             "organization", "organisation", "org", "organizacion", "companyname"),
    "email": ("email", "emailaddress", "mail", "holderemail"),
    "phone": ("phone", "telephone", "tel", "phonenumber", "voice", "telefono"),
    "street": ("address", "streetaddress", "street", "street1", "postaladdress", "direccion",
               "endereco"),
}
_HANDLE = re.compile(r"^[A-Z0-9]+(?:[-_][A-Z0-9]+)+$|^\d{5,}$|^[A-Z]{1,5}\d{4,}[A-Z]{0,4}$|"
                     r"^\d+\.[a-z0-9-]+(?:\.[a-z0-9-]+)+$", re.IGNORECASE)
"""``GI7803022-NICAT``, ``G79455``, ``mmr-142621``, RWhois ``221.google.ma``."""
_SECTION_MAX = 16


def is_handle(value: str) -> bool:
    """A registry contact handle (``GI7803022-NICAT``, ``G79455``), not a name."""
    return bool(_HANDLE.match(value.strip())) and any(ch.isdigit() for ch in value)


def holder(recs: list[Record], profile: TldProfile | None = None) -> dict[str, str]:
    """Registrant values of a block layout (``Registrant:`` then lines, ``[Holder]``, a
    handle pointing to a ``nic-hdl:`` paragraph, ``Contact Type: registrant``) or of the
    profile's flat labels (.lu ``org-name``). A handle alone gives ``{"id": handle}``: the
    registrant is referenced but not published. Empty when there is none."""
    keys = HOLDER_KEYS | set(profile.registrant.get("block", ()) if profile else ())
    for index, rec in enumerate(recs):
        if rec.parent is not None:
            continue
        if rec.key == "contacttype" and label_key(rec.value) in ("registrant", "holder", "owner"):
            found = _parts(_section(recs, index, stop="contacttype"))
        elif rec.key not in keys:
            continue
        elif rec.value and is_handle(rec.value):
            found = (_handle_paragraph(recs, rec.value) or _prefixed(recs, rec)
                     or {"id": rec.value})
        elif rec.value:
            found = {"name": rec.value}
        else:
            found = _block_parts(recs, index) or _parts(_section(recs, index))
        if found:
            return found
    return _flat(recs, profile) if profile else {}


def _prefixed(recs: list[Record], head: Record) -> dict[str, str]:
    """``owner-contact: P-GFI26`` followed by ``owner-name:``, ``owner-email:`` …"""
    prefix = re.sub(r"(?:contact|handle|c)$", "", head.key)
    if not prefix:
        return {}
    return _parts([replace(r, key=r.key[len(prefix):]) for r in recs
                   if r.paragraph == head.paragraph and r.key.startswith(prefix)
                   and r.key != head.key])


def _flat(recs: list[Record], profile: TldProfile) -> dict[str, str]:
    """The registrant from labels of the domain's own records the profile names."""
    out: dict[str, str] = {}
    for part, aliases in profile.registrant.items():
        if part == "block":
            continue
        value = next(iter(field_values(recs, aliases)), None)
        if value:
            out[part] = value
    return out


def _section(recs: list[Record], index: int, stop: str | None = None) -> list[Record]:
    """The records after a header that stands at the same indent as its lines
    (``Registrant:`` then ``Name:``), up to the next header."""
    out: list[Record] = []
    for rec in recs[index + 1:index + 1 + _SECTION_MAX]:
        if rec.key == stop or (rec.parent is None and not rec.value
                               and (rec.key in HOLDER_KEYS or is_contact_header(rec.key))):
            break
        out.append(rec)
    return out


def _block_parts(recs: list[Record], index: int) -> dict[str, str]:
    head = recs[index].key
    children = [r for r in recs[index + 1:index + 16] if r.parent == head]
    out = _parts(children)
    bare = [c.value for c in children if c.key == head and c.value]
    if bare and "name" not in out:
        out["name"] = bare[0]
    if len(bare) > 1 and "street" not in out:
        out["street"] = bare[1]
    return out


def _parts(recs: list[Record]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part, keys in _PART_KEYS.items():
        value = next((r.value for k in keys for r in recs if r.key == k and r.value), None)
        if value:
            out[part] = value
    return out


_HANDLE_KEYS = ("nichdl", "nichandle", "contact", "handle", "contactid")


def _handle_paragraph(recs: list[Record], handle: str) -> dict[str, str]:
    for rec in recs:
        if rec.key in _HANDLE_KEYS and rec.value == handle:
            return _parts([r for r in recs if r.paragraph == rec.paragraph
                           and r.key not in _HANDLE_KEYS])
    return {}
