"""The registration lab tests use the session-wide loopback RDAP/WHOIS lab (tests/lab/conftest.py)."""

from __future__ import annotations

import pytest

from tests.lab.registration.lab import Lab


@pytest.fixture(scope="session")
def lab(registration_lab: Lab) -> Lab:
    return registration_lab
