"""Whether a zone uses provider-specific records or features (``DomainFacts.proprietary_in_use``).

Two sources say so, each for what it can see:

- *questionnaire*: the DNS provider's answer to ``dns.proprietary_records`` ("how many of the
  client's records use provider-specific features that do not export as standard records"),
  from the vendor's latest received or reviewed response. More than 0 = in use, 0 = not.
- *probe*: record types the DNS probe saw in the answers of the zone's nameservers (the first
  message of an open zone transfer, the apex answers). A type in the private-use range
  65280–65534 (RFC 6895 §3.1), such as PowerDNS ALIAS (65401) and LUA (65402), exists only at
  the provider that serves it. The probe sees most proprietary features not at all: flattening,
  ALIAS and traffic steering answer as ordinary A/AAAA records. So the probe can say *yes*,
  never *no*.

Any source saying yes makes it ``True``; ``False`` needs a "0" from every declared DNS provider
and no yes from the probe; otherwise ``None`` (unknown, neither pass nor fail). Pure: no
database, no network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vendorrisk.errors import InputError
from vendorrisk.questionnaires import Template, validate_answer

QUESTION = "dns.proprietary_records"
"""The DNS-provider questionnaire question (data/questionnaires/dns-provider.yaml)."""

PRIVATE_USE = range(65280, 65535)
"""RR TYPE values 65280–65534, reserved for private use (RFC 6895 §3.1)."""

KNOWN_TYPES: Mapping[int, str] = {65401: "ALIAS (PowerDNS)", 65402: "LUA (PowerDNS)"}
"""Non-standard types with a known meaning, named in the evidence."""

NOT_PROPRIETARY: Mapping[int, str] = {
    65534: "BIND signing-state records (sig-signing-type default), not a provider feature"}
"""Private-use types that say nothing about the provider's features."""

ANSWERED = ("received", "reviewed")
"""Response statuses whose answers count."""


@dataclass(frozen=True)
class ResponseView:
    """One stored questionnaire response, as far as this derivation needs it."""

    vendor: str
    template: str
    version: str
    status: str
    day: date | None
    """Reviewed, else received date."""
    answers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VendorAnswer:
    """The vendor's latest received/reviewed answer to :data:`QUESTION`."""

    vendor: str
    template: str
    version: str
    day: date | None
    records: int | float | None
    """Number of records using provider-specific features; ``None`` = not answered."""

    @property
    def in_use(self) -> bool | None:
        return None if self.records is None else self.records > 0


@dataclass(frozen=True)
class ProprietaryUse:
    in_use: bool | None
    sources: tuple[str, ...] = ()
    """Which sources said *yes* (``questionnaire``, ``probe``); for ``False``: ``questionnaire``."""
    evidence: Mapping[str, Any] = field(default_factory=dict)


def proprietary_types(record_types: Iterable[int]) -> tuple[int, ...]:
    """The types among ``record_types`` that only a provider's own servers understand."""
    return tuple(sorted({t for t in record_types
                         if t in PRIVATE_USE and t not in NOT_PROPRIETARY}))


def latest_answers(responses: Iterable[ResponseView],
                   templates: Mapping[tuple[str, str], Template]) -> dict[str, VendorAnswer]:
    """Vendor → its latest received/reviewed response's answer to :data:`QUESTION`, for
    responses whose template (by id and version) asks it."""
    latest: dict[str, tuple[ResponseView, Template]] = {}
    for r in responses:
        template = templates.get((r.template, r.version))
        if r.status not in ANSWERED or template is None or not template.has_question(QUESTION):
            continue
        prev = latest.get(r.vendor)
        if prev is None or _newer(r.day, prev[0].day):
            latest[r.vendor] = (r, template)
    return {vendor: VendorAnswer(vendor, r.template, r.version, r.day, _records(t, r.answers))
            for vendor, (r, t) in latest.items()}


def _newer(day: date | None, than: date | None) -> bool:
    return day is not None and (than is None or day >= than)


def _records(template: Template, answers: Mapping[str, Any]) -> int | float | None:
    question = next(q for q in template.questions if q.id == QUESTION)
    try:
        value = validate_answer(question, answers.get(QUESTION))
    except InputError:
        return None  # a stored answer the template no longer accepts: unknown, not a yes
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def derive(dns_providers: Sequence[str], answers: Mapping[str, VendorAnswer],
           record_types: Iterable[int] | None) -> ProprietaryUse:
    """Proprietary use for a domain served by the vendors ``dns_providers`` (declared), whose
    nameservers answered with ``record_types`` (``None`` = not probed or not recorded)."""
    said = {v: answers[v] for v in dns_providers if v in answers}
    seen = proprietary_types(record_types or ())
    yes = sorted(v for v, a in said.items() if a.in_use)
    evidence: dict[str, Any] = {
        "questionnaire": {v: {"template": a.template, "version": a.version,
                              "day": a.day.isoformat() if a.day else None,
                              "question": QUESTION, "records": a.records}
                          for v, a in sorted(said.items())},
        "probe": {"record_types_seen": record_types is not None,
                  "proprietary_types": [KNOWN_TYPES.get(t, f"TYPE{t}") for t in seen]},
    }
    sources = tuple(s for s, hit in (("questionnaire", yes), ("probe", seen)) if hit)
    if sources:
        return ProprietaryUse(True, sources, evidence)
    if dns_providers and all(v in said and said[v].in_use is False for v in dns_providers):
        return ProprietaryUse(False, ("questionnaire",), evidence)
    return ProprietaryUse(None, (), evidence)
