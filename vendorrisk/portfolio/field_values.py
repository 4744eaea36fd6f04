"""One field's raw value (text from a command line or a spreadsheet, or a typed value from
the TUI) to its typed value, or a ``ValueError`` whose message says what is acceptable.

Number fields are checked against the finite range of their :class:`FieldSpec`; NaN,
infinities and out-of-range values are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from vendorrisk.errors import InputError
from vendorrisk.portfolio.field_specs import NUMBER_KINDS, FieldSpec

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LOCATION = re.compile(r"^(?:[A-Z]{2}|EU|EEA|GLOBAL)$")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
MAX_NUMBER_CHARS = 64
"""Longer text is not parsed as a number: no range needs it, and ``int()`` of a huge digit
string is slow (and refused beyond 4300 digits)."""
MAX_VALUE_CHARS = 32_767
"""Longest text any field accepts (a spreadsheet cell's limit, so every value can be
exported): checked before any other work, so no value makes a field check slow."""
MAX_LIST_ITEMS = 500
"""Most items of a list field (regimes, locations, clauses, references...)."""
_SHOWN_CHARS = 40
_SHOWN_ITEMS = 5


def convert(spec: FieldSpec, value: Any) -> Any:
    """Convert one raw value; ``ValueError`` with a short message when it is not acceptable."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return [] if spec.kind in _LIST_KINDS else None
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS and spec.kind not in NUMBER_KINDS:
        raise ValueError(f"is longer than {MAX_VALUE_CHARS} characters")  # numbers: range text
    converter = _CONVERTERS[spec.kind]
    return converter(spec, value)


def _text(spec: FieldSpec, value: Any) -> str:
    text = (value if isinstance(value, str) else str(value)).strip()
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    if spec.max_length and len(text) > spec.max_length:
        raise ValueError(f"is longer than {spec.max_length} characters")
    return text


def _int(spec: FieldSpec, value: Any) -> int:
    number = _whole_number(value)
    if number is None or not _in_range(spec, number):
        raise ValueError(f"must be a whole number {range_text(spec)}, got {_shown(value)}")
    return number


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None  # False for NaN and infinities
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _decimal(spec: FieldSpec, value: Any) -> Decimal:
    number = _finite_decimal(value)
    if number is None or not _in_range(spec, number):
        raise ValueError(f"must be a finite number {range_text(spec)}, got {_shown(value)}")
    return number


def _finite_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or (isinstance(value, int) and value.bit_length() > 200):
        return None  # no range needs it, and str() of a huge int is refused
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _in_range(spec: FieldSpec, number: int | Decimal) -> bool:
    assert spec.minimum is not None and spec.maximum is not None
    return spec.minimum <= number <= spec.maximum


def range_text(spec: FieldSpec) -> str:
    """``between MIN and MAX`` of a number field, as its error messages and help state it."""
    return f"between {_bound(spec.minimum)} and {_bound(spec.maximum)}"


def _bound(bound: int | Decimal | None) -> str:
    return format(bound, "f") if isinstance(bound, Decimal) else str(bound)


def _shown(value: Any) -> str:
    """``value`` for a message: one line (repr), at most ``_SHOWN_CHARS`` characters."""
    if isinstance(value, str):
        value = value[:_SHOWN_CHARS]
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a {value.bit_length()}-bit number"  # repr() of a huge int is slow or refused
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _shown_all(values: list[str]) -> str:
    """The first few of ``values`` for a message, and how many more there are."""
    shown = ", ".join(_shown(v) for v in values[:_SHOWN_ITEMS])
    more = len(values) - _SHOWN_ITEMS
    return shown + (f" and {more} more" if more > 0 else "")


def _bool(spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"must be yes or no, got {_shown(value)}")


def _date(spec: FieldSpec, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"must be a date as YYYY-MM-DD, got {_shown(value)}") from None


def _datetime(spec: FieldSpec, value: Any) -> datetime:
    from datetime import UTC

    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError("must be a date-time as YYYY-MM-DDTHH:MM, "
                             f"got {_shown(value)}") from None
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first representable UTC time
        raise ValueError(f"is out of range in UTC, got {_shown(value)}") from None


def _enum(spec: FieldSpec, value: Any) -> str:
    assert spec.enum is not None
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    valid = [m.value for m in spec.enum]
    if text not in valid:
        raise ValueError(f"must be one of {', '.join(valid)}, got {_shown(value)}")
    return text


def _choice(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if text not in spec.choices:
        raise ValueError(f"must be one of {', '.join(spec.choices)}, got {_shown(value)}")
    return text


def _split(value: Any) -> list[str]:
    items: Iterable[Any] = value if isinstance(value, (list, tuple, set)) else str(value).split(",")
    out = [str(item).strip() for item in items if str(item).strip()]
    if len(out) > MAX_LIST_ITEMS:
        raise ValueError(f"has {len(out)} items, more than {MAX_LIST_ITEMS}")
    return out


def _list(spec: FieldSpec, value: Any) -> list[str]:
    items = _split(value)
    if spec.choices:
        items = [i.lower() for i in items]
        bad = [i for i in items if i not in spec.choices]
        if bad:
            raise ValueError(f"unknown value(s) {_shown_all(bad)} "
                             f"(valid: {', '.join(spec.choices)})")
    return sorted(dict.fromkeys(items)) if spec.choices else list(dict.fromkeys(items))


def _country(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().upper()
    if not _COUNTRY.match(text):
        raise ValueError(f"must be a two-letter ISO 3166 country code, got {_shown(value)}")
    return text


def _currency(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().upper()
    if not _CURRENCY.match(text):
        raise ValueError(f"must be a three-letter ISO 4217 currency code, got {_shown(value)}")
    return text


def _location(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().upper()
    if not _LOCATION.match(text):
        raise ValueError("must be EU, EEA, GLOBAL or a two-letter country code, "
                         f"got {_shown(value)}")
    return text


def _location_list(spec: FieldSpec, value: Any) -> list[str]:
    return list(dict.fromkeys(_location(spec, item) for item in _split(value)))


def _domain(spec: FieldSpec, value: Any) -> str:
    from vendorrisk.names import normalise_domain

    try:
        return normalise_domain(str(value))
    except InputError as exc:
        raise ValueError(exc.message) from None


def _ref(spec: FieldSpec, value: Any) -> str:
    return _text(spec, value)


def _reflist(spec: FieldSpec, value: Any) -> list[str]:
    return list(dict.fromkeys(_split(value)))


_LIST_KINDS = {"list", "location_list", "reflist"}
_CONVERTERS: dict[str, Callable[[FieldSpec, Any], Any]] = {
    "text": _text, "int": _int, "decimal": _decimal, "bool": _bool, "date": _date,
    "datetime": _datetime, "enum": _enum, "choice": _choice, "list": _list,
    "country": _country, "currency": _currency, "location": _location,
    "location_list": _location_list, "domain": _domain, "ref": _ref, "reflist": _reflist,
}
