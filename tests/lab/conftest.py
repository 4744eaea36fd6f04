"""Session-scoped loopback labs shared by every lab test. They fail (never skip) if they cannot start."""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lab.dns.bindlab import BindLab, LabError
from tests.lab.dns.scenarios import LAB_CATALOG, standard_lab
from tests.lab.registration.cases import install_rdap, install_whois, write_bootstrap
from tests.lab.registration.lab import Lab
from tests.lab.registration.servers import RdapLab, WhoisLab
from vendorrisk.catalog.providers import ProviderCatalog, load_provider_catalog
from vendorrisk.config import ProbeSettings

LAB_NETWORKS = ("127.0.0.0/8",)
"""The only networks a lab test's probes may send to (configuration opens them, as a user
opens internal DNS); everything else is refused by the probe and by :func:`loopback_only`."""


def lab_prefix() -> str:
    """127.53.0.0/16, or one /16 per pytest-xdist worker so parallel labs never collide;
    ``VR_TEST_LAB_PREFIX`` (e.g. ``127.77``) keeps two checkouts' runs apart."""
    if os.environ.get("VR_TEST_LAB_PREFIX"):
        return os.environ["VR_TEST_LAB_PREFIX"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"127.{60 + int(worker[2:])}" if worker.startswith("gw") else "127.53"


@pytest.fixture(scope="session", autouse=True)
def loopback_only() -> Iterator[list[str]]:
    """Every DNS packet a lab test sends goes through ``dns.asyncquery``: refuse (without
    sending) any destination outside the lab's networks, and fail the run if one was tried.
    The probe's own policy should have stopped it first."""
    import ipaddress

    import dns.asyncquery

    allowed = [ipaddress.ip_network(n) for n in LAB_NETWORKS]
    tried: list[str] = []
    originals = {name: getattr(dns.asyncquery, name) for name in ("udp", "tcp")}

    def guard(name: str) -> Any:
        async def send(q: Any, where: str, *args: Any, **kwargs: Any) -> Any:
            if not any(ipaddress.ip_address(where) in net for net in allowed):
                tried.append(where)
                raise OSError(errno.EACCES, f"the lab refuses to send to {where}")
            return await originals[name](q, where, *args, **kwargs)
        return send

    with pytest.MonkeyPatch.context() as patch:
        for name in originals:
            patch.setattr(dns.asyncquery, name, guard(name))
        yield tried
    assert tried == [], f"a lab test tried to send DNS packets outside loopback: {tried}"


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
                         timeout=1.0, retries=1, dns_rate_limit=500.0,
                         allow_networks=LAB_NETWORKS)


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
