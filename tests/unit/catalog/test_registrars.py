"""Registrar catalog: shipped data, lookups, privacy services, errors with file:line:key."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendorrisk.catalog.registrars import (
    FACTS,
    is_privacy_service,
    load_registrar_catalog,
    normalise,
)
from vendorrisk.errors import ConfigError


def test_shipped_catalog() -> None:
    catalog = load_registrar_catalog()
    assert len(catalog.registrars) >= 20
    for entry in catalog.registrars:
        for fact in FACTS:
            if getattr(entry, fact) is not None:
                assert entry.sources.get(fact), (entry.key, fact)
    assert catalog.by_iana_id(1068).key == "namecheap"  # type: ignore[union-attr]
    assert catalog.by_name("GODADDY.COM, LLC").key == "godaddy"  # type: ignore[union-attr]
    assert catalog.by_name("Hover").key == "tucows"  # type: ignore[union-attr]
    assert catalog.match("whatever", 292).key == "markmonitor"  # type: ignore[union-attr]
    assert catalog.by_name("No Such Registrar") is None and catalog.by_iana_id(None) is None


def test_normalise() -> None:
    assert normalise("GoDaddy.com, LLC") == normalise("godaddy com") == "godaddy com"
    assert normalise("Inc.") == "inc"


def test_privacy_services() -> None:
    assert is_privacy_service("Withheld for Privacy ehf")
    assert is_privacy_service("DOMAINS BY PROXY, LLC")
    assert is_privacy_service("On behalf of example.com owner")
    assert not is_privacy_service("Example GmbH") and not is_privacy_service(None)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registrars.yaml"
    path.write_text(text)
    (tmp_path / "privacy-services.yaml").write_text("services: []\n")
    return path


GOOD = """registrars:
  acme:
    name: ACME Registrar
    iana_id: 4242
    aliases: [ACME]
    registry_lock: true
    sources:
      iana_id: test
      registry_lock: test
"""


def test_custom_file(tmp_path: Path) -> None:
    catalog = load_registrar_catalog(_write(tmp_path, GOOD))
    assert catalog.by_name("acme").iana_id == 4242  # type: ignore[union-attr]
    assert catalog.privacy_services == ()


@pytest.mark.parametrize(("text", "where"), [
    (GOOD.replace("registry_lock: true", "registry_lok: true"), ":6: registrars.acme.registry_lok"),
    (GOOD.replace("iana_id: 4242", "iana_id: many"), ":4: registrars.acme.iana_id"),
    (GOOD.replace("      registry_lock: test\n", ""), ":7: registrars.acme.sources"),
    (GOOD.replace("registry_lock: true", "registry_lock: maybe"),
     ":6: registrars.acme.registry_lock"),
    ("registrars: [1, 2]\n", ":1: registrars"),
    ("registrars:\n  a: {name: x\n", ":3:"),
])
def test_bad_yaml_names_file_line_key(tmp_path: Path, text: str, where: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_registrar_catalog(path)
    assert str(path) in info.value.message and where in info.value.message, info.value.message


def test_unknown_key_suggests_nearest(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("registry_lock: true", "registry_lok: true"))
    with pytest.raises(ConfigError) as info:
        load_registrar_catalog(path)
    assert info.value.hint == "did you mean 'registry_lock'?"


def test_bad_privacy_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    (tmp_path / "privacy-services.yaml").write_text("services:\n  - name: X\n    patterns: ['(']\n")
    with pytest.raises(ConfigError, match=r"privacy-services.yaml:3: services\.0\.patterns"):
        load_registrar_catalog(path)


def test_requires_own_nameservers_is_a_sourced_fact() -> None:
    from vendorrisk.catalog.registrars import load_registrar_catalog

    catalog = load_registrar_catalog()
    cloudflare = catalog.by_key("cloudflare")
    assert cloudflare is not None and cloudflare.requires_own_nameservers is True
    assert "requires_own_nameservers" in cloudflare.sources
    markmonitor = catalog.by_key("markmonitor")
    assert markmonitor is not None and markmonitor.requires_own_nameservers is None
