"""Shared fixtures for the questionnaire tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.questionnaires import Template, load_templates

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "questionnaires"


@pytest.fixture(scope="session")
def sample() -> Template:
    return load_templates(FIXTURES / "good")["sample"]


@pytest.fixture(scope="session")
def shipped() -> dict[str, Template]:
    return load_templates()
