"""Frozen value types for questionnaire templates: Template, Question, RiskRule, FrameworkRef.

These live below ``findings`` in the layer order, so severities are plain strings with the
same values as :class:`vendorrisk.findings.codes.Severity` (scoring converts them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

DEFAULT_SEVERITY_POINTS: dict[str, float] = {
    "info": 0.0, "low": 1.0, "medium": 3.0, "high": 6.0, "critical": 10.0,
}
"""Points per risky answer before the question weight; ``data/scoring.yaml`` may override."""

VENDOR_KINDS: tuple[str, ...] = (
    "dns_provider", "registrar", "msp", "dns_security", "dynamic_dns", "other",
)

FRAMEWORKS: dict[str, str] = {
    "dora": "DORA, Regulation (EU) 2022/2554",
    "dora-rts-tpp": "DORA RTS (EU) 2024/1773 (ICT services policy)",
    "dora-rts-sub": "DORA RTS (EU) 2025/532 (subcontracting)",
    "dora-rts-ir": "DORA RTS (EU) 2025/301 (incident reporting)",
    "dora-its-roi": "DORA ITS (EU) 2024/2956 (register of information)",
    "nis2": "NIS2, Directive (EU) 2022/2555",
    "nis2-ir": "NIS2 Implementing Regulation (EU) 2024/2690",
    "gdpr": "GDPR, Regulation (EU) 2016/679",
    "data-act": "Data Act, Regulation (EU) 2023/2854",
    "iso27001-2022": "ISO/IEC 27001:2022 Annex A",
    "soc2-2017r2022": "SOC 2 TSC 2017 (rev. 2022)",
    "csf-2.0": "NIST CSF 2.0",
    "sp800-53r5": "NIST SP 800-53 Rev. 5",
    "sp800-81r3": "NIST SP 800-81r3",
    "cisa-ed-19-01": "CISA ED 19-01",
    "pci-dss-4.0.1": "PCI DSS v4.0.1",
    "hipaa": "HIPAA, 45 CFR Part 164",
    "ccpa-regs": "CCPA Regulations, 11 CCR",
    "csa-ccm-4.0": "CSA CCM v4.0",
    "icann-tp": "ICANN Transfer Policy",
    "icann-raa": "ICANN RAA 2013 (2024 amendment)",
    "rfc": "IETF RFC",
}
"""Framework keys carry their version, so a new edition never silently changes a meaning."""


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"


class RuleOp(StrEnum):
    """How a risk rule compares an answer; each op is valid for the answer types listed."""

    EQUALS = "equals"                    # yes_no, choice, number
    IN = "in"                            # choice
    CONTAINS_ANY = "contains_any"        # multi_choice: any of these selected
    NOT_CONTAINS = "not_contains"        # multi_choice: this one not selected
    ONLY_WITHIN = "only_within"          # multi_choice: nothing selected outside this set
    GT = "gt"                            # number
    GE = "ge"
    LT = "lt"
    LE = "le"
    OLDER_THAN_DAYS = "older_than_days"  # date: before as_of minus N days
    OLDER_THAN_MONTHS = "older_than_months"
    WITHIN_DAYS = "within_days"          # date: before as_of plus N days (expired or expiring)


RULE_OPS_BY_TYPE: dict[AnswerType, frozenset[RuleOp]] = {
    AnswerType.YES_NO: frozenset({RuleOp.EQUALS}),
    AnswerType.CHOICE: frozenset({RuleOp.EQUALS, RuleOp.IN}),
    AnswerType.MULTI_CHOICE: frozenset(
        {RuleOp.CONTAINS_ANY, RuleOp.NOT_CONTAINS, RuleOp.ONLY_WITHIN}),
    AnswerType.NUMBER: frozenset(
        {RuleOp.EQUALS, RuleOp.GT, RuleOp.GE, RuleOp.LT, RuleOp.LE}),
    AnswerType.DATE: frozenset(
        {RuleOp.OLDER_THAN_DAYS, RuleOp.OLDER_THAN_MONTHS, RuleOp.WITHIN_DAYS}),
    AnswerType.TEXT: frozenset(),
}


@dataclass(frozen=True)
class FrameworkRef:
    """``framework:requirement``, e.g. ``iso27001-2022:A.8.5``."""

    framework: str
    requirement: str

    def __str__(self) -> str:
        return f"{self.framework}:{self.requirement}"

    @property
    def label(self) -> str:
        """Human form, e.g. ``ISO/IEC 27001:2022 Annex A A.8.5``."""
        return f"{FRAMEWORKS.get(self.framework, self.framework)} {self.requirement}"


@dataclass(frozen=True)
class RiskRule:
    """One way an answer is risky. ``value`` is already normalised for the question's type."""

    op: RuleOp
    value: Any
    severity: str
    why: str
    remedy: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: AnswerType
    section: str
    applies_to: tuple[str, ...]
    refs: tuple[FrameworkRef, ...]
    choices: tuple[str, ...] = ()
    risk: tuple[RiskRule, ...] = ()
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    weight: float = 1.0
    """Share of the template's coverage this question carries (and multiplier of points)."""
    line: int = 0
    """Line in the template file, for error messages."""

    def applies(self, vendor_kind: str | None) -> bool:
        return vendor_kind is None or vendor_kind in self.applies_to

    @property
    def max_severity(self) -> str | None:
        if not self.risk:
            return None
        return max((r.severity for r in self.risk), key=SEVERITY_RANK.__getitem__)


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: str
    applies_to: tuple[str, ...]
    questions: tuple[Question, ...]
    description: str = ""
    source: Path | None = field(default=None, compare=False)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"question {question_id!r} is not in template {self.id} v{self.version}")

    def has_question(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)

    def questions_for(self, vendor_kind: str | None) -> tuple[Question, ...]:
        """The questions that apply to ``vendor_kind`` (all of them when None)."""
        return tuple(q for q in self.questions if q.applies(vendor_kind))

    @property
    def fingerprint(self) -> str:
        """SHA-256 over what a vendor sees and answers; detects a template edited in place."""
        content = [self.id, self.version] + [
            [q.id, q.text, q.type.value, list(q.choices)] for q in self.questions
        ]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
