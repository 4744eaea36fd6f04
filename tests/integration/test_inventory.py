"""Inventory services on SQLite and PostgreSQL: validation, constraints, audit in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from vendorrisk.config import ProbeSettings, Settings
from vendorrisk.errors import InputError, NotFoundError
from vendorrisk.portfolio.fields import KnownIds
from vendorrisk.services.app import open_services
from vendorrisk.services.imports import ImportFailed, ImportService
from vendorrisk.store.models import AuditEvent, Domain
from vendorrisk.tui.backend import Backend
from vendorrisk.views import ViewService


def seed(services: Any) -> None:
    inv = services.inventory
    inv.create("client", {"name": "Acme", "regimes": "gdpr,dora", "residency": "EU"})
    inv.create("client", {"name": "Globex"})
    inv.create("vendor", {"name": "Cloudflare", "kind": "dns_provider", "data_locations": "US"})
    inv.create("vendor", {"name": "NS1", "kind": "dns_provider"})
    inv.create("vendor", {"name": "Gandi", "kind": "registrar", "hq_country": "fr"})


def audit_count(services: Any) -> int:
    with services.db.session(readonly=True) as session:
        return int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def test_domain_round_trip_with_idn_and_declared_vendors(services: Any) -> None:
    seed(services)
    inv = services.inventory
    created = inv.create("domain", {"name": "Bücher.example", "client": "Acme",
                                    "registrar": "Gandi", "dns_providers": "NS1, Cloudflare"})
    assert created["name"] == "xn--bcher-kva.example"
    assert created["name_unicode"] == "bücher.example"
    assert created["dns_providers"] == ["Cloudflare", "NS1"]
    assert inv.get("domain", "xn--bcher-kva.example")["registrar"] == "Gandi"
    with pytest.raises(InputError, match="already exists"):
        inv.create("domain", {"name": "xn--bcher-kva.example", "client": "Globex"})


def test_a_domain_belongs_to_one_client_even_with_different_spellings(services: Any) -> None:
    seed(services)
    services.inventory.create("domain", {"name": "shop.example", "client": "Acme"})
    with pytest.raises(InputError, match="client Acme"):
        services.inventory.create("domain", {"name": "SHOP.example.", "client": "Globex"})


def test_unknown_references_are_rejected_and_nothing_is_written(services: Any) -> None:
    seed(services)
    before = audit_count(services)
    with pytest.raises(NotFoundError, match="no vendor 'Dyn'"):
        services.inventory.create("domain", {"name": "a.example", "client": "Acme",
                                             "dns_providers": "Dyn"})
    with pytest.raises(NotFoundError, match="no client"):
        services.inventory.create("contract", {"vendor": "NS1", "reference": "X",
                                               "client": "Nobody", "start_date": "2025-01-01"})
    assert audit_count(services) == before
    assert services.inventory.list("domain") == []


def test_update_records_only_what_changed(services: Any) -> None:
    seed(services)
    services.inventory.update("vendor", "Gandi", {"tier": "1", "notes": "main registrar"})
    event = services.audit_log(entity_kind="vendor", limit=1)[0]  # then its rescore's event
    assert event["action"] == "update"
    assert event["before"] == {"tier": 2, "notes": None}
    assert event["after"] == {"tier": 1, "notes": "main registrar"}


def test_delete_is_refused_while_referenced_then_allowed(services: Any) -> None:
    seed(services)
    services.inventory.create("domain", {"name": "a.example", "client": "Acme",
                                         "registrar": "Gandi"})
    with pytest.raises(InputError, match="1 domain"):
        services.inventory.delete("client", "Acme")
    with pytest.raises(InputError, match="as registrar"):
        services.inventory.delete("vendor", "Gandi")
    services.inventory.delete("domain", "a.example")
    services.inventory.delete("client", "Acme")
    assert [c["name"] for c in services.inventory.list("client")] == ["Globex"]
    assert services.audit_log(entity_kind="client", limit=1)[0]["before"]["name"] == "Acme"


def test_contracts_and_certifications(services: Any) -> None:
    seed(services)
    inv = services.inventory
    contract = inv.create("contract", {
        "vendor": "Cloudflare", "reference": "CF-2025", "client": "Acme",
        "start_date": "2025-01-01", "end_date": "2026-01-01", "auto_renew": "yes",
        "renewal_term_months": "12", "notice_days_customer": "90", "sla_uptime": "100",
        "annual_value": "12000.50", "currency": "EUR", "clauses": "exit_strategy, audit_rights",
    })
    assert contract["sla_uptime"] == 100 and contract["annual_value"] == 12000.5
    assert contract["clauses"] == ["exit_strategy", "audit_rights"]
    with pytest.raises(InputError, match="already has contract"):
        inv.create("contract", {"vendor": "Cloudflare", "reference": "CF-2025",
                                "start_date": "2025-01-01"})
    cert = inv.create("certification", {"vendor": "Cloudflare", "cert_type": "soc2_type2",
                                        "period_end": "2025-06-30", "auditor": "X LLP"})
    assert cert["vendor"] == "Cloudflare"
    assert [c["reference"] for c in inv.list("contract", vendor="Cloudflare")] == ["CF-2025"]
    assert len(inv.list("certification", vendor="Cloudflare")) == 1
    with pytest.raises(InputError, match="cert_type"):
        inv.create("certification", {"vendor": "Cloudflare", "cert_type": "iso9001"})


def test_subcontractor_chain_is_ranked(services: Any) -> None:
    seed(services)
    services.inventory.set_subcontractors("Gandi", [("Cloudflare", "anycast DNS"),
                                                    ("NS1", None)])
    chain = services.inventory.get("vendor", "Gandi")["subcontractors"]
    assert [(c["name"], c["rank"]) for c in chain] == [("Cloudflare", 1), ("NS1", 2)]
    with pytest.raises(InputError, match="own subcontractor"):
        services.inventory.set_subcontractors("Gandi", [("Gandi", None)])
    services.inventory.set_subcontractors("Cloudflare", [("NS1", None)])
    with pytest.raises(InputError, match="subcontracting cycle: NS1 -> Gandi -> NS1"):
        services.inventory.set_subcontractors("NS1", [("Gandi", None)])
    with pytest.raises(InputError, match="cycle: NS1 -> Cloudflare -> NS1"):
        services.inventory.set_subcontractors("NS1", [("Cloudflare", None)])


def test_database_constraints_back_the_services(services: Any) -> None:
    """Even bypassing the services, the schema keeps data sane (enum check, unique name)."""
    from sqlalchemy.exc import IntegrityError, StatementError

    seed(services)
    with pytest.raises((IntegrityError, StatementError)), services.db.sessions() as session:
        session.execute(Domain.__table__.insert().values(
            name="x.example", client_id=1, criticality="extreme",
            created_at=None, updated_at=None))
        session.commit()


def test_listing_filters(services: Any) -> None:
    seed(services)
    inv = services.inventory
    inv.create("domain", {"name": "a.example", "client": "Acme", "dns_providers": "NS1"})
    inv.create("domain", {"name": "b.example", "client": "Globex", "registrar": "Gandi"})
    assert [d["name"] for d in inv.list("domain", client="Acme")] == ["a.example"]
    assert [d["name"] for d in inv.list("domain", vendor="Gandi")] == ["b.example"]
    assert [d["name"] for d in inv.list("domain", vendor="NS1")] == ["a.example"]


def test_catalog_keys_follow_the_configured_catalog_everywhere(db_url: str,
                                                               tmp_path: Path) -> None:
    """CLI and TUI saves, the TUI's inline check and imports share one notion of known keys."""
    catalog = tmp_path / "providers.yaml"
    catalog.write_text("version: 1\nproviders:\n  alphadns:\n    name: Alpha DNS\n"
                       "    kind: dns_provider\n    ns_patterns: ['ns*.alpha.test']\n")
    settings = Settings(db=db_url, user="t", probe=ProbeSettings(providers_file=str(catalog)))
    services = open_services(settings)
    try:
        views = Backend(services).views
        vendor = {"name": "Alpha", "kind": "dns_provider", "catalog_key": "alphadns"}
        assert views.problems("vendor", vendor, partial=False) == {}
        assert views.problems("vendor", {**vendor, "catalog_key": "alphadms"}, partial=False) == {
            "catalog_key": "unknown catalog key 'alphadms', did you mean 'alphadns'?"}
        assert services.inventory.create("vendor", vendor)["catalog_key"] == "alphadns"
        with pytest.raises(InputError, match="did you mean 'alphadns'"):
            services.inventory.update("vendor", "Alpha", {"catalog_key": "alphadn"})
        rows = tmp_path / "vendors.csv"
        rows.write_text("name,kind,catalog_key\nBeta,dns_provider,route53\n")
        with pytest.raises(ImportFailed) as err:
            ImportService(services.db, services.inventory, services.actor).run(rows)
        assert "unknown catalog key 'route53'" in err.value.report.errors[0].message
    finally:
        services.close()
    assert "alphadns" not in KnownIds().of("catalog_key")
    assert ViewService(services.db).problems("vendor", vendor, partial=False) == {
        "catalog_key": "unknown catalog key 'alphadns', did you mean 'ultradns'?"}  # shipped
