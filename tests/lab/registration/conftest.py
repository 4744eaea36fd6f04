"""Session-scoped loopback RDAP and WHOIS servers for the registration lab tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lab.registration.cases import install_rdap, install_whois, write_bootstrap
from tests.lab.registration.lab import Lab
from tests.lab.registration.servers import RdapLab, WhoisLab


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
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
