"""The observation's JSON is the DESIGN §3 ``registration`` object and round-trips."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from vendorrisk.probes.registration.types import (
    RegistrationData,
    RegistrationObservation,
    merge,
)
from vendorrisk.probes.types import Reason

CONTRACT = {"source", "registrar", "registrar_iana_id", "created", "expires", "epp_status",
            "registrar_locked", "registry_locked", "registrant_redacted", "pii_fields_exposed"}


def sample() -> RegistrationObservation:
    return RegistrationObservation(
        domain="example.com", source="rdap", registrar="Gandi SAS", registrar_iana_id=81,
        created=datetime(2001, 5, 20, 14, tzinfo=UTC), expires=datetime(2027, 5, 20, tzinfo=UTC),
        epp_status=("clientTransferProhibited",), registrar_locked=True, registry_locked=False,
        registrant_redacted=True, pii_fields_exposed=(), server="rdap.example",
        unpublished=("expiry date",), reasons=(Reason("registration.rdap", "x"),))


def test_contract_keys_and_values() -> None:
    data = sample().to_json()
    assert set(data) >= CONTRACT
    assert data["source"] == "rdap" and data["created"] == "2001-05-20T14:00:00Z"
    assert data["epp_status"] == ["clientTransferProhibited"]
    assert data["pii_fields_exposed"] == [] and data["complete"] is False


def test_unknown_is_null() -> None:
    data = RegistrationObservation("x.com").to_json()
    assert all(data[k] is None for k in CONTRACT - {"epp_status"})
    assert data["epp_status"] == []


def test_round_trip() -> None:
    obs = sample()
    assert RegistrationObservation.from_json(obs.to_json()) == obs
    empty = RegistrationObservation("x.com")
    assert RegistrationObservation.from_json(empty.to_json()) == empty


@given(st.booleans() | st.none(), st.lists(st.sampled_from(["name", "email"]), unique=True)
       | st.none(), st.integers(1, 99999) | st.none())
def test_round_trip_property(lock: bool | None, pii: list[str] | None, iana: int | None) -> None:
    obs = RegistrationObservation("y.org", source="whois", registrar_locked=lock,
                                  pii_fields_exposed=None if pii is None else tuple(pii),
                                  registrar_iana_id=iana)
    assert RegistrationObservation.from_json(obs.to_json()) == obs


def test_merge_takes_status_from_registry_and_registrant_from_registrar() -> None:
    registry = RegistrationData(registrar="A", epp_status=("clientTransferProhibited",),
                                thin=True, referral="https://r/")
    registrar = RegistrationData(registrar="B", epp_status=("ok",), has_registrant=True,
                                 registrant_redacted=False, pii_fields_exposed=("name",))
    merged = merge(registry, registrar)
    assert merged.registrar == "A" and merged.epp_status == ("clientTransferProhibited",)
    assert merged.pii_fields_exposed == ("name",) and not merged.thin
