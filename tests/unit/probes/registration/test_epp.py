"""EPP status mapping (RFC 8056) and lock classification."""

from __future__ import annotations

import pytest

from vendorrisk.probes.registration import epp


@pytest.mark.parametrize(("raw", "rdap", "code"), [
    ("client transfer prohibited", True, "clientTransferProhibited"),
    ("server delete prohibited", True, "serverDeleteProhibited"),
    ("active", True, "ok"),
    ("associated", True, "linked"),
    ("redemption period", True, "redemptionPeriod"),
    ("pending delete", True, "pendingDelete"),
    ("clientTransferProhibited https://icann.org/epp#clientTransferProhibited", False,
     "clientTransferProhibited"),
    ("clientUpdateProhibited (https://www.icann.org/epp#clientUpdateProhibited)", False,
     "clientUpdateProhibited"),
    ("CLIENTHOLD", False, "clientHold"),
    ("ok", False, "ok"),
    ("active", False, None),
    ("connect", False, None),
    ("Registered until expiry date.", False, None),
    ("", True, None),
])
def test_to_epp(raw: str, rdap: bool, code: str | None) -> None:
    assert epp.to_epp(raw, rdap=rdap) == code


def test_split_statuses_dedups_and_keeps_other() -> None:
    codes, other = epp.split_statuses(
        ["client transfer prohibited", "clientTransferProhibited", "transfer prohibited"],
        rdap=True)
    assert codes == ("clientTransferProhibited",)
    assert other == ("transfer prohibited",)


def test_registry_lock_needs_all_three() -> None:
    full = epp.classify(["serverTransferProhibited", "serverUpdateProhibited",
                         "serverDeleteProhibited"])
    assert full.registry_locked and full.registrar_locked and full.server_lock_partial == ()
    partial = epp.classify(["serverUpdateProhibited", "clientTransferProhibited"])
    assert partial.registry_locked is False
    assert partial.server_lock_partial == ("serverUpdateProhibited",)


def test_registrar_lock_by_server_transfer_alone() -> None:
    state = epp.classify(["serverTransferProhibited"])
    assert state.registrar_locked is True and state.update_delete_locked is False


def test_no_status_is_unknown_not_unlocked() -> None:
    assert epp.classify([]) == epp.LockState(None, None, None, ())


def test_ok_is_unlocked() -> None:
    state = epp.classify(["ok"])
    assert state.registrar_locked is False and state.update_delete_locked is False


def test_rfc9083_generic_transfer_lock() -> None:
    state = epp.classify((), ("locked", "transfer prohibited"))
    assert state.registrar_locked is True and state.registry_locked is None
    assert state.update_delete_locked is True
    assert epp.classify((), ("active",)).registrar_locked is None
