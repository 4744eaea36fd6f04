"""Inventory record fields and their validation: one set of rules for CLI, TUI and imports.

Each entity is described by a tuple of :class:`FieldSpec` (in
:mod:`~vendorrisk.portfolio.field_specs`, with the ranges of its number fields).
:func:`clean` turns raw values (text from a command line or a spreadsheet, or typed values
from the TUI) into typed values with :func:`~vendorrisk.portfolio.field_values.convert`,
collecting every problem before raising, so a user sees them all at once.

Id fields name their vocabulary (``known``): contract ``clauses`` must be clause ids of
data/clauses.yaml, vendor ``catalog_key`` a key of the provider or registrar catalog in use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vendorrisk.errors import InputError, did_you_mean, nearest
from vendorrisk.portfolio.field_specs import (
    CERTIFICATION_FIELDS,
    CLIENT_FIELDS,
    CONTRACT_FIELDS,
    DOMAIN_FIELDS,
    ENTITY_FIELDS,
    VENDOR_FIELDS,
    FieldSpec,
    _f,
)
from vendorrisk.portfolio.field_values import MAX_NUMBER_CHARS, convert, range_text

__all__ = [
    "CERTIFICATION_FIELDS", "CLIENT_FIELDS", "CONTRACT_FIELDS", "DOMAIN_FIELDS", "ENTITY_FIELDS",
    "MAX_NUMBER_CHARS", "SHIPPED_IDS", "VENDOR_FIELDS", "FieldProblem", "FieldSpec", "KnownIds",
    "ValidationError", "_f", "clean", "convert", "range_text",
]


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
            problems.append(FieldProblem(_one_line(key), f"unknown field (valid: "
                                         f"{', '.join(specs)})"))
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
    """``unknown clause 'dpx', did you mean 'dpa'?``; the valid ids (once) if one is not close.

    Only the first ``_HINTED_IDS`` unknown ids get a hint (and only their first
    ``_HINTED_CHARS`` characters are compared), so a long list of junk stays fast."""
    if len(unknown) == 1:
        return f"unknown {noun} {_shown(unknown[0])}, {did_you_mean(_hinted(unknown[0]), valid)}"
    near = {v: nearest(_hinted(v), valid) for v in unknown[:_HINTED_IDS]}
    parts = [f"unknown {noun} {_shown(v)}" + (f", did you mean {n!r}?" if n else "")
             for v, n in near.items()]
    if len(unknown) > _HINTED_IDS:
        parts.append(f"and {len(unknown) - _HINTED_IDS} more unknown")
    if None in near.values():
        parts.append(f"valid: {', '.join(sorted(valid))}")
    return "; ".join(parts)


_HINTED_IDS = 5
_HINTED_CHARS = 100
_SHOWN_CHARS = 60


def _hinted(word: str) -> str:
    return word[:_HINTED_CHARS]


def _one_line(text: str) -> str:
    """``text`` escaped to one printable line of at most ``_SHOWN_CHARS`` characters."""
    line = text[: _SHOWN_CHARS * 2]
    if not line.isprintable():
        line = line.encode("unicode_escape", "replace").decode("ascii")
    return line if len(line) <= _SHOWN_CHARS and len(text) <= len(line) else (
        line[: _SHOWN_CHARS - 1] + "…")


def _shown(text: str) -> str:
    """``text`` quoted for a message (as ``{text!r}`` was), on one line and short."""
    return repr(text) if len(text) <= _SHOWN_CHARS else repr(text[: _SHOWN_CHARS - 1] + "…")
