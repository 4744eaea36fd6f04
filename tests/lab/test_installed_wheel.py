"""The wheel is the product: built from this tree, installed into a new virtual environment outside
the checkout, run from another working directory, it finds its data and probes the lab."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.lab.dns.bindlab import BindLab

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "vendorrisk")


@dataclass(frozen=True)
class Installed:
    bin: Path
    site: Path
    home: Path
    cwd: Path

    def run(self, *argv: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VENDORRISK_", "PYTHON"))}
        env |= {"HOME": str(self.home), "XDG_DATA_HOME": str(self.home / "data"),
                "XDG_CONFIG_HOME": str(self.home / "config"), "XDG_CACHE_HOME": str(self.home / "cache"),
                "PATH": f"{self.bin}:{env.get('PATH', '')}"}
        env |= extra_env or {}
        return subprocess.run([str(self.bin / "vendorrisk"), *argv], cwd=self.cwd, env=env,
                              capture_output=True, text=True, timeout=300)


def build_wheel(out: Path) -> Path:
    """Build from a copy of the tracked sources, so the checkout gains no build/ or egg-info."""
    source = out / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-w", str(out / "dist"), str(source)],
                   check=True, capture_output=True, text=True)
    (wheel,) = (out / "dist").glob("vendorrisk-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    target = work / "venv"
    venv.create(target, with_pip=True)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "-c", str(ROOT / "requirements" / "constraints.txt"), str(wheel)],
                   check=True, capture_output=True, text=True, timeout=600)
    site = Path(subprocess.run([str(target / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (work / "home").mkdir()
    (work / "elsewhere").mkdir()
    yield Installed(target / "bin", site, work / "home", work / "elsewhere")


def test_the_wheel_carries_the_data_and_the_questionnaires(tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(build_wheel(tmp_path)).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "vendorrisk" / "data").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert {"vendorrisk/data/providers.yaml", "vendorrisk/data/questionnaires/registrar.yaml",
            "vendorrisk/data/demo/domains.yaml"} <= shipped
    assert shipped - names == set()


def test_help_and_locate_point_into_the_installation_and_the_user_dirs(installed: Installed) -> None:
    help_ = installed.run("--help")
    assert help_.returncode == 0 and "Exit codes" in help_.stdout and help_.stderr == ""
    located = installed.run("locate", "--json")
    assert located.returncode == 0, located.stderr
    where = json.loads(located.stdout)
    assert Path(where["data"]).is_relative_to(installed.site)
    assert Path(where["exports"]) == installed.home / "data" / "vendorrisk" / "exports"
    assert str(ROOT) not in located.stdout


def test_demo_questionnaires_score_and_export_from_the_wheel(installed: Installed) -> None:
    demo = installed.run("demo")
    assert demo.returncode == 0, demo.stderr
    listed = installed.run("questionnaire", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {"registrar", "dns-provider"} <= {t["id"] for t in json.loads(listed.stdout)}
    scored = installed.run("score", "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)
    exported = installed.run("export", "--json")
    assert exported.returncode == 0, exported.stderr
    path = Path(json.loads(exported.stdout)["path"])
    assert path.is_file() and path.is_relative_to(installed.home / "data" / "vendorrisk" / "exports")
    for result in (demo, listed, scored, exported):
        assert "Warning" not in result.stderr and "Traceback" not in result.stderr


def test_probe_without_store_against_the_lab(installed: Installed, dns_lab: BindLab,
                                             lab_catalog_path: Path) -> None:
    lab = {"VENDORRISK_PROBE_RESOLVER": dns_lab.resolver,
           "VENDORRISK_PROBE_TRUST_ANCHOR": str(dns_lab.trust_anchor),
           "VENDORRISK_PROBE_PROVIDERS_FILE": str(lab_catalog_path),
           "VENDORRISK_PROBE_TIMEOUT": "1", "VENDORRISK_PROBE_DNS_RATE_LIMIT": "500",
           "VENDORRISK_PROBE_ALLOW_NETWORKS": "127.0.0.0/8"}
    result = installed.run("probe", "--no-store", "--no-registration", "--json", "good.test",
                           extra_env=lab)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    (line,) = result.stdout.splitlines()
    observation = json.loads(line)
    assert observation["domain"] == "good.test" and observation["complete"] is True
