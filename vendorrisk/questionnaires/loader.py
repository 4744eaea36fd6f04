"""Load and validate ``questionnaires/*.yaml`` into frozen :class:`Template` objects.

Every problem in a file is collected and reported together, each with file and line, so a
template author fixes a file in one pass.

Schema of one file::

    id: dns-provider            # lower case, digits, '-'
    version: 1                  # 1, 2, 2026.1 ... (stored as text); one file per version
    title: ...
    description: ...            # optional
    applies_to: [dns_provider]  # vendor kinds; the default for its questions
    questions:
      - id: dns.mfa             # stable 'area.name'; never reuse an id for another meaning
        section: Access control # optional, groups rows in the workbook
        text: Is MFA enforced ...?
        type: yes_no            # yes_no | choice | multi_choice | number | date | text
        choices: [a, b]         # choice and multi_choice only
        unit: days              # optional (number); min / max optional bounds
        help: ...               # optional extra guidance shown to the vendor
        weight: 1               # optional, default 1: coverage share and points multiplier
        applies_to: [...]       # optional, overrides the template's
        risk:                   # optional; the worst matching rule counts
          - equals: no          # exactly one condition (see RuleOp for which fits which type)
            severity: high      # info | low | medium | high | critical
            why: ...
            remedy: ...
        refs: [iso27001-2022:A.8.5, dora:30.2.c]   # at least one; framework keys in FRAMEWORKS
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vendorrisk.datafiles import MarkedDict, Problems, line_of, load_yaml
from vendorrisk.errors import ConfigError, InputError, NotFoundError
from vendorrisk.filecache import parse_once
from vendorrisk.paths import questionnaires_dir
from vendorrisk.questionnaires.answers import validate_answer
from vendorrisk.questionnaires.model import (
    FRAMEWORKS,
    RULE_OPS_BY_TYPE,
    SEVERITIES,
    VENDOR_KINDS,
    AnswerType,
    FrameworkRef,
    Question,
    RiskRule,
    RuleOp,
    Template,
)

_TEMPLATE_ID = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
_QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
_VERSION = re.compile(r"^[0-9][0-9A-Za-z.\-]{0,39}$")
_TEMPLATE_KEYS = ("id", "version", "title", "description", "applies_to", "questions")
_QUESTION_KEYS = ("id", "section", "text", "type", "choices", "unit", "min", "max", "help",
                  "weight", "applies_to", "refs", "risk")
_RULE_KEYS = ("severity", "why", "remedy")
_RULE_OPS = frozenset(op.value for op in RuleOp)


def _unknown_keys(problems: Problems, node: MarkedDict, allowed: tuple[str, ...],
                  what: str) -> None:
    for key in node:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            problems.add(node.line_of(key), f"unknown key {key!r} in {what}{hint}")


def _text(problems: Problems, node: MarkedDict, key: str, what: str, required: bool = True) -> str:
    value = node.get(key)
    if value is None:
        if required:
            problems.add(node.line, f"{what}: missing {key!r}")
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(node.line_of(key), f"{what}: {key!r} must be non-empty text")
        return ""
    return " ".join(value.split())


def _kinds(problems: Problems, node: MarkedDict, what: str,
           default: tuple[str, ...]) -> tuple[str, ...]:
    value = node.get("applies_to")
    if value is None:
        if not default:
            problems.add(node.line, f"{what}: missing 'applies_to'")
        return default
    if not isinstance(value, list) or not value:
        problems.add(node.line_of("applies_to"), f"{what}: 'applies_to' must be a non-empty list")
        return default
    bad = [k for k in value if k not in VENDOR_KINDS]
    if bad:
        problems.add(node.line_of("applies_to"),
                     f"{what}: unknown vendor kind(s) {bad} (valid: {', '.join(VENDOR_KINDS)})")
    return tuple(k for k in value if k in VENDOR_KINDS)


def _refs(problems: Problems, node: MarkedDict, what: str) -> tuple[FrameworkRef, ...]:
    value = node.get("refs")
    if not isinstance(value, list) or not value:
        problems.add(node.line_of("refs"),
                     f"{what}: needs at least one framework reference in 'refs'")
        return ()
    refs: list[FrameworkRef] = []
    for i, item in enumerate(value):
        framework, sep, requirement = str(item).partition(":")
        if not sep or not requirement.strip():
            problems.add(line_of(value, i),
                         f"{what}: reference {item!r} is not 'framework:requirement'")
        elif framework not in FRAMEWORKS:
            near = difflib.get_close_matches(framework, FRAMEWORKS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            problems.add(line_of(value, i), f"{what}: unknown framework {framework!r}{hint}")
        else:
            refs.append(FrameworkRef(framework, requirement.strip()))
    return tuple(refs)


def _choices(problems: Problems, node: MarkedDict, qtype: AnswerType | None,
             what: str) -> tuple[str, ...]:
    value = node.get("choices")
    needs = qtype in (AnswerType.CHOICE, AnswerType.MULTI_CHOICE)
    if value is None:
        if needs:
            problems.add(node.line, f"{what}: a {qtype} question needs 'choices'")
        return ()
    if not needs:
        problems.add(node.line_of("choices"), f"{what}: 'choices' only fit choice and multi_choice")
        return ()
    if not isinstance(value, list) or len(value) < 2:
        problems.add(node.line_of("choices"), f"{what}: 'choices' must list at least two values")
        return ()
    # A YAML 1.1 boolean would arrive here only from a quoted-free `true`/`false`: keep it as text.
    out = tuple(("yes" if c else "no") if isinstance(c, bool) else str(c).strip() for c in value)
    if len({c.lower() for c in out}) != len(out):
        problems.add(node.line_of("choices"), f"{what}: duplicate choices")
    if any(not c or "," in c or ";" in c for c in out):
        problems.add(node.line_of("choices"), f"{what}: a choice must be non-empty without , or ;")
    return out


def _number(problems: Problems, node: MarkedDict, key: str, what: str) -> float | None:
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        problems.add(node.line_of(key), f"{what}: {key!r} must be a finite number")
        return None
    return float(value)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond any float
        return False


def _rule_value(q: Question, op: RuleOp, value: Any) -> Any:
    """Normalise a rule's operand with the question's own answer rules."""
    if op in (RuleOp.IN, RuleOp.CONTAINS_ANY, RuleOp.ONLY_WITHIN):
        if not isinstance(value, list) or not value:
            raise InputError(f"'{op}' needs a non-empty list")
        return frozenset(validate_answer(q, v) for v in value) if op is RuleOp.IN \
            else frozenset(validate_answer(q, [v])[0] for v in value)
    if op is RuleOp.NOT_CONTAINS:
        return validate_answer(q, [value])[0]
    if op in (RuleOp.OLDER_THAN_DAYS, RuleOp.OLDER_THAN_MONTHS, RuleOp.WITHIN_DAYS):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"'{op}' needs a whole number of days or months ≥ 0")
        return value
    if op in (RuleOp.GT, RuleOp.GE, RuleOp.LT, RuleOp.LE) and (
            isinstance(value, bool) or not isinstance(value, int | float)):
        raise InputError(f"'{op}' needs a number")
    normalised = validate_answer(q, value)
    if normalised is None:
        raise InputError(f"'{op}' needs a value")
    return normalised


def _rules(problems: Problems, node: MarkedDict, q: Question, what: str) -> tuple[RiskRule, ...]:
    value = node.get("risk")
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(node.line_of("risk"), f"{what}: 'risk' must be a list of rules")
        return ()
    allowed_ops = RULE_OPS_BY_TYPE[q.type]
    rules: list[RiskRule] = []
    for item in value:
        if not isinstance(item, MarkedDict):
            problems.add(line_of(value), f"{what}: a risk rule must be a mapping")
            continue
        ops = [k for k in item if k not in _RULE_KEYS]
        known = [k for k in ops if k in _RULE_OPS]
        if len(known) != 1 or len(ops) != 1:
            problems.add(item.line, f"{what}: a risk rule needs exactly one condition "
                         f"({', '.join(o.value for o in sorted(allowed_ops)) or 'none for text'}),"
                         f" got {ops or 'none'}")
            continue
        op = RuleOp(known[0])
        if op not in allowed_ops:
            problems.add(item.line_of(op.value),
                         f"{what}: condition '{op}' does not fit a {q.type} question")
            continue
        severity = item.get("severity")
        if severity not in SEVERITIES:
            problems.add(item.line_of("severity"),
                         f"{what}: severity must be one of {', '.join(SEVERITIES)}, "
                         f"got {severity!r}")
            continue
        why = _text(problems, item, "why", f"{what} risk rule")
        remedy = _text(problems, item, "remedy", f"{what} risk rule")
        try:
            operand = _rule_value(q, op, item[op.value])
        except InputError as e:
            problems.add(item.line_of(op.value), f"{what}: risky answer not valid: {e}")
            continue
        rules.append(RiskRule(op, operand, severity, why, remedy))
    return tuple(rules)


def _question(problems: Problems, node: Any, template_kinds: tuple[str, ...]) -> Question | None:
    if not isinstance(node, MarkedDict):
        problems.add(line_of(node), "a question must be a mapping")
        return None
    qid = node.get("id")
    if not isinstance(qid, str) or not _QUESTION_ID.match(qid):
        problems.add(node.line_of("id"), f"question id {qid!r} must look like 'area.name' "
                     "(lower case, dots between parts)")
        return None
    what = f"question {qid}"
    _unknown_keys(problems, node, _QUESTION_KEYS, what)
    try:
        qtype = AnswerType(str(node.get("type")))
    except ValueError:
        problems.add(node.line_of("type"), f"{what}: unknown answer type {node.get('type')!r} "
                     f"(valid: {', '.join(t.value for t in AnswerType)})")
        return None
    weight = _number(problems, node, "weight", what)
    if weight is not None and weight <= 0:
        problems.add(node.line_of("weight"), f"{what}: 'weight' must be above 0")
    unit = node.get("unit")
    q = Question(
        id=qid, text=_text(problems, node, "text", what), type=qtype,
        section=_text(problems, node, "section", what, required=False) or "General",
        applies_to=_kinds(problems, node, what, template_kinds),
        refs=_refs(problems, node, what), choices=_choices(problems, node, qtype, what),
        unit=str(unit) if unit is not None else None,
        minimum=_number(problems, node, "min", what), maximum=_number(problems, node, "max", what),
        help=_text(problems, node, "help", what, required=False),
        weight=weight if weight and weight > 0 else 1.0, line=node.line,
    )
    return replace(q, risk=_rules(problems, node, q, what))


def parse_template(data: Any, path: Path) -> Template:
    """Validate one parsed YAML document; raise ConfigError listing every problem."""
    problems = Problems(path)
    if not isinstance(data, MarkedDict):
        problems.add(line_of(data),
                     "a template must be a mapping with id, version, title, questions")
        problems.raise_if_any()
    _unknown_keys(problems, data, _TEMPLATE_KEYS, "template")
    tid = data.get("id")
    if not isinstance(tid, str) or not _TEMPLATE_ID.match(tid):
        problems.add(data.line_of("id"),
                     f"template id {tid!r} must be lower case letters, digits, '-'")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, str | int) \
            or not _VERSION.match(str(version)):
        problems.add(data.line_of("version"),
                     f"template version {version!r} must be like 1 or 2026.1")
    title = _text(problems, data, "title", "template")
    description = _text(problems, data, "description", "template", required=False)
    kinds = _kinds(problems, data, "template", ())
    raw_questions = data.get("questions")
    questions: list[Question] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add(data.line_of("questions"), "template: 'questions' must be a non-empty list")
    else:
        seen: dict[str, int] = {}
        for node in raw_questions:
            q = _question(problems, node, kinds)
            if q is None:
                continue
            if q.id in seen:
                problems.add(q.line, f"duplicate question id {q.id!r} (first at line {seen[q.id]})")
                continue
            seen[q.id] = q.line
            questions.append(q)
    problems.raise_if_any()
    return Template(id=str(tid), version=str(version), title=title, applies_to=kinds,
                    questions=tuple(questions),
                    description=description,
                    source=path)


def load_template_file(path: Path) -> Template:
    """Parse one template file (once while it is unchanged: exports and the TUI look a
    template up for every questionnaire response)."""
    return parse_once(path, _parse_template_file)


def _parse_template_file(path: Path) -> Template:
    return parse_template(load_yaml(path), path)


def load_all(directory: Path | None = None, *, extra: Sequence[Path] = ()) -> tuple[Template, ...]:
    """Every template version in ``directory`` (default: the shipped questionnaires) and in the
    ``extra`` folders of the user's own; one id and version may be defined only once."""
    templates: list[Template] = []
    for folder in (directory or questionnaires_dir(), *extra):
        if not folder.is_dir():
            raise ConfigError(f"{folder}: questionnaire folder does not exist")
        templates += [load_template_file(p) for p in sorted(folder.glob("*.yaml"))]
    seen: dict[tuple[str, str], Path | None] = {}
    for t in templates:
        key = (t.id, t.version)
        if key in seen:
            raise ConfigError(f"{t.source}: template {t.id} version {t.version} is also "
                              f"defined in {seen[key]}")
        seen[key] = t.source
    return tuple(templates)


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version))


def latest(templates: Iterable[Template]) -> dict[str, Template]:
    """The newest version of each template id."""
    out: dict[str, Template] = {}
    for t in templates:
        if t.id not in out or _version_key(t.version) > _version_key(out[t.id].version):
            out[t.id] = t
    return out


def load_templates(directory: Path | None = None, *,
                   extra: Sequence[Path] = ()) -> dict[str, Template]:
    """Templates by id (the newest version of each); older versions via :func:`get`."""
    return latest(load_all(directory, extra=extra))


def get(template_id: str, version: str | None = None, *,
        directory: Path | None = None, extra: Sequence[Path] = ()) -> Template:
    """One template by id and version (newest when ``version`` is None)."""
    templates = load_all(directory, extra=extra)
    matching = [t for t in templates if t.id == template_id]
    if version is None and matching:
        return latest(matching)[template_id]
    for t in matching:
        if t.version == str(version):
            return t
    have = ", ".join(sorted(f"{t.id} v{t.version}" for t in templates)) or "none"
    what = template_id if version is None else f"{template_id} version {version}"
    raise NotFoundError(f"questionnaire template {what} not found", f"available: {have}")


def templates_for(templates: Mapping[str, Template] | Iterable[Template],
                  vendor_kind: str) -> tuple[Template, ...]:
    """Templates meant for ``vendor_kind`` (by the template's ``applies_to``), sorted by id."""
    pool = templates.values() if isinstance(templates, Mapping) else templates
    return tuple(sorted((t for t in pool if vendor_kind in t.applies_to), key=lambda t: t.id))


@dataclass(frozen=True)
class TemplateLibrary:
    """The templates a deployment uses: the shipped ones plus those in the user's own folders
    (the ``questionnaire_dirs`` setting)."""

    extra: tuple[Path, ...] = ()

    def all(self) -> tuple[Template, ...]:
        return load_all(extra=self.extra)

    def newest(self) -> dict[str, Template]:
        return load_templates(extra=self.extra)

    def get(self, template_id: str, version: str | None = None) -> Template:
        return get(template_id, version, extra=self.extra)
