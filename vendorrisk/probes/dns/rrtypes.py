"""Record types seen in the answers a nameserver gave: the raw material for telling
provider-specific record types (private-use range, PowerDNS ALIAS/LUA) from standard ones.

Only type codes are kept, never names or data. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable

import dns.message


def answer_types(messages: Iterable[dns.message.Message | None]) -> tuple[int, ...]:
    """Sorted distinct RR type codes in the answer sections of ``messages`` (``None`` skipped)."""
    return tuple(sorted({int(rrset.rdtype) for m in messages if m is not None
                         for rrset in m.answer}))
