"""Inventory record fields and their validation: one set of rules for CLI, TUI and imports.

Each entity is described by a tuple of :class:`FieldSpec`. :func:`clean` turns raw values
(text from a command line or a spreadsheet, or typed values from the TUI) into typed values,
collecting every problem before raising, so a user sees them all at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from vendorrisk.errors import InputError
from vendorrisk.vocab import (
    CERTIFICATION_TYPES,
    ContractType,
    Criticality,
    DataSensitivity,
    FunctionCriticality,
    PriceModel,
    Regime,
    RelianceLevel,
    Substitutability,
    VendorKind,
    VendorStatus,
)

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LOCATION = re.compile(r"^(?:[A-Z]{2}|EU|EEA|GLOBAL)$")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    """text, int, bool, date, datetime, decimal, enum, list, country, currency, location_list,
    choice (from ``choices``), ref (a name resolved by the service)."""
    required: bool = False
    enum: type[StrEnum] | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(InputError):
    """Every problem with one record; ``str()`` is one line naming them all."""

    def __init__(self, entity: str, problems: list[FieldProblem]) -> None:
        self.problems = problems
        joined = "; ".join(str(p) for p in problems)
        super().__init__(f"invalid {entity}: {joined}")


def _f(name: str, kind: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, kind, **kw)


CLIENT_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "text", required=True, max_length=200),
    _f("regimes", "list", choices=tuple(r.value for r in Regime),
       help="regulatory regimes, comma-separated"),
    _f("residency", "location", help="required data residency: EU, EEA, GLOBAL or a country"),
    _f("account_manager", "text", max_length=200),
    _f("lei", "text", max_length=20),
    _f("notes", "text"),
)

VENDOR_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "text", required=True, max_length=200),
    _f("kind", "enum", required=True, enum=VendorKind),
    _f("legal_name", "text", max_length=300),
    _f("catalog_key", "text", max_length=100,
       help="key in data/providers.yaml or data/registrars.yaml"),
    _f("lei", "text", max_length=20),
    _f("euid", "text", max_length=60),
    _f("ultimate_parent", "text", max_length=300),
    _f("hq_country", "country"),
    _f("data_locations", "location_list", help="where data is stored, e.g. EU,US"),
    _f("processing_locations", "location_list"),
    _f("tier", "int", minimum=1, maximum=3, help="criticality tier, 1 (critical) to 3"),
    _f("status", "enum", enum=VendorStatus),
    _f("notes", "text"),
)

DOMAIN_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "domain", required=True),
    _f("client", "ref", required=True, help="client name"),
    _f("registrar", "ref", help="declared registrar (vendor name)"),
    _f("dns_providers", "reflist", help="declared DNS providers (vendor names), comma-separated"),
    _f("criticality", "enum", enum=Criticality),
    _f("notes", "text"),
)

CONTRACT_FIELDS: tuple[FieldSpec, ...] = (
    _f("vendor", "ref", required=True, help="vendor name"),
    _f("reference", "text", required=True, max_length=120),
    _f("client", "ref", help="client name; empty = MSP-wide"),
    _f("contract_type", "enum", enum=ContractType),
    _f("start_date", "date", required=True),
    _f("end_date", "date"),
    _f("auto_renew", "bool"),
    _f("renewal_term_months", "int", minimum=1, maximum=120),
    _f("notice_days_customer", "int", minimum=0, maximum=3650),
    _f("notice_days_vendor", "int", minimum=0, maximum=3650),
    _f("country_of_provision", "country"),
    _f("supported_function", "text", max_length=200),
    _f("function_criticality", "enum", enum=FunctionCriticality),
    _f("data_sensitivity", "enum", enum=DataSensitivity),
    _f("reliance_level", "enum", enum=RelianceLevel),
    _f("substitutability", "enum", enum=Substitutability),
    _f("exit_plan", "bool"),
    _f("termination_for_convenience", "bool"),
    _f("early_termination_fee", "bool"),
    _f("exit_assistance_days", "int", minimum=0, maximum=3650),
    _f("data_return", "bool"),
    _f("zone_export", "bool"),
    _f("sla_uptime", "decimal", minimum=0, maximum=100),
    _f("sla_credits", "bool"),
    _f("liability_cap", "text", max_length=200),
    _f("price_model", "enum", enum=PriceModel),
    _f("annual_value", "decimal", minimum=0),
    _f("currency", "currency"),
    _f("data_location_clause", "bool"),
    _f("subprocessor_notice", "bool"),
    _f("audit_rights", "bool"),
    _f("breach_notification_hours", "int", minimum=0, maximum=8760),
    _f("governing_law", "text", max_length=60),
    _f("clauses", "list"),
    _f("document_refs", "list"),
    _f("next_review_date", "date"),
    _f("notes", "text"),
)

CERTIFICATION_FIELDS: tuple[FieldSpec, ...] = (
    _f("vendor", "ref", required=True, help="vendor name"),
    _f("cert_type", "choice", required=True, choices=CERTIFICATION_TYPES),
    _f("auditor", "text", max_length=200),
    _f("issued", "date"),
    _f("valid_until", "date"),
    _f("period_end", "date", help="end of the period a SOC 2 report covers"),
    _f("bridge_letter_until", "date"),
    _f("scope", "text"),
    _f("evidence_ref", "text", max_length=500),
    _f("verified_by", "text", max_length=200),
    _f("verified_at", "datetime"),
)

ENTITY_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "client": CLIENT_FIELDS,
    "vendor": VENDOR_FIELDS,
    "domain": DOMAIN_FIELDS,
    "contract": CONTRACT_FIELDS,
    "certification": CERTIFICATION_FIELDS,
}


def clean(entity: str, raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate ``raw`` against ``entity``'s fields; return typed values.

    With ``partial`` (an edit), missing required fields are fine; an empty value clears a field.
    """
    specs = {s.name: s for s in ENTITY_FIELDS[entity]}
    problems: list[FieldProblem] = []
    out: dict[str, Any] = {}
    for key in raw:
        if key not in specs:
            problems.append(FieldProblem(key, f"unknown field (valid: {', '.join(specs)})"))
    for name, spec in specs.items():
        if name not in raw:
            if spec.required and not partial:
                problems.append(FieldProblem(name, "is required"))
            continue
        try:
            value = convert(spec, raw[name])
        except ValueError as exc:
            problems.append(FieldProblem(name, str(exc)))
            continue
        if value is None and spec.required:
            problems.append(FieldProblem(name, "is required"))
            continue
        out[name] = value
    _check_cross_field(entity, out, problems)
    if problems:
        raise ValidationError(entity, problems)
    return out


def _check_cross_field(entity: str, out: Mapping[str, Any], problems: list[FieldProblem]) -> None:
    if entity == "contract":
        start, end = out.get("start_date"), out.get("end_date")
        if start and end and end < start:
            problems.append(FieldProblem("end_date", f"{end} is before start_date {start}"))
    if entity == "certification":
        issued, until = out.get("issued"), out.get("valid_until")
        if issued and until and until < issued:
            problems.append(FieldProblem("valid_until", f"{until} is before issued {issued}"))


def convert(spec: FieldSpec, value: Any) -> Any:
    """Convert one raw value; ``ValueError`` with a short message when it is not acceptable."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return [] if spec.kind in _LIST_KINDS else None
    converter = _CONVERTERS[spec.kind]
    return converter(spec, value)


def _text(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str):
        value = str(value)
    text = value.strip()
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    if spec.max_length and len(text) > spec.max_length:
        raise ValueError(f"is longer than {spec.max_length} characters")
    return text


def _int(spec: FieldSpec, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, got {value!r}")
    try:
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        raise ValueError(f"must be a whole number, got {value!r}")
    _check_range(spec, number)
    return number


def _decimal(spec: FieldSpec, value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"must be a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"must be a finite number, got {value!r}")
    _check_range(spec, number)
    return number


def _check_range(spec: FieldSpec, number: int | Decimal) -> None:
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"must be at least {spec.minimum:g}, got {number}")
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(f"must be at most {spec.maximum:g}, got {number}")


def _bool(spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"must be yes or no, got {value!r}")


def _date(spec: FieldSpec, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"must be a date as YYYY-MM-DD, got {value!r}") from None


def _datetime(spec: FieldSpec, value: Any) -> datetime:
    from datetime import UTC

    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"must be a date-time as YYYY-MM-DDTHH:MM, got {value!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _enum(spec: FieldSpec, value: Any) -> str:
    assert spec.enum is not None
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    valid = [m.value for m in spec.enum]
    if text not in valid:
        raise ValueError(f"must be one of {', '.join(valid)}, got {value!r}")
    return text


def _choice(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if text not in spec.choices:
        raise ValueError(f"must be one of {', '.join(spec.choices)}, got {value!r}")
    return text


def _split(value: Any) -> list[str]:
    items: Iterable[Any] = value if isinstance(value, (list, tuple, set)) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _list(spec: FieldSpec, value: Any) -> list[str]:
    items = _split(value)
    if spec.choices:
        items = [i.lower() for i in items]
        bad = [i for i in items if i not in spec.choices]
        if bad:
            raise ValueError(f"unknown value(s) {', '.join(bad)} (valid: {', '.join(spec.choices)})")
    return sorted(dict.fromkeys(items)) if spec.choices else list(dict.fromkeys(items))


def _country(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().upper()
    if not _COUNTRY.match(text):
        raise ValueError(f"must be a two-letter ISO 3166 country code, got {value!r}")
    return text


def _currency(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().upper()
    if not _CURRENCY.match(text):
        raise ValueError(f"must be a three-letter ISO 4217 currency code, got {value!r}")
    return text


def _location(spec: FieldSpec, value: Any) -> str:
    text = str(value).strip().upper()
    if not _LOCATION.match(text):
        raise ValueError(f"must be EU, EEA, GLOBAL or a two-letter country code, got {value!r}")
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
