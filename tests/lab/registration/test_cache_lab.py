"""The registration cache: a re-probe within the TTL asks no server; --refresh does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lab.registration.helpers import probe
from tests.lab.registration.lab import Lab

pytestmark = pytest.mark.lab


def test_second_probe_is_served_from_cache(lab: Lab, tmp_path: Path) -> None:
    key = "/registry/domain/thick-locked.org"
    before = lab.rdap.table.hits[key]
    first = probe(lab, tmp_path, "thick-locked.org")["thick-locked.org"]
    second = probe(lab, tmp_path, "thick-locked.org")["thick-locked.org"]
    assert not first.cached and second.cached
    assert lab.rdap.table.hits[key] == before + 1
    assert second.to_json() | {"cached": False} == first.to_json()
    refreshed = probe(lab, tmp_path, "thick-locked.org", refresh=True)["thick-locked.org"]
    assert not refreshed.cached and lab.rdap.table.hits[key] == before + 2


def test_transient_failures_are_not_cached(lab: Lab, tmp_path: Path) -> None:
    probe(lab, tmp_path, "registrar-down.com")
    again = probe(lab, tmp_path, "registrar-down.com")["registrar-down.com"]
    assert not again.cached


def test_missing_data_reason_is_cached(lab: Lab, tmp_path: Path) -> None:
    probe(lab, tmp_path, "beispiel-gmbh.de")
    again = probe(lab, tmp_path, "beispiel-gmbh.de")["beispiel-gmbh.de"]
    assert again.cached and again.unpublished and not again.reasons
