"""Registration findings: locks, expiry, exposed registrant data, availability, drift.

Pure: an observation, the inventory context, the registrar catalog, settings and ``now`` in;
findings out. Unknown is not fail: a value the probe could not observe raises nothing but
``probe.incomplete`` / ``whois.unavailable``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from vendorrisk.catalog.registrars import RegistrarCatalog, RegistrarEntry, normalise
from vendorrisk.config import ProbeSettings
from vendorrisk.findings.codes import Finding, make_finding
from vendorrisk.findings.context import DomainContext
from vendorrisk.probes.registration import epp
from vendorrisk.probes.registration.types import RegistrationObservation


def evaluate(obs: RegistrationObservation, ctx: DomainContext, catalog: RegistrarCatalog,
             settings: ProbeSettings, now: datetime) -> list[Finding]:
    """Every registration finding for one domain (collects all; never stops at the first)."""
    base = {"domain": obs.domain, "source": obs.source, "server": obs.server}
    findings: list[Finding] = []
    if obs.source is None:
        findings.append(make_finding("whois.unavailable", {
            **base, "reasons": [r.to_json() for r in obs.reasons]}))
    else:
        findings += _locks(obs, ctx, base)
        findings += _expiry(obs, settings, now, base)
        findings += _pii(obs, catalog, base)
        findings += _drift(obs, ctx, catalog, base)
    if obs.reasons:
        parts = sorted({r.part for r in obs.reasons})
        findings.append(make_finding(
            "probe.incomplete",
            {**base, "parts": parts, "reasons": [r.to_json() for r in obs.reasons]},
            title=f"Part of the probe could not finish: {', '.join(parts)}"))
    return findings


def _locks(obs: RegistrationObservation, ctx: DomainContext, base: dict[str, Any]
           ) -> list[Finding]:
    if not obs.epp_status:
        return []  # no status observed: unknown, not unlocked
    state = epp.classify(obs.epp_status)
    status = list(obs.epp_status)
    out: list[Finding] = []
    if not state.registrar_locked:
        out.append(make_finding("lock.transfer_unlocked", {
            **base, "epp_status": status,
            "missing_any_of": sorted(epp.TRANSFER)}))
    if not state.update_delete_locked:
        out.append(make_finding("lock.update_delete_unlocked", {
            **base, "epp_status": status, "missing_any_of": sorted(epp.UPDATE_DELETE)}))
    if ctx.critical and not state.registry_locked:
        present = list(state.server_lock_partial)
        out.append(make_finding("lock.no_registry_lock", {
            **base, "epp_status": status, "required": list(epp.SERVER_LOCK),
            "server_statuses_present": present, "partial_server_lock": bool(present)}))
    return out


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _expiry(obs: RegistrationObservation, settings: ProbeSettings, now: datetime,
            base: dict[str, Any]) -> list[Finding]:
    if obs.expires is None:
        return []
    left = obs.expires - now
    evidence = {**base, "expires": _iso(obs.expires), "checked_at": _iso(now)}
    if left.total_seconds() < 0:
        return [make_finding("registration.expired", {
            **evidence, "days_since_expiry": int(-left.total_seconds() // 86400)})]
    if left.days < settings.registration_expiry_days:
        return [make_finding("registration.expiring", {
            **evidence, "days_left": left.days,
            "window_days": settings.registration_expiry_days})]
    return []


def _pii(obs: RegistrationObservation, catalog: RegistrarCatalog, base: dict[str, Any]
         ) -> list[Finding]:
    if not obs.pii_fields_exposed:
        return []
    if obs.privacy_service and catalog.is_privacy_service(obs.privacy_service):
        return []
    return [make_finding("whois.pii_exposed", {
        **base, "fields": list(obs.pii_fields_exposed),
        "registrant_redacted": obs.registrant_redacted})]


def _declared_entry(ctx: DomainContext, catalog: RegistrarCatalog) -> RegistrarEntry | None:
    declared = ctx.declared_registrar
    if declared is None:
        return None
    return (catalog.by_key(declared.catalog_key) if declared.catalog_key else None) \
        or catalog.by_name(declared.name)


def _drift(obs: RegistrationObservation, ctx: DomainContext, catalog: RegistrarCatalog,
           base: dict[str, Any]) -> list[Finding]:
    declared = ctx.declared_registrar
    if declared is None or (obs.registrar is None and obs.registrar_iana_id is None):
        return []
    want = _declared_entry(ctx, catalog)
    seen = catalog.match(obs.registrar, obs.registrar_iana_id)
    if want is not None and obs.registrar_iana_id is not None and want.iana_id is not None:
        same = want.iana_id == obs.registrar_iana_id
        matched_by = "iana_id"
    elif want is not None and seen is not None:
        same, matched_by = want.key == seen.key, "catalog"
    else:
        names = {normalise(n) for n in (want.all_names if want else (declared.name,))}
        same, matched_by = normalise(obs.registrar or "") in names, "name"
    if same:
        return []
    return [make_finding("inventory.drift", {
        **base, "kind": "registrar", "declared": declared.name,
        "declared_catalog_key": want.key if want else declared.catalog_key,
        "declared_iana_id": want.iana_id if want else None,
        "observed": obs.registrar, "observed_iana_id": obs.registrar_iana_id,
        "observed_catalog_key": seen.key if seen else None, "matched_by": matched_by},
        title=f"Registrar is {obs.registrar or obs.registrar_iana_id}, "
              f"not the declared {declared.name}")]
