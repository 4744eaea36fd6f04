"""EPP status codes (RFC 5731, RFC 3915) and how RDAP spells them (RFC 8056); lock classification.

Registrar lock = ``clientTransferProhibited`` or ``serverTransferProhibited``. Registry lock only
when all three ``server{Transfer,Update,Delete}Prohibited`` are set; a partial server set is
reported as such (it may be a legal hold or registry policy, not a lock product).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

EPP_CODES: tuple[str, ...] = (
    "ok", "inactive", "linked",
    "clientDeleteProhibited", "clientHold", "clientRenewProhibited",
    "clientTransferProhibited", "clientUpdateProhibited",
    "serverDeleteProhibited", "serverHold", "serverRenewProhibited",
    "serverTransferProhibited", "serverUpdateProhibited",
    "pendingCreate", "pendingDelete", "pendingRenew", "pendingTransfer", "pendingUpdate",
    "addPeriod", "autoRenewPeriod", "renewPeriod", "transferPeriod", "redemptionPeriod",
    "pendingRestore",
)

SERVER_LOCK: tuple[str, ...] = (
    "serverTransferProhibited", "serverUpdateProhibited", "serverDeleteProhibited",
)
UPDATE_DELETE: frozenset[str] = frozenset({
    "clientUpdateProhibited", "serverUpdateProhibited",
    "clientDeleteProhibited", "serverDeleteProhibited",
})
TRANSFER: frozenset[str] = frozenset({"clientTransferProhibited", "serverTransferProhibited"})


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).lower()


_BY_KEY: dict[str, str] = {_key(code): code for code in EPP_CODES}
# RFC 8056 names that are not just the spaced form of the EPP code.
_BY_KEY.update({"active": "ok", "associated": "linked"})


def to_epp(status: str, *, rdap: bool = False) -> str | None:
    """Map one status string to its EPP code, or None when it is not an EPP status.

    Accepts ``clientTransferProhibited``, ``client transfer prohibited`` and the WHOIS form
    ``clientTransferProhibited https://icann.org/epp#clientTransferProhibited`` and .kz's
    ``ok - Normal state.``. ``active``
    and ``associated`` are RFC 8056 names only, so they map only when ``rdap`` is true
    (``.nl`` WHOIS prints ``Status: active`` meaning something else).
    """
    text = status.strip()
    if not text:
        return None
    if not rdap:
        text = re.split(r"\s(?:https?://|\(|-\s)", text, maxsplit=1)[0]
    key = _key(text)
    if not rdap and key in ("active", "associated"):
        return None
    return _BY_KEY.get(key)


def split_statuses(values: Iterable[str], *, rdap: bool = False) -> tuple[tuple[str, ...],
                                                                           tuple[str, ...]]:
    """Split raw statuses into (EPP codes, other statuses), both de-duplicated, order kept."""
    epp: list[str] = []
    other: list[str] = []
    for value in values:
        code = to_epp(value, rdap=rdap)
        if code is not None:
            if code not in epp:
                epp.append(code)
        else:
            cleaned = value.strip()[:200]
            if cleaned and cleaned not in other:
                other.append(cleaned)
    return tuple(epp), tuple(other)


@dataclass(frozen=True)
class LockState:
    """What the EPP statuses say about locks; None everywhere when no status is known."""

    registrar_locked: bool | None
    registry_locked: bool | None
    update_delete_locked: bool | None
    server_lock_partial: tuple[str, ...]
    """The server* lock statuses present when some but not all three are set."""


GENERIC_TRANSFER_LOCK: frozenset[str] = frozenset({"transferprohibited", "locked"})
"""RFC 9083 status values that say a transfer lock is set without saying by whom."""


def classify(epp_status: Iterable[str], other: Iterable[str] = ()) -> LockState:
    """Locks from the EPP codes; with none, RFC 9083's generic ``transfer prohibited`` /
    ``locked`` (in ``other``) still mean a transfer lock (registry lock unknown)."""
    codes = set(epp_status)
    if not codes:
        generic = {_key(s) for s in other} & GENERIC_TRANSFER_LOCK
        if generic:
            return LockState(True, None, True if "locked" in generic else None, ())
        return LockState(None, None, None, ())
    present = tuple(code for code in SERVER_LOCK if code in codes)
    full = len(present) == len(SERVER_LOCK)
    return LockState(
        registrar_locked=bool(codes & TRANSFER),
        registry_locked=full,
        update_delete_locked=bool(codes & UPDATE_DELETE),
        server_lock_partial=() if full else present,
    )
