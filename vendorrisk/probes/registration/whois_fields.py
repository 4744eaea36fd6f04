"""Labelled fields of a WHOIS answer, read the same way for every registry.

An answer is cut into records (label, value) whatever the layout: ``Label: value``,
``Label.......: value``, ``[Label]  value`` (JPRS), ``Label<TAB>value`` (SWITCH),
``Label#. . . value`` (.dz), RWhois ``domain:Label:value``, and blocks where a label stands
alone and its value or ``Name:`` follows on the next lines (.be, .ca, .it, .lv).
Paragraphs that describe a contact or a host (``nic-hdl:``, ``person:``, ``[Tech-C]``,
``Server Name:`` …) are kept apart so a contact's ``created:`` or ``status: linked`` never
becomes the domain's. Which labels mean which field comes from the TLD profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from vendorrisk.probes.registration.profiles import TldProfile, label_key

_COMMENT = re.compile(r"^\s*(?:%|#|;|>>>|\*)")
_BRACKET = re.compile(r"^\s*(?:[a-z]\.?\s*)?\[([^\]\n]{1,60})\]\s*(.*)$")
# RWhois (RFC 2167): ``domain:Created:20090324``, ``domain:Owner-Contact;I:221.google.ma``
_RWHOIS = re.compile(r"^(\s*)(?:domain|contact|host|organization):([A-Za-z][\w-]*)(?:;[A-Z])?:(.*)$",
                     re.IGNORECASE)
_COLON = re.compile(r"^(\s*)([^\s:][^:\n]{0,70}?)\s*(?:\.{2,}\s*)?:(?!//)\s*(.*)$")
# JWhoisServer (.dz): ``Registrar#. . . . . . . cerist``
_HASH = re.compile(r"^(\s*)([A-Za-z][^#:\n]{0,60}?)#(?: ?\.)+ ?(\S.*)$")
_TAB = re.compile(r"^(\s*)([A-Za-z][\w ./-]{1,40}?)\t+\s*(\S.*)$")
_WIDE = re.compile(r"^(\s*)([A-Za-z][\w-]*(?: [\w-]+){0,3})\s{3,}(\S.*)$")
_OBJECT_START = re.compile(r"^(?:contact|nic-hdl):", re.IGNORECASE)
_DOMAIN_LINE = re.compile(r"^domain(?:name)?:", re.IGNORECASE)
_CONTACT_KEYS = frozenset({
    "nichdl", "nichdlbr", "nichandle", "person", "personname", "role", "contact",
    "contacttype", "hostname", "ipaddress", "nsset", "keyset", "servername",
})
_CONTACT_HEADERS = re.compile(
    r"(?:tech|admin|zone|billing|registrant|holder|owner)\w*c$|contact|registrant|holder|"
    r"billing|technical|administrative|nameservers?$|hosts?$", re.IGNORECASE)
HOLDER_KEYS = frozenset({
    "registrant", "registrantcontact", "registrantcontactinformation", "holder",
    "domainholder", "holderofdomainname", "owner", "domainowner", "ownercontact", "titular",
    "registrantcontactname", "holdername", "ownername", "registrantname", "holderc",
    "registrantc", "ownerc", "ownershandle", "titularregistrant", "registrantinformation",
})
"""Labels that open the registrant's block."""
_BARE_KEYS = frozenset({"registrar", "administrator", "nameservers", "domaininformation"})
_NAME_KEYS = ("organization", "organisation", "org", "name", "companyname")


@dataclass(frozen=True)
class Record:
    key: str
    value: str
    parent: str | None
    contact: bool
    """In a paragraph that describes a contact or host, not the domain."""
    paragraph: int = 0


def records(text: str) -> list[Record]:
    """The answer's labelled records, in order."""
    out: list[Record] = []
    for number, paragraph in enumerate(_paragraphs(text)):
        out.extend(replace(r, paragraph=number) for r in _paragraph_records(paragraph))
    return out


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if _COMMENT.match(line):
            continue
        if _OBJECT_START.match(line) and any(_DOMAIN_LINE.match(x) for x in paragraphs[-1]):
            paragraphs.append([])  # a contact or nsset object run on without a blank line
        paragraphs[-1].append(line.rstrip())
    merged: list[list[str]] = []
    for paragraph in (p for p in paragraphs if p):
        if merged and len(merged[-1]) == 1 and _header_only(merged[-1][0]):
            merged[-1].extend(paragraph)  # ``Registrant:`` alone, its lines after a gap
        else:
            merged.append(paragraph)
    return merged


def _header_only(line: str) -> bool:
    split = _split(line)
    if split is not None:
        return not split[2]
    return _bare_header(line.strip()) is not None


def _bare_header(value: str) -> str | None:
    """The key of a label standing alone without a colon (``Registrant``, ``Holder``)."""
    if len(value) > 40 or ":" in value:
        return None
    key = label_key(value)
    header = key in HOLDER_KEYS or key in _BARE_KEYS or (
        is_contact_header(key) and not re.search(r"\d", key))
    return key if header else None


def _split(line: str) -> tuple[int, str, str, bool] | None:
    """(indent, label key, value, is a ``[Section]`` header) of a labelled line; None for a
    bare value line."""
    bracket = _BRACKET.match(line)
    if bracket:
        return 0, label_key(bracket.group(1)), bracket.group(2).strip(), True
    for pattern in (_RWHOIS, _HASH, _COLON, _TAB, _WIDE):
        match = pattern.match(line)
        if match and label_key(match.group(2)):
            return (len(match.group(1).expandtabs()), label_key(match.group(2)),
                    match.group(3).strip(), False)
    return None


@dataclass(frozen=True)
class _Block:
    key: str
    indent: int
    section: bool


def _paragraph_records(lines: list[str]) -> list[Record]:
    parsed = [_split(line) or (len(line) - len(line.lstrip()), None, line.strip(), False)
              for line in lines]
    top = min(indent for indent, _, _, _ in parsed)
    keys = {key for indent, key, _, _ in parsed if key and indent == top}
    contact = bool(keys & _CONTACT_KEYS) and not keys & {"domain", "domainname"}
    out: list[Record] = []
    block: _Block | None = None
    last: tuple[int, str] | None = None
    for indent, key, value, bracket in parsed:
        if key is None and (block is None or indent <= block.indent):
            key = _bare_header(value)
            value = "" if key else value
        if key is None and block is None and last is not None and indent > last[0]:
            out.append(Record(last[1], value, None, contact))  # a value run on (.kz statuses)
            continue
        last = (indent, key) if key and value and block is None else None
        if block is not None and (key is None or indent > block.indent
                                  or (block.section and bool(value))):
            out.append(Record(key or block.key, value, block.key,
                              contact or is_contact_header(block.key)))
            continue
        if key is None:
            continue
        if not value or value.startswith("!"):
            block = _Block(key, indent, bracket)
            out.append(Record(key, "", None, contact or is_contact_header(key)))
            continue
        block = None
        out.append(Record(key, value, None, contact))
    return out


def is_contact_header(key: str) -> bool:
    """A label that opens a contact's or host's block (``Tech-C``, ``Registrant``)."""
    return bool(_CONTACT_HEADERS.search(key))


def field_values(recs: list[Record], aliases: tuple[str, ...]) -> list[str]:
    """Values of the domain's records labelled with ``aliases``, most specific alias first;
    a block label (``Registrar:`` alone) gives its ``Name:``/``Organization:`` or its first
    bare line."""
    out: list[str] = []
    for alias in aliases:
        for index, rec in enumerate(recs):
            if rec.contact or rec.key != alias:
                continue
            if rec.parent is None and rec.value:
                out.append(rec.value)
            elif rec.parent is None:
                out.extend(_block_value(recs, index))
            elif rec.parent == alias and rec.value:
                out.append(rec.value)
    return out


def _block_value(recs: list[Record], index: int) -> list[str]:
    head = recs[index].key
    children = [r for r in recs[index + 1:index + 12] if r.parent == head]
    for name in _NAME_KEYS:
        for child in children:
            if child.key == name and child.value:
                return [child.value]
    return [c.value for c in children[:1] if c.key == head and c.value]


def statuses(recs: list[Record], aliases: tuple[str, ...]) -> list[str]:
    """The domain's status values, comma-separated lists split."""
    out: list[str] = []
    for alias in aliases:
        for rec in recs:
            if rec.contact or rec.key != alias or not rec.value:
                continue
            parts = re.split(r"\s*,\s*", rec.value) if "," in rec.value else [rec.value]
            out.extend(p for p in parts if p)
    return out


# -- dates -------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_YMD = re.compile(r"(\d{4})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{1,2})")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)")
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -](\d{4})")
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.? +(\d{1,2}),? +(?:\d{1,2}:\d{2}(?::\d{2})? +)?"
                        r"(?:[A-Z]{3,5}(?:[+-]\d{1,2})? +)?(\d{4})")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:\d{6})?(?!\d)")


def parse_date(value: str, order: str = "dmy") -> datetime | None:
    """A registry date in any of the layouts seen: ISO 8601, ``2001/03/26``, ``10.03.2008``
    (day first unless ``order`` is ``mdy``; unambiguous values win), ``26-Mar-2014``,
    ``Fri Apr 18 23:59:59 GMT 2014``, ``20090324``. None when unreadable."""
    text = value.strip().strip("\"'").strip()[:80]
    if not text:
        return None
    iso = _iso(text)
    if iso is not None:
        return iso
    for reader in (_ymd, lambda t: _numeric(t, order), _day_month, _month_day, _compact):
        found = reader(text)
        if found is not None:
            return found
    return None


def _make(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _iso(text: str) -> datetime | None:
    match = _ISO.search(text)
    if not match:
        return None
    candidate = text[match.start():].split()[0] if "T" in match.group(0) else None
    if candidate:
        try:
            parsed = datetime.fromisoformat(candidate.replace(".0Z", "Z"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _ymd(text: str) -> datetime | None:
    match = _YMD.search(text)
    return _make(*(int(g) for g in match.groups())) if match else None


def _numeric(text: str, order: str) -> datetime | None:
    match = _NUMERIC.search(text)
    if not match:
        return None
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if year < 100:
        year += 2000 if year < 70 else 1900
    day, month = (second, first) if order == "mdy" else (first, second)
    if month > 12 and day <= 12:
        day, month = month, day
    return _make(year, month, day)


def _month(name: str) -> int | None:
    return _MONTHS.get(name[:3].lower())


def _day_month(text: str) -> datetime | None:
    match = _DAY_MONTH.search(text)
    month = _month(match.group(2)) if match else None
    return _make(int(match.group(3)), month, int(match.group(1))) if match and month else None


def _month_day(text: str) -> datetime | None:
    match = _MONTH_DAY.search(text)
    month = _month(match.group(1)) if match else None
    return _make(int(match.group(3)), month, int(match.group(2))) if match and month else None


def _compact(text: str) -> datetime | None:
    match = _COMPACT.search(text)
    return _make(*(int(g) for g in match.groups())) if match else None


def dates(recs: list[Record], aliases: tuple[str, ...], profile: TldProfile) -> list[datetime]:
    """The readable dates of the domain's records labelled with ``aliases``, in alias order."""
    found = (parse_date(v, profile.date_order) for v in field_values(recs, aliases))
    return [d for d in found if d is not None]


def first_date(recs: list[Record], aliases: tuple[str, ...],
               profile: TldProfile) -> datetime | None:
    found = dates(recs, aliases, profile)
    return found[0] if found else None


def earliest_date(recs: list[Record], aliases: tuple[str, ...],
                  profile: TldProfile) -> datetime | None:
    """The earliest (a registrar's expiry may run past the registry's; the sooner one is
    the one that bites)."""
    found = dates(recs, aliases, profile)
    return min(found) if found else None


# -- answers that are not registrations ---------------------------------------------------------

def _plain_lines(text: str, limit: int) -> list[str]:
    lines = (re.sub(r"^[\s%#;*>]+", "", line).strip() for line in text[:limit].split("\n"))
    return [line.lower() for line in lines if line]


def classify(text: str, profile: TldProfile) -> str | None:
    """``rate_limited``, ``not_found`` or None (may hold data), by the profile's patterns.

    Throttle patterns are looked for on short lines only, so terms of use that mention "too
    many queries" do not make a "Domain not found." answer a throttle."""
    lines = _plain_lines(text, 12_000)
    if any(len(line) <= 120 and p.search(line) for line in lines for p in profile.throttled):
        return "rate_limited"
    if any(p.search(line) for line in lines if len(line) <= 200 for p in profile.not_found):
        return "not_found"
    return None
