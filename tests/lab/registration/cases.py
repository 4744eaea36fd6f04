"""The lab's domains: RDAP JSON and WHOIS texts per case, built from the fixtures."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fixtures.registration import rdap_fixture, whois_fixture
from tests.lab.registration.servers import RdapLab, Reply, WhoisLab, json_reply

NOW = datetime.now(UTC)
REGISTRAR_PLACEHOLDER = "https://rdap.registrar.example/"


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def thin_registry(domain: str, registrar_base: str, *, related: bool = True) -> dict[str, Any]:
    data = copy.deepcopy(rdap_fixture("verisign_thin_com"))
    data["ldhName"] = domain.upper()
    links = []
    for link in data["links"]:
        if link["rel"] == "related":
            if not related:
                continue
            href = f"{registrar_base}domain/{domain}"
            link = {**link, "href": href, "value": href}
        links.append(link)
    data["links"] = links
    return data


def thick(domain: str, *, status: list[str], expires: datetime | None = None,
          registrar: tuple[str, int] = ("Gandi SAS", 81)) -> dict[str, Any]:
    data = copy.deepcopy(rdap_fixture("thick_registry_locked"))
    data["ldhName"] = domain
    data["status"] = status
    data["entities"][0]["publicIds"][0]["identifier"] = str(registrar[1])
    data["entities"][0]["vcardArray"][1][1][3] = registrar[0]
    if expires is not None:
        for event in data["events"]:
            if event["eventAction"] == "expiration":
                event["eventDate"] = _iso(expires)
    return data


LOCKED = ["client transfer prohibited", "client update prohibited", "client delete prohibited"]


def install_rdap(lab: RdapLab) -> None:
    """Registry answers under /registry/, registrar answers under /registrar/."""
    reg = lab.base + "registrar/"
    r = lab.replies

    def registry(domain: str, reply: Reply) -> None:
        r[f"/registry/domain/{domain}"] = reply

    def registrar(domain: str, reply: Reply) -> None:
        r[f"/registrar/domain/{domain}"] = reply

    for domain, fixture in (("thin-redacted.com", "registrar_rfc9537"),
                            ("thin-exposed.com", "registrar_exposed"),
                            ("thin-proxy.com", "registrar_proxy"),
                            ("thin-legacy.com", "registrar_legacy_redacted")):
        registry(domain, json_reply(thin_registry(domain, reg)))
        registrar(domain, json_reply(rdap_fixture(fixture)))
    registry("thin-nolink.com", json_reply(thin_registry("thin-nolink.com", reg, related=False)))
    registry("registrar-down.com", json_reply(thin_registry("registrar-down.com", reg)))
    registrar("registrar-down.com", Reply(status=503, body=b"busy"))
    registry("thick-locked.org", json_reply(thick("thick-locked.org", status=[
        *LOCKED, "server transfer prohibited", "server update prohibited",
        "server delete prohibited"])))
    registry("unlocked.com", json_reply(thick("unlocked.com", status=["active"])))
    registry("partial.com", json_reply(thick("partial.com", status=[
        "client transfer prohibited", "server transfer prohibited"])))
    registry("expiring.com", json_reply(thick("expiring.com", status=LOCKED,
                                              expires=NOW + timedelta(days=10))))
    registry("expired.com", json_reply(thick("expired.com", status=LOCKED,
                                             expires=NOW - timedelta(days=5))))
    registry("namecheap.com", json_reply(thick("namecheap.com", status=LOCKED,
                                               registrar=("NameCheap, Inc.", 1068))))
    ok = json_reply(thick("ratelimited.com", status=LOCKED))
    registry("ratelimited.com", Reply(status=429, headers={"Retry-After": "1"}, times=1, then=ok))
    registry("throttled.com", Reply(status=429, headers={"Retry-After": "1"}))
    registry("longwait.com", Reply(status=429, headers={"Retry-After": "3600"}))
    registry("slow.com", json_reply(thick("slow.com", status=LOCKED), delay=1.5))
    registry("garbage.com", Reply(body=b"<html><body>Service Unavailable</body></html>",
                                  headers={"Content-Type": "text/html"}))
    registry("notjson.com", Reply(body=b"\x00\xff\xfe garbage \x89PNG"))
    registry("huge.com", Reply(body=b'{"objectClassName": "domain", "x": "', stream_bytes=400_000))
    registry("redirect.com", Reply(status=302, headers={"Location": "/registry/domain/unlocked.com"}))
    # "missing.com" is not in the table: the server answers 404.


def verisign_text(domain: str, referral: str | None, *, status: list[str] | None = None,
                  expires: datetime | None = None) -> str:
    text = whois_fixture("verisign_thin_com").replace("EXAMPLE-THIN.COM", domain.upper())
    if referral is None:
        text = text.replace("   Registrar WHOIS Server: whois.registrar.example\n", "")
    else:
        text = text.replace("whois.registrar.example", referral)
    if status is not None:
        lines = [ln for ln in text.splitlines() if "Domain Status:" not in ln]
        at = next(i for i, ln in enumerate(lines) if "Registrar Abuse Contact Phone" in ln) + 1
        lines[at:at] = [f"   Domain Status: {s} https://icann.org/epp#{s}" for s in status]
        text = "\n".join(lines) + "\n"
    if expires is not None:
        text = text.replace("2028-09-14T04:00:00Z", _iso(expires))
    return text


def install_whois(registry: WhoisLab, registrar: WhoisLab) -> None:
    """Registry replies on one server (the --whois-server override), registrars on another."""
    r, rr = registry.replies, registrar.replies
    ref = registrar.address

    def text(value: str, **kw: Any) -> Reply:
        return Reply(body=value.replace("\n", "\r\n").encode(), **kw)

    for domain, fixture in (("w-thin.com", "registrar_markmonitor"),
                            ("w-exposed.com", "registrar_exposed"),
                            ("w-proxy.com", "registrar_proxy")):
        r[domain] = text(verisign_text(domain, ref))
        rr[domain] = text(whois_fixture(fixture).replace("example-thin.com", domain))
    r["w-unlocked.com"] = text(verisign_text("w-unlocked.com", None, status=["ok"]))
    r["w-expired.com"] = text(verisign_text("w-expired.com", None,
                                            expires=NOW - timedelta(days=3)))
    r["w-referral-down.com"] = text(verisign_text("w-referral-down.com", "127.0.0.1:9"))
    r["w-badref.com"] = text(verisign_text("w-badref.com", "whois.registrar.example:99999"))
    r["w-selfref.com"] = text(verisign_text("w-selfref.com", registry.address))
    r["example-thick.org"] = text(whois_fixture("thick_org"))
    r["beispiel-gmbh.de"] = text(whois_fixture("de_denic"))
    r["example-shop.co.uk"] = text(whois_fixture("uk_nominet"))
    r["voorbeeld-bv.nl"] = text(whois_fixture("nl_sidn"))
    r["beispiel.eu"] = text(whois_fixture("eu_eurid"))
    r["w-limited.com"] = text(whois_fixture("ratelimit"))
    ok = text(verisign_text("w-limited-once.com", None))
    r["w-limited-once.com"] = Reply(body=whois_fixture("ratelimit").encode(), times=1, then=ok)
    r["w-slow.com"] = text(verisign_text("w-slow.com", None), delay=1.5)
    r["w-huge.com"] = Reply(body=b"Domain Name: W-HUGE.COM\r\n", stream_bytes=400_000)
    r["w-garbage.com"] = Reply(body=bytes(range(256)) * 8)
    # "w-nomatch.com" is not in the table: the server answers "No match for".


def write_bootstrap(path: Any, rdap: RdapLab, tlds: list[str]) -> None:
    path.write_text(json.dumps({"version": "1.0", "publication": _iso(NOW),
                                "services": [[tlds, [rdap.base + "registry/"]]]}))
