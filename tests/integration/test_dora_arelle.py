"""The DORA package validated by Arelle against the EBA taxonomy package, when both are here.

The taxonomy (``taxo_package_4.0_errata5.zip``, published by the EBA, on no package registry)
is looked for at ``$VENDORRISK_EBA_TAXONOMY`` or ``tests/fixtures/eba/``; Arelle is
``arelle-release``, not a locked dependency. When either is absent the test still runs what it
can (the refusal that names what is missing) and says loudly, in the test output, that the
Arelle check did not run. It is never skipped.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from vendorrisk.config import Settings
from vendorrisk.errors import InputError
from vendorrisk.io import dora_arelle
from vendorrisk.services.app import Services, open_services
from vendorrisk.services.demo import load_demo

TODAY = date(2026, 3, 31)
CLIENT = "Baltic Pay UAB"
FIXTURE = Path(__file__).parent.parent / "fixtures" / "eba" / "taxo_package_4.0_errata5.zip"


def _loud(request: pytest.FixtureRequest, text: str) -> None:
    """A line in the test output even without ``-s`` (and in a JUnit report's properties)."""
    with request.getfixturevalue("capsys").disabled():
        print(f"\n*** {text} ***", flush=True)
    request.node.user_properties.append(("arelle", text))


@pytest.fixture
def taxonomy(request: pytest.FixtureRequest) -> Path | None:
    path = Path(os.environ.get("VENDORRISK_EBA_TAXONOMY") or FIXTURE)
    missing = [what for what, ok in (("the EBA taxonomy package " + str(path), path.is_file()),
                                     ("Arelle (pip install arelle-release)",
                                      dora_arelle.available())) if not ok]
    if missing:
        _loud(request, "ARELLE VALIDATION DID NOT RUN: missing " + " and ".join(missing)
              + "; only vendorrisk's own blocking-rule check ran")
        return None
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = tmp_path_factory.mktemp("arelle") / "demo.db"
    services = open_services(Settings(db=f"sqlite:///{path}", user="test"))
    load_demo(services, today=TODAY)
    yield services
    services.close()


def test_package_validated_by_arelle(demo: Services, taxonomy: Path | None,
                                     tmp_path: Path) -> None:
    if taxonomy is None:
        fake = tmp_path / "taxo.zip"
        with zipfile.ZipFile(fake, "w") as zf:
            zf.writestr("META-INF/taxonomyPackage.xml", "<taxonomyPackage/>")
        with pytest.raises(InputError) as refused:
            demo.dora.export(CLIENT, tmp_path / "reg", today=TODAY, draft=True,
                             taxonomy=fake if not dora_arelle.available() else
                             tmp_path / "absent.zip")
        assert "Arelle" in str(refused.value) or "no such file" in str(refused.value)
        assert not (tmp_path / "reg").exists()
        command = dora_arelle.command(Path("p.zip"), fake)
        assert command[1:4] == ["-m", "arelle.CntlrCmdLine", "--file"]
        assert "--packages" in command and "--validate" in command
        return
    result = demo.dora.export(CLIENT, tmp_path / "reg", today=TODAY, draft=True,
                              taxonomy=taxonomy)
    assert result.arelle is not None
    validation = (result.directory / "validation.csv").read_text()
    for line in result.arelle:
        assert line in validation
    print(f"Arelle: {len(result.arelle)} error(s) on the demo's draft package")
