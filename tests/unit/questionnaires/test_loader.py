"""Template loading: the shipped bank is valid and complete; bad files name file, line, problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vendorrisk.errors import ConfigError, NotFoundError
from vendorrisk.questionnaires import (
    AnswerType,
    RuleOp,
    Template,
    get,
    load_all,
    load_templates,
    templates_for,
)
from vendorrisk.questionnaires.model import FRAMEWORKS, VENDOR_KINDS

from .conftest import FIXTURES


def test_shipped_templates_cover_every_vendor_kind(shipped: dict[str, Template]) -> None:
    assert set(shipped) == {"dns-provider", "registrar", "msp", "dns-security"}
    kinds = {k for t in shipped.values() for q in t.questions for k in q.applies_to}
    assert kinds == set(VENDOR_KINDS) - {"other"}


def test_shipped_bank_has_at_least_60_unique_questions(shipped: dict[str, Template]) -> None:
    ids = [q.id for t in shipped.values() for q in t.questions]
    assert len(ids) >= 60
    assert len(ids) == len(set(ids))


def test_every_shipped_question_is_complete(shipped: dict[str, Template]) -> None:
    for t in shipped.values():
        for q in t.questions:
            assert q.refs and all(r.framework in FRAMEWORKS for r in q.refs), q.id
            assert 10 < len(q.text) < 300, q.id
            for rule in q.risk:
                assert rule.why and rule.remedy, q.id


@pytest.mark.parametrize("words", [
    ("mfa",), ("sso",), ("rbac",), ("api_key",), ("audit_log_retention",), ("audit_log_export",),
    ("data_location",), ("subprocessor",), ("dnssec_key_custody",), ("multi_signer",),
    ("anycast",), ("sla",), ("ddos",), ("outbound_transfer",), ("zone_export",),
    ("auth_code_release",), ("transition",), ("breach_notification",), ("iso27001",),
    ("soc2",), ("registry_lock",), ("transfer_lock",), ("whois_privacy",),
    ("encrypted_transport",), ("abuse",),
])
def test_shipped_bank_covers_topic(shipped: dict[str, Template], words: tuple[str, ...]) -> None:
    ids = [q.id for t in shipped.values() for q in t.questions]
    assert any(all(w in qid for w in words) for qid in ids), words


def test_shipped_bank_references_every_required_framework(shipped: dict[str, Template]) -> None:
    used = {r.framework for t in shipped.values() for q in t.questions for r in q.refs}
    assert {"dora", "nis2", "iso27001-2022", "soc2-2017r2022", "csf-2.0", "gdpr"} <= used


def test_number_and_date_questions_have_threshold_rules(shipped: dict[str, Template]) -> None:
    q = shipped["dns-provider"].question("dns.breach_notification_hours")
    assert q.type is AnswerType.NUMBER
    assert {(r.op, r.value) for r in q.risk} == {(RuleOp.GT, 72), (RuleOp.GT, 24)}
    dates = [q for t in shipped.values() for q in t.questions if q.type is AnswerType.DATE]
    assert dates and all(q.risk for q in dates)


def test_bare_yes_no_stay_text(sample: Template) -> None:
    assert sample.question("s.dpa").choices == ("yes", "partial", "no")
    assert sample.question("s.mfa").risk[0].value == "no"
    # YAML `false` (a real boolean) is normalised the same way.
    assert sample.question("s.lock").risk[0].value == "no"


def test_sample_fields(sample: Template) -> None:
    assert sample.version == "2"
    assert sample.question("s.breach_hours").weight == 2
    assert sample.question("s.lock").applies_to == ("registrar",)
    assert sample.question("s.mfa").applies_to == ("dns_provider", "registrar")
    assert sample.question("s.mfa").section == "Access"
    assert sample.question("s.dpa").section == "General"
    assert str(sample.question("s.mfa").refs[0]) == "iso27001-2022:A.8.5"
    assert "ISO/IEC 27001:2022" in sample.question("s.mfa").refs[0].label
    assert sample.question("s.mfa").line == 7


BAD = {
    "bad-broken-yaml.yaml": (
        9, "found unexpected end of stream (while scanning a quoted scalar at line 7)"),
    "bad-duplicate-question-id.yaml": (10, "duplicate question id 'd.mfa' (first at line 6)"),
    "bad-unknown-answer-type.yaml": (8, "unknown answer type 'boolean'"),
    "bad-risky-not-in-choices.yaml": (11, "risky answer not valid: c.one: unknown choice 'plain_text'"),
    "bad-missing-refs.yaml": (6, "needs at least one framework reference"),
    "bad-unknown-framework.yaml": (9, "unknown framework 'iso27001' (did you mean 'iso27001-2022'?)"),
    "bad-duplicate-key.yaml": (8, "duplicate key 'text'"),
    "bad-unknown-key.yaml": (9, "unknown key 'choises' in question k.one (did you mean 'choices'?)"),
    "bad-rule-type-mismatch.yaml": (10, "condition 'gt' does not fit a yes_no question"),
    "bad-missing-why.yaml": (11, "severity must be one of"),
    "bad-not-a-mapping.yaml": (1, "a template must be a mapping"),
    "bad-unknown-vendor-kind.yaml": (4, "unknown vendor kind(s) ['cdn']"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_names_file_line_and_problem(name: str, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / name, tmp_path / name)
    line, problem = BAD[name]
    with pytest.raises(ConfigError) as caught:
        load_templates(tmp_path)
    message = caught.value.message
    assert message.startswith(f"{tmp_path / name}:{line}: "), message
    assert problem in str(caught.value), str(caught.value)


def test_all_problems_are_collected(tmp_path: Path) -> None:
    (tmp_path / "many.yaml").write_text(
        "id: many\nversion: 1\ntitle: Many\napplies_to: [dns_provider]\nquestions:\n"
        "  - id: a.one\n    text: One?\n    type: yes_no\n"
        "  - id: a.two\n    text: Two?\n    type: number\n    refs: [nosuch:1]\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_templates(tmp_path)
    problems = caught.value.problems  # type: ignore[attr-defined]
    assert len(problems) == 2
    assert ":6: question a.one: needs at least one framework reference" in problems[0]
    assert ":12: question a.two: unknown framework 'nosuch'" in problems[1]


def test_missing_why_is_reported(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "id: t\nversion: 1\ntitle: T\napplies_to: [registrar]\nquestions:\n"
        "  - id: a.one\n    text: One?\n    type: yes_no\n    refs: [rfc:5731]\n"
        "    risk:\n      - equals: no\n        severity: low\n", "utf-8")
    with pytest.raises(ConfigError, match=r":11: question a.one risk rule: missing 'why'"):
        load_templates(tmp_path)


def test_versions_and_get(tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "sample.yaml").read_text("utf-8")
    (tmp_path / "sample-v2.yaml").write_text(text, "utf-8")
    (tmp_path / "sample-v10.yaml").write_text(text.replace("version: 2", "version: 10"), "utf-8")
    assert load_templates(tmp_path)["sample"].version == "10"
    assert len(load_all(tmp_path)) == 2
    assert get("sample", "2", directory=tmp_path).version == "2"
    assert get("sample", directory=tmp_path).version == "10"
    with pytest.raises(NotFoundError, match="sample version 3 not found"):
        get("sample", "3", directory=tmp_path)


def test_same_version_twice_is_an_error(tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "sample.yaml").read_text("utf-8")
    (tmp_path / "a.yaml").write_text(text, "utf-8")
    (tmp_path / "b.yaml").write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="version 2 is also defined in"):
        load_templates(tmp_path)


def test_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_templates(tmp_path / "nope")


def test_fingerprint_changes_with_text(sample: Template, tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "sample.yaml").read_text("utf-8")
    (tmp_path / "s.yaml").write_text(text.replace("Is MFA enforced?", "Is MFA on?"), "utf-8")
    assert load_templates(tmp_path)["sample"].fingerprint != sample.fingerprint
    assert load_templates(FIXTURES / "good")["sample"].fingerprint == sample.fingerprint


def test_templates_for(shipped: dict[str, Template]) -> None:
    assert [t.id for t in templates_for(shipped, "dynamic_dns")] == ["dns-security"]
    assert [t.id for t in templates_for(shipped.values(), "registrar")] == ["registrar"]
    assert templates_for(shipped, "other") == ()
