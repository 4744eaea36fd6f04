"""The finding catalogue: every code declared once, with severity, title and references.

The codes and their meanings are a contract (DESIGN §3): other tools read them.
``tests/unit/findings/test_codes.py`` checks this table against the design document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from vendorrisk.vocab import Severity as Severity  # re-exported: the catalogue speaks of severities


class SubjectKind(StrEnum):
    DOMAIN = "domain"
    VENDOR = "vendor"
    CONTRACT = "contract"


@dataclass(frozen=True)
class FindingSpec:
    code: str
    severity: Severity
    subject: SubjectKind
    title: str
    """Title template; ``{name}`` placeholders are filled from the evidence."""
    description: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One finding as raised by a rule: what the JSON contract calls a finding object."""

    code: str
    severity: Severity
    title: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "evidence": dict(self.evidence),
        }


def _spec(
    code: str, severity: Severity, subject: SubjectKind, title: str, description: str, *refs: str
) -> FindingSpec:
    return FindingSpec(code, severity, subject, title, description, tuple(refs))


S, D, V, C = Severity, SubjectKind.DOMAIN, SubjectKind.VENDOR, SubjectKind.CONTRACT

CATALOG: dict[str, FindingSpec] = {
    s.code: s
    for s in (
        _spec("dnssec.unsigned", S.MEDIUM, D, "Zone is not signed (no DS at the parent)",
              "No DS record at the parent: the zone is insecure.", "RFC 4035 §5"),
        _spec("dnssec.bogus", S.CRITICAL, D, "DNSSEC chain does not validate",
              "A DS exists but the chain of trust does not validate.", "RFC 4035 §5"),
        _spec("dnssec.ds_mismatch", S.CRITICAL, D, "No DNSKEY matches any DS at the parent",
              "Every DS at the parent points at a key the zone does not publish.", "RFC 4509"),
        _spec("dnssec.expired_signatures", S.CRITICAL, D, "A needed RRSIG is outside its validity",
              "A signature the chain depends on is expired or not yet valid.", "RFC 4034 §3.1.5"),
        _spec("dnssec.signatures_expiring", S.MEDIUM, D, "A needed RRSIG expires soon",
              "A signature the chain depends on expires within the configured window.",
              "RFC 4034 §3.1.5"),
        _spec("dnssec.weak_algorithm", S.HIGH, D, "Zone is signed with a deprecated algorithm",
              "An algorithm that must not be used for signing (1, 3, 5, 6, 7, 12).",
              "RFC 8624", "RFC 9904", "RFC 9905"),
        _spec("dnssec.weak_ds_digest", S.MEDIUM, D, "The only DS digest type is SHA-1",
              "DS digest type 1 must not be used.", "RFC 8624", "RFC 9905"),
        _spec("dnssec.nsec3_iterations", S.LOW, D, "NSEC3 uses extra iterations or a salt",
              "NSEC3 iterations above 0 or a salt, against current guidance.", "RFC 9276"),
        _spec("lock.transfer_unlocked", S.HIGH, D, "Domain can be transferred away",
              "Neither clientTransferProhibited nor serverTransferProhibited is set.",
              "RFC 5731 §2.3"),
        _spec("lock.update_delete_unlocked", S.MEDIUM, D, "Domain has no update or delete lock",
              "No update or delete prohibition of any kind is set.", "RFC 5731 §2.3"),
        _spec("lock.no_registry_lock", S.INFO, D, "Critical domain lacks a registry lock",
              "Not all of serverTransferProhibited, serverUpdateProhibited and "
              "serverDeleteProhibited are set.", "RFC 5731 §2.3"),
        _spec("registration.expiring", S.HIGH, D, "Registration expires soon",
              "The registration expires within the configured window.", ""),
        _spec("registration.expired", S.CRITICAL, D, "Registration has expired",
              "The registration expiry date is in the past.", ""),
        _spec("whois.pii_exposed", S.HIGH, D, "Registrant personal data is published",
              "Registrant name, email, phone or street is public and not a privacy service.",
              "GDPR Art. 5", "NIS2 Art. 28"),
        _spec("whois.unavailable", S.INFO, D, "No registration data available",
              "Neither RDAP nor WHOIS returned registration data.", "RFC 9083"),
        _spec("exit.axfr_open", S.HIGH, D, "A nameserver allows unauthenticated zone transfer",
              "A nameserver grants a zone transfer to an unauthenticated client.",
              "RFC 5936 §6", "RFC 1995"),
        _spec("exit.single_provider", S.MEDIUM, D, "Every nameserver belongs to one operator",
              "All nameservers belong to one provider: no operator diversity.", "RFC 2182"),
        _spec("exit.no_outbound_transfer", S.MEDIUM, D,
              "Operator cannot feed a secondary or export the zone",
              "The provider cannot act as primary for an outside secondary or export the zone "
              "in a standard format.", "RFC 5936"),
        _spec("dns.lame_nameserver", S.HIGH, D, "Lame delegation",
              "A delegated nameserver does not answer authoritatively for the zone.", "RFC 1912"),
        _spec("dns.ns_mismatch", S.MEDIUM, D, "Parent and child NS sets differ",
              "The parent's NS set differs from the zone's own NS set.", "RFC 1034 §4.2.2"),
        _spec("dns.soa_serial_mismatch", S.MEDIUM, D, "Nameservers serve different SOA serials",
              "The zone's nameservers serve different SOA serials.", "RFC 1996"),
        _spec("ddns.unauthenticated_update", S.CRITICAL, D,
              "A nameserver accepts unauthenticated dynamic updates",
              "A nameserver accepted an unsigned UPDATE.", "RFC 2136", "RFC 3007"),
        _spec("inventory.drift", S.MEDIUM, D, "Observed vendor differs from the declared one",
              "The observed registrar or DNS provider is not the declared one.", ""),
        _spec("probe.incomplete", S.INFO, D, "Part of the probe could not finish",
              "A part of the probe could not finish (timeout, refused, rate-limited).", ""),
        _spec("cert.expired", S.HIGH, V, "Certification has expired",
              "A certification the vendor relies on is past its validity.", "ISO/IEC 27001:2022 A.5.22"),
        _spec("cert.stale", S.MEDIUM, V, "Certification is stale or about to expire",
              "A SOC 2 report's period ended over 12 months ago, or a certification expires "
              "within 60 days.", "AICPA SOC 2"),
        _spec("cert.missing_required", S.HIGH, V, "Required certification missing",
              "A client's regimes or the vendor's tier call for a certification the vendor "
              "does not have.", ""),
        _spec("contract.clause_missing", S.HIGH, C, "Required contract clause missing",
              "A clause that the client's regimes require is absent.",
              "DORA Art. 30", "GDPR Art. 28"),
        _spec("contract.notice_deadline", S.HIGH, C, "Notice deadline approaching",
              "The last day to give notice before an automatic renewal is within 90 days.", ""),
        _spec("contract.expired", S.MEDIUM, C, "Contract ended but vendor still in use",
              "A contract has ended but the vendor still serves the client's domains.", ""),
        _spec("questionnaire.risky_answer", S.MEDIUM, V, "Risky questionnaire answer",
              "An answer that the template marks as risky (severity per question).", ""),
        _spec("questionnaire.stale", S.LOW, V, "Questionnaire is stale or missing",
              "The latest reviewed response is older than 12 months, or none exists for a "
              "tier-1 vendor.", ""),
        _spec("residency.violation", S.HIGH, V, "Data location outside residency requirement",
              "A vendor's data locations fall outside a client's residency requirement.",
              "GDPR Chapter V"),
    )
}
del S, D, V, C


def spec(code: str) -> FindingSpec:
    """Return the spec of ``code``; an unknown code is a programming error."""
    try:
        return CATALOG[code]
    except KeyError:
        raise KeyError(f"finding code {code!r} is not in the catalogue") from None


def make_finding(
    code: str,
    evidence: Mapping[str, Any],
    *,
    title: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Build a :class:`Finding` for a catalogued code.

    ``severity`` may override the catalogue's only for codes whose severity varies by case
    (``questionnaire.risky_answer`` is per question, ``contract.clause_missing`` is medium–high).
    """
    s = spec(code)
    return Finding(code=code, severity=severity or s.severity, title=title or s.title,
                   evidence=dict(evidence))
