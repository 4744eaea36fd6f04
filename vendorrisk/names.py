"""One home for domain-name handling: IDNA 2008 / UTS-46 normalisation to A-labels.

``bücher.example`` and ``xn--bcher-kva.example`` are the same domain; we store the A-label
and show the U-label. Malformed names are rejected with a message that says what is wrong.
"""

from __future__ import annotations

import ipaddress
import re

import idna

from vendorrisk.errors import InputError

MAX_NAME_OCTETS = 253
MAX_LABEL_OCTETS = 63
_LDH = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def normalise_domain(raw: str) -> str:
    """Return the lower-case A-label form of ``raw`` or raise :class:`InputError`."""
    if not isinstance(raw, str):
        raise InputError(f"domain name must be text, got {type(raw).__name__}")
    name = raw.strip()
    shown = _shorten(raw)
    if not name:
        raise InputError("domain name is empty")
    if any(ch.isspace() for ch in name):
        raise InputError(f"domain name {shown!r} contains whitespace")
    if name.endswith("."):
        name = name[:-1]
    if len(name) > 4 * MAX_NAME_OCTETS:  # before any parsing: no name longer than this is valid
        raise InputError(f"domain name {shown!r} is longer than {MAX_NAME_OCTETS} octets")
    _reject_ip_literal(name, shown)
    labels = name.split(".")
    if any(label == "" for label in labels):
        raise InputError(f"domain name {shown!r} has an empty label")
    if len(labels) < 2:
        raise InputError(f"domain name {shown!r} needs at least two labels (e.g. example.com)")
    a_labels = [_to_a_label(label, shown) for label in labels]
    result = ".".join(a_labels)
    if len(result) > MAX_NAME_OCTETS:
        raise InputError(f"domain name {shown!r} is longer than {MAX_NAME_OCTETS} octets")
    return result


def _reject_ip_literal(name: str, shown: str) -> None:
    """Reject IPv4 and IPv6 addresses (also as ``[::1]``), and a last label of digits only
    (``10.0.0.256``): no top-level domain is numeric."""
    literal = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        ipaddress.ip_address(literal)
    except ValueError:
        tld = name.rpartition(".")[2]
        if "." in name and tld.isdecimal():
            raise InputError(f"domain name {shown!r}: top-level label {tld!r} is all digits "
                             "(no top-level domain is numeric)") from None
        return
    raise InputError(f"{_shorten(name)} is an IP address, not a domain name")


def _to_a_label(label: str, shown: str) -> str:
    if "_" in label:
        raise InputError(f"domain name {shown!r}: label {label!r} contains an underscore")
    if label.isascii():
        lower = label.lower()
        if len(lower) > MAX_LABEL_OCTETS:
            raise InputError(
                f"domain name {shown!r}: label {_shorten(label)!r} is longer than "
                f"{MAX_LABEL_OCTETS} octets"
            )
        if lower.startswith("-") or lower.endswith("-"):
            raise InputError(
                f"domain name {shown!r}: label {label!r} starts or ends with a hyphen"
            )
        if not _LDH.match(lower):
            raise InputError(
                f"domain name {shown!r}: label {label!r} may hold only letters, digits and hyphens"
            )
        if lower.startswith("xn--"):
            _check_a_label(lower, shown)
        return lower
    try:
        a_label = idna.encode(label, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InputError(f"domain name {shown!r}: label {label!r} is not valid IDNA ({exc})") from exc
    if len(a_label) > MAX_LABEL_OCTETS:
        raise InputError(
            f"domain name {shown!r}: label {label!r} is longer than {MAX_LABEL_OCTETS} octets"
        )
    return a_label


def _check_a_label(label: str, shown: str) -> None:
    try:
        idna.decode(label)
    except idna.IDNAError as exc:
        raise InputError(f"domain name {shown!r}: {label!r} is not a valid A-label ({exc})") from exc


def to_unicode(a_label_name: str) -> str:
    """Return the U-label form for display; falls back to the input if it cannot be decoded."""
    try:
        return idna.decode(a_label_name)
    except idna.IDNAError:
        return a_label_name


def is_valid_domain(raw: str) -> bool:
    try:
        normalise_domain(raw)
    except InputError:
        return False
    return True


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
