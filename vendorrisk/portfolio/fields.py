"""Inventory record fields and their validation: one set of rules for CLI, TUI and imports.

Each entity is described by a tuple of :class:`FieldSpec`. :func:`clean` turns raw values
(text from a command line or a spreadsheet, or typed values from the TUI) into typed values,
collecting every problem before raising, so a user sees them all at once.

Every number field has a finite range stated in its definition (``minimum``/``maximum``) and
named in its error message; NaN, infinities and out-of-range values are rejected:

========================================  =====================================
field                                     range
========================================  =====================================
vendor ``tier``                           1 to 3
contract ``renewal_term_months``          1 to 120
contract ``notice_days_customer/vendor``  0 to 3650
contract ``exit_assistance_days``         0 to 3650
contract ``breach_notification_hours``    0 to 8760 (a year)
contract ``sla_uptime`` (percent)         0 to 100
contract ``annual_value``                 0 to 999999999999.99 (the column's 14 digits)
========================================  =====================================

Id fields name their vocabulary (``known``): contract ``clauses`` must be clause ids of
data/clauses.yaml, vendor ``catalog_key`` a key of the provider or registrar catalog in use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from vendorrisk.errors import InputError, did_you_mean, nearest
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
_NUMBER_KINDS = frozenset({"int", "decimal"})
MAX_NUMBER_CHARS = 64
"""Longer text is not parsed as a number: no range needs it, and ``int()`` of a huge digit
string is slow (and refused beyond 4300 digits)."""
_SHOWN_CHARS = 40


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
    minimum: int | Decimal | None = None
    """Smallest value of a number field (int, decimal): required for those."""
    maximum: int | Decimal | None = None
    """Largest value of a number field (int, decimal): required for those."""
    known: str | None = None
    """The vocabulary values must come from: ``clause`` or ``catalog_key`` (see KnownIds)."""
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


@dataclass(frozen=True)
class KnownIds:
    """Where the valid ids of ``known`` fields come from: the clause rules, and the provider and
    registrar catalogs in use (the probe settings may replace the shipped ones)."""

    providers_file: str | None = None
    registrars_file: str | None = None

    def of(self, vocabulary: str) -> frozenset[str]:
        if vocabulary == "clause":
            from vendorrisk.compliance.clauses import load_clause_rules

            return load_clause_rules().clause_ids
        if vocabulary == "catalog_key":
            from vendorrisk.catalog.providers import load_provider_catalog
            from vendorrisk.catalog.registrars import load_registrar_catalog

            registrars = Path(self.registrars_file) if self.registrars_file else None
            return (frozenset(load_provider_catalog(self.providers_file).providers)
                    | {r.key for r in load_registrar_catalog(registrars).registrars})
        raise KeyError(vocabulary)


SHIPPED_IDS = KnownIds()
_VOCABULARY_NOUN = {"clause": "clause", "catalog_key": "catalog key"}


def _f(name: str, kind: str, **kw: Any) -> FieldSpec:
    spec = FieldSpec(name, kind, **kw)
    if kind in _NUMBER_KINDS and (spec.minimum is None or spec.maximum is None):
        raise TypeError(f"number field {name!r} needs a minimum and a maximum")
    return spec


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
    _f("catalog_key", "text", max_length=100, known="catalog_key",
       help="key in data/providers.yaml or data/registrars.yaml"),
    _f("lei", "text", max_length=20),
    _f("euid", "text", max_length=60),
    _f("ultimate_parent", "text", max_length=300),
    _f("hq_country", "country"),
    _f("data_locations", "location_list", help="where data is stored, e.g. EU,US"),
    _f("processing_locations", "location_list"),
    _f("tier", "int", minimum=1, maximum=3, help="criticality tier, 1 the most critical"),
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
    _f("sla_uptime", "decimal", minimum=0, maximum=100, help="SLA uptime, percent"),
    _f("sla_credits", "bool"),
    _f("liability_cap", "text", max_length=200),
    _f("price_model", "enum", enum=PriceModel),
    _f("annual_value", "decimal", minimum=0, maximum=Decimal("999999999999.99")),
    _f("currency", "currency"),
    _f("data_location_clause", "bool"),
    _f("subprocessor_notice", "bool"),
    _f("audit_rights", "bool"),
    _f("breach_notification_hours", "int", minimum=0, maximum=8760),
    _f("governing_law", "text", max_length=60),
    _f("clauses", "list", known="clause",
       help="ids of further clauses the contract contains (data/clauses.yaml)"),
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


def clean(entity: str, raw: Mapping[str, Any], *, partial: bool = False,
          known: KnownIds = SHIPPED_IDS) -> dict[str, Any]:
    """Validate ``raw`` against ``entity``'s fields; return typed values.

    With ``partial`` (an edit), missing required fields are fine; an empty value clears a field.
    ``known`` gives the valid ids of the id fields.
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
            _check_known(spec, value, known)
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


def _check_known(spec: FieldSpec, value: Any, known: KnownIds) -> None:
    if spec.known is None or value is None or value == []:
        return
    valid = known.of(spec.known)
    unknown = [v for v in (value if isinstance(value, list) else [value]) if v not in valid]
    if unknown:
        raise ValueError(_unknown_ids(_VOCABULARY_NOUN[spec.known], unknown, valid))


def _unknown_ids(noun: str, unknown: list[str], valid: frozenset[str]) -> str:
    """``unknown clause 'dpx', did you mean 'dpa'?``; the valid ids (once) if one is not close."""
    if len(unknown) == 1:
        return f"unknown {noun} {unknown[0]!r}, {did_you_mean(unknown[0], valid)}"
    near = {v: nearest(v, valid) for v in unknown}
    parts = [f"unknown {noun} {v!r}" + (f", did you mean {n!r}?" if n else "")
             for v, n in near.items()]
    if None in near.values():
        parts.append(f"valid: {', '.join(sorted(valid))}")
    return "; ".join(parts)


def convert(spec: FieldSpec, value: Any) -> Any:
    """Convert one raw value; ``ValueError`` with a short message when it is not acceptable."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return [] if spec.kind in _LIST_KINDS else None
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
    if isinstance(value, bool):
        return None
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
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


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
