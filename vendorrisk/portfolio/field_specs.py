"""The inventory entities' fields: one :class:`FieldSpec` per field, in form order.

The CLI, the TUI, imports and exports all read these tables; :mod:`vendorrisk.portfolio.fields`
validates records against them and :mod:`vendorrisk.portfolio.field_values` converts values.

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
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

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

NUMBER_KINDS = frozenset({"int", "decimal"})

# DORA register closed lists (their EBA QNames are in data/dora-register.yaml ``lists``).
DORA_SERVICE_TYPES = tuple(f"s{n:02d}" for n in range(1, 20))  # S01-S19, any case
DORA_ENTITY_TYPES = (
    "credit_institution", "investment_firm", "payment_institution",
    "account_information_service_provider", "electronic_money_institution",
    "crypto_asset_service_provider", "central_securities_depository", "trading_venue",
    "trade_repository", "asset_management_company", "central_counterparty",
)
DORA_SUBSTITUTABILITY_REASONS = ("no_alternatives", "migration_difficult", "both")
DORA_REINTEGRATION = ("easy", "difficult", "highly_complex", "not_applicable")
DORA_IMPACT = ("low", "medium", "high", "not_assessed")
DORA_YES_NO_NOT_ASSESSED = ("yes", "no", "not_assessed")


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


def _f(name: str, kind: str, **kw: Any) -> FieldSpec:
    spec = FieldSpec(name, kind, **kw)
    if kind in NUMBER_KINDS and (spec.minimum is None or spec.maximum is None):
        raise TypeError(f"number field {name!r} needs a minimum and a maximum")
    return spec


CLIENT_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "text", required=True, max_length=200),
    _f("regimes", "list", choices=tuple(r.value for r in Regime),
       help="regulatory regimes, comma-separated"),
    _f("residency", "location", help="required data residency: EU, EEA, GLOBAL or a country"),
    _f("account_manager", "text", max_length=200),
    _f("lei", "text", max_length=20),
    _f("country", "country", help="country where the client is established (DORA)"),
    _f("entity_type", "choice", choices=DORA_ENTITY_TYPES, help="DORA type of entity"),
    _f("competent_authority", "text", max_length=200, help="DORA competent authority"),
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
    _f("ict_service_type", "choice", choices=DORA_SERVICE_TYPES,
       help="DORA type of ICT services, S01-S19 (data/dora-register.yaml)"),
    _f("past_year_expense", "decimal", minimum=0, maximum=Decimal("999999999999.99"),
       help="amount paid in the past year (DORA B_02.01)"),
    _f("data_storage", "bool", help="the vendor stores the client's data (DORA B_02.02)"),
    _f("substitutability_reason", "choice", choices=DORA_SUBSTITUTABILITY_REASONS),
    _f("reintegration", "choice", choices=DORA_REINTEGRATION,
       help="possibility of reintegrating the service (DORA B_07.01)"),
    _f("discontinuing_impact", "choice", choices=DORA_IMPACT,
       help="impact of discontinuing the service (DORA B_07.01)"),
    _f("alternatives_identified", "choice", choices=DORA_YES_NO_NOT_ASSESSED),
    _f("last_audit_date", "date", help="last audit of the vendor (DORA B_07.01)"),
    _f("notes", "text"),
)

DORA_FUNCTION_FIELDS: tuple[FieldSpec, ...] = (
    _f("client", "ref", required=True, help="client name"),
    _f("identifier", "text", required=True, max_length=40, help="function identifier, e.g. F1"),
    _f("name", "text", required=True, max_length=200),
    _f("licensed_activity", "text", max_length=20, help="EBA licenced activity, e.g. eba_TA:x28"),
    _f("criticality", "choice", choices=DORA_YES_NO_NOT_ASSESSED,
       help="critical or important"),
    _f("criticality_reason", "text"),
    _f("last_assessed", "date"),
    _f("rto_hours", "int", minimum=0, maximum=8760, help="recovery time objective, hours"),
    _f("rpo_hours", "int", minimum=0, maximum=8760, help="recovery point objective, hours"),
    _f("discontinuing_impact", "choice", choices=DORA_IMPACT),
    _f("contracts", "list", help="references of the client's contracts that support it"),
)
"""A client's function (DORA B_06.01). ``contracts`` is no column: the function service sets
each named contract's ``supported_function`` to the function's identifier."""

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
    "dora_function": DORA_FUNCTION_FIELDS,
}
