"""The finding catalogue: every code declared once, with everything the code means.

A :class:`FindingSpec` says a code's severity, subject and title, which *area* raises it
(the DNS or the registration probe, or the inventory), which evidence keys tell one occurrence
from another (its identity: the store hashes them into the fingerprint, and a risk
acceptance covers exactly one identity), the RFCs or rules it rests on, and the remedy.
Adding a code touches this table and the rule that raises it, nothing else.

The codes and their meanings are a contract (DESIGN §3): other tools read them.
``tests/unit/findings/test_codes.py`` checks this table against the design document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from vendorrisk.vocab import Severity as Severity  # re-exported: the catalogue speaks of severities


class SubjectKind(StrEnum):
    DOMAIN = "domain"
    VENDOR = "vendor"
    CONTRACT = "contract"


class Area(StrEnum):
    """What raises a finding: one part of the probe, or the inventory."""

    DNS = "dns"
    REGISTRATION = "registration"
    INVENTORY = "inventory"


@dataclass(frozen=True)
class FindingSpec:
    code: str
    severity: Severity
    subject: SubjectKind
    area: Area
    """The area that raises the code (for a code both probe parts raise, see ``area_of``)."""
    title: str
    """Title template; ``{name}`` placeholders are filled from the evidence."""
    description: str
    identity: tuple[str, ...]
    """Evidence keys whose values tell one occurrence of the code from another on the same
    subject, in fingerprint order. ``()`` = the code occurs at most once per subject."""
    references: tuple[str, ...]
    """The RFCs, regulations or rule files the code rests on."""
    remedy: str
    """What change makes the finding go away."""
    area_by: Callable[[Mapping[str, Any]], Area] | None = field(
        default=None, compare=False, repr=False)
    """For a code both probe parts raise: the part one occurrence's evidence names."""
    scored_by: str | None = None
    """The lock-in factor (``data/scoring.yaml``) that already scores the fact this code
    reports; such findings do not count again among a subject's open compliance findings."""

    def area_of(self, evidence: Mapping[str, Any]) -> Area:
        """The area that raised this occurrence."""
        return self.area_by(evidence) if self.area_by is not None else self.area

    def identity_of(self, evidence: Mapping[str, Any]) -> str:
        """What tells this occurrence from the code's others on its subject, as one string.

        Domain findings: ``key=value`` of each identity key present, joined by ``|``. Vendor
        and contract findings: ``ref=<first identity value other than the client>|client=…``.
        These are the shapes earlier versions hashed, so stored fingerprints keep matching.
        """
        if self.subject is SubjectKind.DOMAIN:
            return "|".join(f"{key}={evidence[key]}" for key in self.identity if key in evidence)
        ref = next((evidence[k] for k in self.identity if k != "client" and evidence.get(k)),
                   None)
        return f"ref={ref}|client={evidence.get('client')}"

    def about(self, evidence: Mapping[str, Any]) -> str | None:
        """What the occurrence is about within its subject (the certification type, clause,
        question, client …): the value of its first identity key, if any."""
        value = next((evidence[k] for k in self.identity if evidence.get(k)), None)
        return None if value is None else str(value)


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


def _drift_area(evidence: Mapping[str, Any]) -> Area:
    return Area.REGISTRATION if evidence.get("kind") == "registrar" else Area.DNS


def _incomplete_area(evidence: Mapping[str, Any]) -> Area:
    """Parts are named ``dns.…`` or ``registration.…`` (``part``, or ``parts`` listed)."""
    parts = evidence.get("parts") or [evidence.get("part") or ""]
    head = str(parts[0]).split(".", 1)[0]
    return Area.REGISTRATION if head == Area.REGISTRATION else Area.DNS


S, D, V, C = Severity, SubjectKind.DOMAIN, SubjectKind.VENDOR, SubjectKind.CONTRACT
A = Area
# Registration findings carry the answering RDAP/WHOIS ``server`` in their identity: that
# is what the fingerprints stored so far hash, and changing it would orphan acceptances.
_REG = ("server",)
_SIG = ("server", "key_tag", "record")
_NS_DOMAIN = ("registrable_domain",)
_NS_REFS = ("ICANN SSAC SAC125 (Report on Registrar Nameserver Management)",
            "Akiwate et al., \"Risky BIZness: Risks Derived from Registrar Name Management\", "
            "IMC 2021", "Public Suffix List (publicsuffix.org)")

CATALOG: dict[str, FindingSpec] = {
    s.code: s
    for s in (
        # --- DNSSEC -------------------------------------------------------------------------
        FindingSpec(
            "dnssec.unsigned", S.MEDIUM, D, A.DNS, "Zone is not signed (no DS at the parent)",
            "No DS record at the parent: the zone is insecure.", (), ("RFC 4035 §5",),
            "Sign the zone at the DNS operator and publish its DS record at the registrar."),
        FindingSpec(
            "dnssec.bogus", S.CRITICAL, D, A.DNS, "DNSSEC chain does not validate",
            "A DS exists but the chain of trust does not validate.", (), ("RFC 4035 §5",),
            "Fix the signatures or keys at the operator, or remove the DS at the registrar "
            "until the zone validates."),
        FindingSpec(
            "dnssec.ds_mismatch", S.CRITICAL, D, A.DNS, "No DNSKEY matches any DS at the parent",
            "Every DS at the parent points at a key the zone does not publish.", _SIG,
            ("RFC 4509",),
            "Replace the DS at the registrar with one for a key the zone publishes."),
        FindingSpec(
            "dnssec.expired_signatures", S.CRITICAL, D, A.DNS,
            "A needed RRSIG is outside its validity",
            "A signature the chain depends on is expired or not yet valid.", _SIG,
            ("RFC 4034 §3.1.5",),
            "Re-sign the zone and check that automatic re-signing runs at the operator."),
        FindingSpec(
            "dnssec.signatures_expiring", S.MEDIUM, D, A.DNS, "A needed RRSIG expires soon",
            "A signature the chain depends on expires within the configured window.", _SIG,
            ("RFC 4034 §3.1.5",),
            "Check that the operator re-signs the zone before the signatures expire."),
        FindingSpec(
            "dnssec.weak_algorithm", S.HIGH, D, A.DNS, "Zone is signed with a deprecated algorithm",
            "An algorithm that must not be used for signing (1, 3, 5, 6, 7, 12).",
            ("key_tag", "record"), ("RFC 8624", "RFC 9904", "RFC 9905"),
            "Roll the zone to algorithm 13 (ECDSA P-256) or 8 (RSA/SHA-256)."),
        FindingSpec(
            "dnssec.weak_ds_digest", S.MEDIUM, D, A.DNS, "The only DS digest type is SHA-1",
            "DS digest type 1 must not be used.", ("record",), ("RFC 8624", "RFC 9905"),
            "Publish a DS with digest type 2 (SHA-256) and withdraw the SHA-1 one."),
        FindingSpec(
            "dnssec.nsec3_iterations", S.LOW, D, A.DNS, "NSEC3 uses extra iterations or a salt",
            "NSEC3 iterations above 0 or a salt, against current guidance.", ("record",),
            ("RFC 9276",), "Set NSEC3 iterations to 0 and an empty salt."),
        # --- registration ---------------------------------------------------------------------
        FindingSpec(
            "lock.transfer_unlocked", S.HIGH, D, A.REGISTRATION, "Domain can be transferred away",
            "Neither clientTransferProhibited nor serverTransferProhibited is set.", _REG,
            ("RFC 5731 §2.3",), "Turn on the transfer lock at the registrar."),
        FindingSpec(
            "lock.update_delete_unlocked", S.MEDIUM, D, A.REGISTRATION,
            "Domain has no update or delete lock",
            "No update or delete prohibition of any kind is set.", _REG, ("RFC 5731 §2.3",),
            "Turn on the update and delete locks at the registrar."),
        FindingSpec(
            "lock.no_registry_lock", S.INFO, D, A.REGISTRATION,
            "Critical domain lacks a registry lock",
            "Not all of serverTransferProhibited, serverUpdateProhibited and "
            "serverDeleteProhibited are set.", _REG, ("RFC 5731 §2.3",),
            "Order a registry lock (all three server prohibitions) through the registrar."),
        FindingSpec(
            "registration.expiring", S.HIGH, D, A.REGISTRATION, "Registration expires soon",
            "The registration expires within the configured window.", _REG,
            ("RFC 5731 §2.5", "ICANN Expired Registration Recovery Policy"),
            "Renew the registration, and turn on automatic renewal at the registrar."),
        FindingSpec(
            "registration.expired", S.CRITICAL, D, A.REGISTRATION, "Registration has expired",
            "The registration expiry date is in the past.", _REG,
            ("RFC 5731 §2.5", "ICANN Expired Registration Recovery Policy"),
            "Renew or redeem the registration now, before it is deleted and can be taken."),
        FindingSpec(
            "registration.ns_domain_unregistered", S.CRITICAL, D, A.REGISTRATION,
            "A nameserver host's domain is not registered",
            "The registrable domain (Public Suffix List) of a nameserver host is not "
            "registered: anyone can register it and take over resolution of the zone.",
            _NS_DOMAIN, _NS_REFS,
            "Remove the nameserver hosts under that domain from the delegation at the "
            "registrar (and from the zone's NS set), or register that domain yourself."),
        FindingSpec(
            "registration.ns_domain_expiring", S.HIGH, D, A.REGISTRATION,
            "A nameserver host's domain expires soon",
            "The registrable domain of a nameserver host expires within the configured "
            "registration expiry window; once it lapses anyone can register it.",
            _NS_DOMAIN, _NS_REFS,
            "Have the nameserver operator renew that domain (with automatic renewal), or "
            "move the delegation to nameservers under a domain that is not expiring."),
        FindingSpec(
            "whois.pii_exposed", S.HIGH, D, A.REGISTRATION, "Registrant personal data is published",
            "Registrant name, email, phone or street is public and not a privacy service.", _REG,
            ("GDPR Art. 5", "NIS2 Art. 28"),
            "Turn on redaction or a privacy service at the registrar, or register the domain "
            "to an organisation rather than a person."),
        FindingSpec(
            "whois.unavailable", S.INFO, D, A.REGISTRATION, "No registration data available",
            "Neither RDAP nor WHOIS returned registration data.", _REG, ("RFC 9083",),
            "Probe again later, or configure the RDAP bootstrap or WHOIS server for the TLD."),
        # --- exit and exposure -----------------------------------------------------------------
        FindingSpec(
            "exit.axfr_open", S.HIGH, D, A.DNS,
            "A nameserver allows unauthenticated zone transfer",
            "A nameserver grants a zone transfer to an unauthenticated client.",
            ("server", "provider"), ("RFC 5936 §6", "RFC 1995"),
            "Restrict zone transfers to the secondaries' addresses and require TSIG."),
        FindingSpec(
            "exit.single_provider", S.MEDIUM, D, A.DNS, "Every nameserver belongs to one operator",
            "All nameservers belong to one provider: no operator diversity.", ("provider",),
            ("RFC 2182",), "Add a secondary DNS operator (another company) to the delegation.",
            scored_by="lockin.single_operator"),
        FindingSpec(
            "exit.no_outbound_transfer", S.MEDIUM, D, A.DNS,
            "Operator cannot feed a secondary or export the zone",
            "The provider cannot act as primary for an outside secondary or export the zone "
            "in a standard format.", ("provider",), ("RFC 5936",),
            "Keep a master copy of the zone elsewhere, or move to an operator that can feed a "
            "secondary or export a zone file.", scored_by="lockin.no_outbound_transfer"),
        FindingSpec(
            "dns.lame_nameserver", S.HIGH, D, A.DNS, "Lame delegation",
            "A delegated nameserver does not answer authoritatively for the zone.", ("server",),
            ("RFC 1912",),
            "Serve the zone on that nameserver, or remove it from the delegation."),
        FindingSpec(
            "dns.ns_mismatch", S.MEDIUM, D, A.DNS, "Parent and child NS sets differ",
            "The parent's NS set differs from the zone's own NS set.", (), ("RFC 1034 §4.2.2",),
            "Make the NS records in the zone and at the registrar the same."),
        FindingSpec(
            "dns.soa_serial_mismatch", S.MEDIUM, D, A.DNS, "Nameservers serve different SOA serials",
            "The zone's nameservers serve different SOA serials.", ("record",), ("RFC 1996",),
            "Check zone transfer and NOTIFY between the primary and its secondaries."),
        FindingSpec(
            "dnssec.nsec3_inconsistent", S.MEDIUM, D, A.DNS,
            "Nameservers serve different NSEC3 parameters",
            "The zone's signed nameservers serve different NSEC3 parameters, or some NSEC and "
            "others NSEC3: a validator gets denial-of-existence proofs it cannot match to the "
            "zone, depending on the server it asks. Zonemaster rates this an error.", (),
            ("RFC 5155 §4", "RFC 5155 §7.3"),
            "Sign the zone once and serve the same signed zone from every server (check the "
            "secondaries' transfers and each signer's NSEC3 settings in a multi-signer set-up)."),
        FindingSpec(
            "dns.nonroutable_address", S.HIGH, D, A.DNS,
            "Nameserver {server} has a non-routable address",
            "A nameserver address is private, loopback, link-local, documentation or otherwise "
            "not globally routable: resolvers on the internet cannot reach it. The probe "
            "reports it and sends it nothing (a zone must not aim the probe at the user's own "
            "network). Zonemaster ADDRESS01 and DNSViz agree.", ("server", "address"),
            ("RFC 6890", "RFC 1918"),
            "Give the nameserver a public address at the parent (glue) and in the zone, or "
            "remove it from the delegation."),
        FindingSpec(
            "dns.glue_mismatch", S.MEDIUM, D, A.DNS,
            "Glue for {server} differs from the zone's own records",
            "The addresses the parent hands out for a nameserver inside the zone (glue) differ "
            "from the A and AAAA records the zone serves for it: resolvers that start from the "
            "glue reach other servers than the zone says, or none.", ("server",),
            ("RFC 1034 §4.2.2", "RFC 9471"),
            "Update the host's glue at the registrar to the addresses the zone serves (or the "
            "zone's records, if the glue is right)."),
        FindingSpec(
            "dns.few_nameservers", S.MEDIUM, D, A.DNS,
            "Fewer than two nameservers or addresses",
            "Fewer than two nameserver names or fewer than two distinct addresses serve the "
            "zone: one failure takes it offline.", (), ("RFC 2182 §5", "RFC 1034 §4.1"),
            "Delegate to at least two nameservers with distinct addresses, ideally in "
            "different networks."),
        FindingSpec(
            "dns.single_network", S.MEDIUM, D, A.DNS,
            "Every nameserver address is in one network",
            "Every IPv4 address of the nameserver set lies in one /24, or every IPv6 address "
            "in one /48: one routing failure takes every server away. Anycast can hide "
            "diversity behind one prefix (or fake it); the evidence lists the prefixes.",
            ("family",), ("RFC 2182 §3.1",),
            "Add a nameserver in another network (a secondary provider, or another site)."),
        FindingSpec(
            "ddns.unauthenticated_update", S.CRITICAL, D, A.DNS,
            "A nameserver accepts unauthenticated dynamic updates",
            "A nameserver accepted an unsigned UPDATE.", ("server", "provider"),
            ("RFC 2136", "RFC 3007"),
            "Refuse unsigned UPDATE on that server: allow updates only with TSIG or SIG(0)."),
        FindingSpec(
            "inventory.drift", S.MEDIUM, D, A.DNS, "Observed vendor differs from the declared one",
            "The observed registrar or DNS provider is not the declared one.",
            ("server", "kind"), ("DORA Art. 28(3)", "NIS2 Art. 21(2)(d)"),
            "Record the vendor that actually serves the domain, or move the domain back to the "
            "declared one.", area_by=_drift_area),
        FindingSpec(
            "probe.incomplete", S.INFO, D, A.DNS, "Part of the probe could not finish",
            "A part of the probe could not finish (timeout, refused, rate-limited).",
            ("part", "server"), ("DESIGN §3: unknown is not fail",),
            "Probe again; if it keeps failing, check the named servers and the rate limits.",
            area_by=_incomplete_area),
        # --- inventory ------------------------------------------------------------------------
        FindingSpec(
            "cert.expired", S.HIGH, V, A.INVENTORY, "Certification has expired",
            "A certification the vendor relies on is past its validity.", ("type",),
            ("ISO/IEC 27001:2022 A.5.22",),
            "Obtain the renewed certificate or report from the vendor and record it."),
        FindingSpec(
            "cert.stale", S.MEDIUM, V, A.INVENTORY, "Certification is stale or about to expire",
            "A SOC 2 report's period ended over 12 months ago, or a certification expires "
            "within 60 days.", ("type",), ("AICPA SOC 2",),
            "Obtain the newer report, a bridge letter, or the renewed certificate."),
        FindingSpec(
            "cert.missing_required", S.HIGH, V, A.INVENTORY, "Required certification missing",
            "A client's regimes or the vendor's tier call for a certification the vendor "
            "does not have.", ("requirement", "client"),
            ("DORA Art. 28(5)", "NIS2 Art. 21(3)", "PCI DSS v4.0.1 12.8.4",
             "data/certifications.yaml"),
            "Obtain one of the required certifications from the vendor, or replace the vendor."),
        FindingSpec(
            "contract.clause_missing", S.HIGH, C, A.INVENTORY, "Required contract clause missing",
            "A clause that the client's regimes require is absent.", ("clause", "client"),
            ("DORA Art. 30", "GDPR Art. 28"),
            "Add the clause to the contract (or a DPA or addendum) and record it."),
        FindingSpec(
            "contract.notice_deadline", S.HIGH, C, A.INVENTORY, "Notice deadline approaching",
            "The last day to give notice before an automatic renewal is within 90 days.", (),
            ("Implementing Regulation (EU) 2024/2956 (register of information: notice periods)",),
            "Decide on renewal and give notice before the deadline, or accept the finding."),
        FindingSpec(
            "contract.expired", S.MEDIUM, C, A.INVENTORY, "Contract ended but vendor still in use",
            "A contract has ended but the vendor still serves the client's domains.",
            ("client",), ("DORA Art. 30(1)", "GDPR Art. 28(3)"),
            "Record the renewed or successor contract, or move the domains off the vendor."),
        FindingSpec(
            "contract.missing", S.MEDIUM, V, A.INVENTORY, "Vendor serves a client without a contract",
            "A vendor serves a client's domains with no contract for that client and no "
            "MSP-wide one (high when it supports a critical function: a tier-1 vendor or a "
            "critical domain).", ("client",),
            ("DORA Art. 30(1)", "DORA Art. 28(3)", "GDPR Art. 28(3)", "GDPR Art. 28(9)",
             "NIS2 Art. 21(2)(d)"),
            "Record the contract that covers the client (or an MSP-wide one), or move the "
            "client's domains off the vendor."),
        FindingSpec(
            "questionnaire.risky_answer", S.MEDIUM, V, A.INVENTORY, "Risky questionnaire answer",
            "An answer that the template marks as risky (severity per question).", ("question",),
            ("NIS2 Art. 21(2)(d)", "ISO/IEC 27001:2022 A.5.19"),
            "Agree a remediation with the vendor and record an updated answer."),
        FindingSpec(
            "questionnaire.stale", S.LOW, V, A.INVENTORY, "Questionnaire is stale or missing",
            "The latest reviewed response is older than 12 months, or none exists for a "
            "tier-1 vendor.", (), ("ISO/IEC 27001:2022 A.5.22", "DORA Art. 28(6)"),
            "Send the vendor a current questionnaire and review the response."),
        FindingSpec(
            "residency.violation", S.HIGH, V, A.INVENTORY,
            "Data location outside residency requirement",
            "A vendor's data locations fall outside a client's residency requirement.",
            ("client",), ("GDPR Chapter V",),
            "Restrict the vendor's data locations contractually, or choose a vendor inside the "
            "required area."),
    )
}
del S, D, V, C, A


def spec(code: str) -> FindingSpec:
    """Return the spec of ``code``; an unknown code is a programming error."""
    try:
        return CATALOG[code]
    except KeyError:
        raise KeyError(f"finding code {code!r} is not in the catalogue") from None


def area_of(code: str, evidence: Mapping[str, Any]) -> Area | None:
    """The area that raised a (stored) finding; ``None`` for a code the catalogue lacks."""
    s = CATALOG.get(code)
    return None if s is None else s.area_of(evidence)


def identity(code: str, evidence: Mapping[str, Any]) -> str:
    """What tells this occurrence of ``code`` from the others on its subject."""
    return spec(code).identity_of(evidence)


def about(code: str, evidence: Mapping[str, Any]) -> str | None:
    """What an occurrence of ``code`` is about within its subject (see ``FindingSpec.about``)."""
    s = CATALOG.get(code)
    return None if s is None else s.about(evidence)


def scored_by(code: str) -> str | None:
    """The lock-in factor that scores what ``code`` reports, if any (``FindingSpec.scored_by``)."""
    s = CATALOG.get(code)
    return None if s is None else s.scored_by


def make_finding(
    code: str,
    evidence: Mapping[str, Any],
    *,
    title: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Build a :class:`Finding` for a catalogued code.

    ``severity`` may override the catalogue's only for codes whose severity varies by case
    (``questionnaire.risky_answer`` is per question, ``contract.clause_missing`` and
    ``contract.missing`` are medium–high).
    """
    s = spec(code)
    return Finding(code=code, severity=severity or s.severity, title=title or s.title,
                   evidence=dict(evidence))
