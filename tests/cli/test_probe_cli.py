"""`vendorrisk probe` passes what was asked; the probing service plans the run.

No network here: the probe driver is replaced by one that records the plan it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from vendorrisk.probes.runner import ProbePlan


def test_no_store_opens_no_database_and_keeps_the_cache(run: Run, planned: Any,
                                                        tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    result = run("--db", f"sqlite:///{db}", "probe", "--no-store", "--no-dns", "Example.COM")
    assert result.code == 0, result.err
    assert not db.exists()
    cache = tmp_path / "cache" / "vendorrisk" / "registration"
    assert planned == [(("example.com",), ProbePlan(dns=False, registration=True,
                                                    refresh=False, cache_dir=cache))]


def test_refresh_and_halves_reach_the_plan(run: Run, planned: Any) -> None:
    assert run("probe", "--no-store", "--refresh", "--no-registration", "example.com").code == 0
    ((_, plan),) = planned
    assert (plan.dns, plan.registration, plan.refresh) == (True, False, True)
    assert plan.cache_dir is not None


@pytest.mark.parametrize("argv, message", [
    (("--no-store", "--all"), "--no-store probes named domains only"),
    ((), "name domains, or use --client NAME or --all"),
    (("--no-dns", "--no-registration", "example.com"), "leave nothing to probe"),
])
def test_usage_errors_are_unchanged(run: Run, planned: Any, argv: tuple[str, ...],
                                    message: str) -> None:
    result = run("probe", *argv)
    assert result.code == 2 and message in result.err and not planned
