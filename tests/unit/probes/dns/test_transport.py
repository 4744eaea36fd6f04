"""Transport faults as data, against a tiny misbehaving UDP server on loopback."""

from __future__ import annotations

import asyncio
import time

import dns.message
import dns.rcode
import pytest

from vendorrisk.probes.dns.transport import QUERY_COUNTER, RateLimiter, Transport
from vendorrisk.probes.netpolicy import NetworkPolicy

LOOPBACK = NetworkPolicy.of(["127.0.0.0/8"])
"""The fake server listens on loopback: the test opens it, as the lab's configuration does."""


class _Fake(asyncio.DatagramProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.t = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        q = dns.message.from_wire(data)
        name = q.question[0].name.to_text()
        r = dns.message.make_response(q)
        if name.startswith("garbage"):
            self.t.sendto(data[:2] + b"\x81\x80garbage", addr)  # type: ignore[attr-defined]
            return
        if name.startswith("silent"):
            return
        if name.startswith("formerr") and q.edns >= 0:
            r = dns.message.make_response(q)
            r.use_edns(False)
            r.set_rcode(dns.rcode.FORMERR)
        elif name.startswith("servfail"):
            r.set_rcode(dns.rcode.SERVFAIL)
        self.t.sendto(r.to_wire(), addr)  # type: ignore[attr-defined]


async def _with_fake(coro_fn):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(_Fake, local_addr=("127.0.0.1", 0))
    port = transport.get_extra_info("sockname")[1]
    try:
        return await coro_fn(port)
    finally:
        transport.close()


def test_faults_are_data() -> None:
    async def go(port: int):  # type: ignore[no-untyped-def]
        t = Transport(timeout=0.2, retries=1, rate=0, policy=LOOPBACK)
        counter = [0]
        QUERY_COUNTER.set(counter)
        out = {}
        for name in ("formerr.x", "garbage.x", "servfail.x", "silent.x", "ok.x"):
            out[name] = await t.query("127.0.0.1", name, "A", port=port)
        return out, counter[0]

    out, count = asyncio.run(_with_fake(go))
    assert out["formerr.x"].rcode == "NOERROR"  # retried without EDNS
    assert out["formerr.x"].response is not None and out["formerr.x"].response.edns < 0
    assert out["garbage.x"].response is None and "garbage" in (out["garbage.x"].error or "")
    assert out["servfail.x"].rcode == "SERVFAIL"
    assert out["silent.x"].response is None and "timeout" in (out["silent.x"].error or "")
    assert out["ok.x"].rcode == "NOERROR"
    assert count == 2 + 1 + 1 + 2 + 1  # formerr twice, silent retried once


def test_unreachable_is_data() -> None:
    t = Transport(timeout=0.3, retries=0, rate=0, policy=LOOPBACK)
    ex = asyncio.run(t.query("127.0.0.1", "x.test", "SOA", port=9, tcp=True))
    assert ex.response is None and ex.error and ex.error.startswith("unreachable")


def test_rate_limiter_spaces_queries_per_server() -> None:
    async def go() -> float:
        lim = RateLimiter(100.0)
        start = time.monotonic()
        await asyncio.gather(*(lim.wait(("a", 53)) for _ in range(11)),
                             *(lim.wait(("b", 53)) for _ in range(11)))
        return time.monotonic() - start

    elapsed = asyncio.run(go())
    assert 0.09 <= elapsed < 0.5


def test_no_route_to_an_address_family_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    """An IPv6 nameserver seen from an IPv4-only host is 'not tested', not a server fault."""
    import errno as errno_mod

    import dns.asyncquery

    async def no_route(*args: object, **kwargs: object) -> None:
        raise OSError(errno_mod.ENETUNREACH, "Network is unreachable")

    async def refused(*args: object, **kwargs: object) -> None:
        raise OSError(errno_mod.ECONNREFUSED, "Connection refused")

    transport = Transport(timeout=0.2, retries=0, rate=1000.0,
                          policy=NetworkPolicy.of(["2001:db8::/32", "127.0.0.0/8"]))
    monkeypatch.setattr(dns.asyncquery, "udp", no_route)
    ex = asyncio.run(transport.query("2001:db8::53", "example.test", "SOA"))
    assert ex.response is None and ex.no_route and "unreachable" in (ex.error or "")
    monkeypatch.setattr(dns.asyncquery, "udp", refused)
    ex = asyncio.run(transport.query("127.0.0.1", "example.test", "SOA"))
    assert ex.response is None and not ex.no_route


@pytest.mark.parametrize("address", ["10.0.0.53", "192.168.1.1", "169.254.0.1", "::1",
                                     "fe80::1", "127.0.0.1", "100.64.0.1", "192.0.2.53"])
def test_an_address_the_policy_forbids_is_sent_nothing(monkeypatch: pytest.MonkeyPatch,
                                                       address: str) -> None:
    import dns.asyncquery

    sent: list[str] = []

    async def record(q: object, where: str, **kwargs: object) -> None:
        sent.append(where)
        raise OSError(111, "Connection refused")

    monkeypatch.setattr(dns.asyncquery, "udp", record)
    monkeypatch.setattr(dns.asyncquery, "tcp", record)
    ex = asyncio.run(Transport(timeout=0.2, retries=0, rate=0).query(address, "x.test", "SOA"))
    assert sent == [] and ex.refused and ex.response is None
    assert "not globally routable" in (ex.error or "")
    opened = Transport(timeout=0.2, retries=0, rate=0,
                       policy=NetworkPolicy.of(["0.0.0.0/0", "::/0"]))
    asyncio.run(opened.query(address, "x.test", "SOA"))
    assert sent == [address]  # configuration opened every network
