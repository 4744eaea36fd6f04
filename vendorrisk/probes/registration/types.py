"""Value types of the registration probe: parsed answers and the observation (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from vendorrisk.probes.types import Reason

Source = Literal["rdap", "whois"]
PII_FIELDS: tuple[str, ...] = ("name", "email", "phone", "street")


@dataclass(frozen=True)
class RegistrationData:
    """What one RDAP or WHOIS answer said, after pure parsing. None = not in this answer."""

    registrar: str | None = None
    registrar_iana_id: int | None = None
    created: datetime | None = None
    expires: datetime | None = None
    epp_status: tuple[str, ...] = ()
    other_status: tuple[str, ...] = ()
    """Statuses that are not EPP codes (e.g. DENIC ``connect``, Nominet wording)."""
    has_registrant: bool = False
    """The answer carries registrant data (values, redaction markers or a redacted array)."""
    registrant_redacted: bool | None = None
    pii_fields_exposed: tuple[str, ...] | None = None
    privacy_service: str | None = None
    privacy_evidence: str | None = None
    """Which list entry or name rule recognised ``privacy_service``."""
    referral: str | None = None
    """RDAP ``related`` URL or WHOIS registrar server named by a thin registry."""
    thin: bool = False
    """A registry answer that leaves registrant data to the registrar."""


def merge(registry: RegistrationData, registrar: RegistrationData) -> RegistrationData:
    """Registry answer is the truth for status, dates and registrar; registrant from registrar."""
    return replace(
        registry,
        registrar=registry.registrar or registrar.registrar,
        registrar_iana_id=registry.registrar_iana_id or registrar.registrar_iana_id,
        created=registry.created or registrar.created,
        expires=registry.expires or registrar.expires,
        epp_status=registry.epp_status or registrar.epp_status,
        other_status=registry.other_status or registrar.other_status,
        has_registrant=registrar.has_registrant,
        registrant_redacted=registrar.registrant_redacted,
        pii_fields_exposed=registrar.pii_fields_exposed,
        privacy_service=registrar.privacy_service,
        privacy_evidence=registrar.privacy_evidence,
        thin=False,
    )


def in_utc(value: datetime) -> datetime | None:
    """``value`` in UTC (a naive one read as UTC); None if UTC cannot hold it (year 1 or
    9999 with an offset, or an impossible offset), as a registry answer may say."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):  # ValueError: a tzinfo with an offset of a day or more
        return None


def _iso(value: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` (four-digit year even before 1000); None if not in UTC."""
    utc = None if value is None else in_utc(value)
    if utc is None:
        return None
    return utc.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _parse_iso(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RegistrationObservation:
    """The registration half of one domain's probe. Unknown is None, never guessed."""

    domain: str
    source: Source | None = None
    registrar: str | None = None
    registrar_iana_id: int | None = None
    created: datetime | None = None
    expires: datetime | None = None
    epp_status: tuple[str, ...] = ()
    registrar_locked: bool | None = None
    registry_locked: bool | None = None
    registrant_redacted: bool | None = None
    pii_fields_exposed: tuple[str, ...] | None = None
    server_lock_partial: tuple[str, ...] = ()
    update_delete_locked: bool | None = None
    other_status: tuple[str, ...] = ()
    privacy_service: str | None = None
    privacy_evidence: str | None = None
    """How the service was recognised: a listed service or the name heuristic."""
    server: str | None = None
    """Host (and registrar host after a referral) that answered, e.g. ``rdap.example``."""
    fetched_at: datetime | None = None
    cached: bool = False
    unpublished: tuple[str, ...] = ()
    """What the registry does not publish at all (e.g. DENIC: registrar, expiry, EPP status).
    Those values stay unknown (None); this is registry policy, not an unfinished probe."""
    rate_limited: bool = False
    """The registry throttled us and the retries ran out: unknown, never "no data"."""
    source_note: str | None = None
    """Why this source answered, e.g. RDAP failed and WHOIS answered in ``auto`` mode."""
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        """The DESIGN §3 ``registration`` object plus extra keys."""
        return {
            "source": self.source,
            "registrar": self.registrar,
            "registrar_iana_id": self.registrar_iana_id,
            "created": _iso(self.created),
            "expires": _iso(self.expires),
            "epp_status": list(self.epp_status),
            "registrar_locked": self.registrar_locked,
            "registry_locked": self.registry_locked,
            "registrant_redacted": self.registrant_redacted,
            "pii_fields_exposed": (None if self.pii_fields_exposed is None
                                   else list(self.pii_fields_exposed)),
            "domain": self.domain,
            "server_lock_partial": list(self.server_lock_partial),
            "update_delete_locked": self.update_delete_locked,
            "other_status": list(self.other_status),
            "privacy_service": self.privacy_service,
            "privacy_evidence": self.privacy_evidence,
            "server": self.server,
            "fetched_at": _iso(self.fetched_at),
            "cached": self.cached,
            "unpublished": list(self.unpublished),
            "rate_limited": self.rate_limited,
            "source_note": self.source_note,
            "complete": self.complete,
            "reasons": [r.to_json() for r in self.reasons],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], domain: str | None = None) -> RegistrationObservation:
        source = data.get("source")
        if source not in ("rdap", "whois", None):
            raise ValueError(f"unknown registration source {source!r}")
        pii = data.get("pii_fields_exposed")
        iana = data.get("registrar_iana_id")
        return cls(
            domain=str(domain if domain is not None else data.get("domain", "")),
            source=source,
            registrar=data.get("registrar"),
            registrar_iana_id=int(iana) if iana is not None else None,
            created=_parse_iso(data.get("created")),
            expires=_parse_iso(data.get("expires")),
            epp_status=tuple(data.get("epp_status") or ()),
            registrar_locked=data.get("registrar_locked"),
            registry_locked=data.get("registry_locked"),
            registrant_redacted=data.get("registrant_redacted"),
            pii_fields_exposed=None if pii is None else tuple(pii),
            server_lock_partial=tuple(data.get("server_lock_partial") or ()),
            update_delete_locked=data.get("update_delete_locked"),
            other_status=tuple(data.get("other_status") or ()),
            privacy_service=data.get("privacy_service"),
            privacy_evidence=data.get("privacy_evidence"),
            server=data.get("server"),
            fetched_at=_parse_iso(data.get("fetched_at")),
            cached=bool(data.get("cached", False)),
            unpublished=tuple(data.get("unpublished") or ()),
            rate_limited=bool(data.get("rate_limited", False)),
            source_note=data.get("source_note"),
            reasons=tuple(Reason.from_json(r) for r in data.get("reasons") or ()),
        )
