"""Session-scoped loopback labs shared by every lab test. They fail (never skip) if they cannot start."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.dns.bindlab import BindLab, LabError
from tests.lab.dns.scenarios import LAB_CATALOG, standard_lab
from tests.lab.registration.cases import install_rdap, install_whois, write_bootstrap
from tests.lab.registration.lab import Lab
from tests.lab.registration.servers import RdapLab, WhoisLab
from vendorrisk.catalog.providers import ProviderCatalog, load_provider_catalog
from vendorrisk.config import ProbeSettings


def lab_prefix() -> str:
    """127.53.0.0/16, or one /16 per pytest-xdist worker so parallel labs never collide."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"127.{60 + int(worker[2:])}" if worker.startswith("gw") else "127.53"


@pytest.fixture(scope="session")
def dns_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BindLab]:
    lab = standard_lab(tmp_path_factory.mktemp("bindlab"), lab_prefix())
    try:
        lab.build()
        lab.start()
    except LabError as exc:
        lab.stop()
        pytest.fail(f"the BIND DNS lab could not start: {exc}", pytrace=False)
    yield lab
    lab.stop()


@pytest.fixture(scope="session")
def lab_catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("catalog") / "providers.yaml"
    path.write_text(LAB_CATALOG)
    return path


@pytest.fixture(scope="session")
def lab_catalog(lab_catalog_path: Path) -> ProviderCatalog:
    return load_provider_catalog(lab_catalog_path)


@pytest.fixture(scope="session")
def lab_settings(dns_lab: BindLab) -> ProbeSettings:
    return ProbeSettings(resolver=dns_lab.resolver, trust_anchor=str(dns_lab.trust_anchor),
                         timeout=1.0, retries=1, dns_rate_limit=500.0)


@pytest.fixture(scope="session")
def registration_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Loopback RDAP server, registry WHOIS and registrar WHOIS serving the test cases."""
    rdap = RdapLab().start()
    whois = WhoisLab().start()
    registrar = WhoisLab().start()
    install_rdap(rdap)
    install_whois(whois, registrar)
    bootstrap = tmp_path_factory.mktemp("rdap") / "dns.json"
    write_bootstrap(bootstrap, rdap, ["com", "org", "net"])
    try:
        yield Lab(rdap, whois, registrar, bootstrap)
    finally:
        rdap.stop()
        whois.stop()
        registrar.stop()


def with_updates(settings: ProbeSettings) -> ProbeSettings:
    return dataclasses.replace(settings, probe_updates=True)
