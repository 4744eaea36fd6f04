"""The locked test environment: requirements/test.txt pins everything pyproject.toml asks for,
and requirements/constraints.txt carries the very same pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "test.txt"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)(?: ; ([^\\]*?))?\s*\\?$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, tuple[str, str | None]]:
    found = (PIN.match(line) for line in path.read_text().splitlines())
    return {normalise(m[1]): (m[2], m[3]) for m in found if m}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    wanted += project["optional-dependencies"]["postgres"]
    names = (re.match(r"[A-Za-z0-9._-]+", spec)[0] for spec in wanted)  # type: ignore[index]
    return {normalise(n) for n in names} - {"vendorrisk"}


def test_every_declared_dependency_is_locked() -> None:
    assert declared() - pins(LOCK).keys() == set()


def test_every_locked_package_carries_hashes() -> None:
    lines = LOCK.read_text().splitlines()
    unhashed = [line for line, after in zip(lines, [*lines[1:], ""], strict=True)
                if PIN.match(line) and not after.strip().startswith("--hash=sha256:")]
    assert unhashed == []


def test_constraints_pin_exactly_what_the_lock_pins() -> None:
    locked = pins(LOCK)
    assert len(locked) > 40
    assert pins(CONSTRAINTS) == locked
