"""`vendorrisk data refresh`: fetch a newer IANA RDAP bootstrap and root trust anchors.

Each file is validated before it replaces the previous copy (written atomically next to it),
so a failed or garbled download never leaves the probes without data.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from vendorrisk import paths
from vendorrisk.endpoints import check_http_url
from vendorrisk.errors import NetworkError
from vendorrisk.io.atomic import write_atomic
from vendorrisk.masking import mask_secrets
from vendorrisk.probes.registration.bootstrap import IANA_DNS_JSON, fetch_bootstrap

IANA_ROOT_ANCHORS = "https://data.iana.org/root-anchors/root-anchors.xml"
MAX_ANCHORS_BYTES = 1_000_000


@dataclass(frozen=True)
class RefreshResult:
    path: Path
    source: str
    detail: str


def refresh_all(*, bootstrap_url: str | None = None, anchors_url: str | None = None,
                out_dir: Path | None = None, timeout: float = 10.0,
                now: datetime | None = None) -> list[RefreshResult]:
    """Fetch, validate and write both files; ``None`` URLs mean IANA's."""
    bootstrap_url = bootstrap_url or IANA_DNS_JSON
    anchors_url = anchors_url or IANA_ROOT_ANCHORS
    check_http_url(bootstrap_url, "--bootstrap-url")
    check_http_url(anchors_url, "--anchors-url")
    target = out_dir or paths.refreshed_data_dir()
    session = requests.Session()
    results = []
    when = now or datetime.now(UTC)
    body = with_provenance(fetch_bootstrap(bootstrap_url, session, timeout=timeout),
                           bootstrap_url, when)
    results.append(RefreshResult(_write(target / "rdap-dns.json", body),
                                 mask_secrets(bootstrap_url), f"{len(body)} bytes"))
    zone, count = anchors_zone(_get(session, anchors_url, timeout), mask_secrets(anchors_url),
                               now or datetime.now(UTC))
    results.append(RefreshResult(_write(target / "root-anchors.zone", zone.encode()),
                                 mask_secrets(anchors_url), f"{count} trust anchors"))
    return results


def with_provenance(body: bytes, source: str, now: datetime) -> bytes:
    """The validated bootstrap with a ``vendorrisk_source`` member: where and when it came from
    (the shipped copy carries the same member, naming the mirror it was copied from)."""
    data = json.loads(body.decode("utf-8"))
    data["vendorrisk_source"] = {"upstream": mask_secrets(source),
                                 "fetched": now.isoformat(timespec="seconds"),
                                 "publication": data.get("publication")}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _get(session: requests.Session, url: str, timeout: float) -> bytes:
    shown = mask_secrets(url)
    if not url.lower().startswith(("https://", "http://")):
        raise NetworkError(f"{shown}: only http(s) URLs can be refreshed from")
    try:
        with session.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(MAX_ANCHORS_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise NetworkError(mask_secrets(f"cannot fetch {url}: {exc}")) from exc
    if len(data) > MAX_ANCHORS_BYTES:
        raise NetworkError(f"{shown}: response larger than {MAX_ANCHORS_BYTES} bytes")
    return bytes(data)


def anchors_zone(xml_bytes: bytes, source: str, now: datetime) -> tuple[str, int]:
    """Turn IANA's root-anchors.xml into DS records, keeping anchors valid at ``now``."""
    try:
        root = ET.fromstring(xml_bytes)
    except ET.ParseError as exc:
        raise NetworkError(f"{source}: not valid XML ({exc})") from exc
    lines = [f"; IANA root trust anchors from {source}, fetched {now.date().isoformat()}"]
    for digest in root.iter("KeyDigest"):
        if not _valid_at(digest, now):
            continue
        try:
            tag, alg, dtype, value = (digest.findtext(k, "").strip() for k in
                                      ("KeyTag", "Algorithm", "DigestType", "Digest"))
            int(tag), int(alg), int(dtype), bytes.fromhex(value)
        except ValueError as exc:
            raise NetworkError(f"{source}: malformed KeyDigest ({exc})") from exc
        lines.append(f". IN DS {tag} {alg} {dtype} {value}")
    count = len(lines) - 1
    if count == 0:
        raise NetworkError(f"{source}: no trust anchor is valid now")
    return "\n".join(lines) + "\n", count


def _valid_at(element: ET.Element, now: datetime) -> bool:
    start, end = element.get("validFrom"), element.get("validUntil")
    try:
        if start and datetime.fromisoformat(start.replace("Z", "+00:00")) > now:
            return False
        return not (end and datetime.fromisoformat(end.replace("Z", "+00:00")) <= now)
    except ValueError:
        return False


def _write(path: Path, data: bytes) -> Path:
    write_atomic(path, lambda tmp: tmp.write_bytes(data), force=True)
    return path
