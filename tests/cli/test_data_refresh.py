"""`vendorrisk data refresh` against a small HTTP server on loopback."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Run

BOOTSTRAP = json.dumps({
    "version": "1.0", "publication": "2026-11-01T00:00:00Z", "description": "lab",
    "services": [[["com", "net"], ["https://rdap.example.net/v1/"]]],
}).encode()

ANCHORS = b"""<?xml version="1.0" encoding="UTF-8"?>
<TrustAnchor id="lab" source="http://127.0.0.1/root-anchors.xml">
<Zone>.</Zone>
<KeyDigest id="old" validFrom="2010-07-15T00:00:00+00:00" validUntil="2019-01-11T00:00:00+00:00">
<KeyTag>19036</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>
<Digest>49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5</Digest>
</KeyDigest>
<KeyDigest id="ksk2017" validFrom="2017-02-02T00:00:00+00:00">
<KeyTag>20326</KeyTag><Algorithm>8</Algorithm><DigestType>2</DigestType>
<Digest>E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</Digest>
</KeyDigest>
</TrustAnchor>
"""


@pytest.fixture
def server() -> Iterator[str]:
    files = {"/dns.json": BOOTSTRAP, "/root-anchors.xml": ANCHORS, "/garbage.xml": b"<not xml"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_refresh_writes_validated_files(run: Run, server: str, tmp_path: Path) -> None:
    out = tmp_path / "refreshed"
    result = run("data", "refresh", "--bootstrap-url", f"{server}/dns.json",
                 "--anchors-url", f"{server}/root-anchors.xml", "--out", str(out))
    assert result.code == 0, result.err
    assert json.loads((out / "rdap-dns.json").read_bytes())["services"][0][0] == ["com", "net"]
    zone = (out / "root-anchors.zone").read_text()
    assert ". IN DS 20326 8 2 E06D44B8" in zone
    assert "19036" not in zone  # expired anchor dropped


def test_bad_download_keeps_the_previous_copy(run: Run, server: str, tmp_path: Path) -> None:
    out = tmp_path / "refreshed"
    out.mkdir()
    (out / "root-anchors.zone").write_text("previous\n")
    result = run("data", "refresh", "--bootstrap-url", f"{server}/dns.json",
                 "--anchors-url", f"{server}/garbage.xml", "--out", str(out))
    assert result.code == 4
    assert "not valid XML" in result.err
    assert (out / "root-anchors.zone").read_text() == "previous\n"


def test_unreachable_source_is_exit_4(run: Run, tmp_path: Path) -> None:
    result = run("data", "refresh", "--bootstrap-url", "http://127.0.0.1:1/dns.json",
                 "--out", str(tmp_path))
    assert result.code == 4
    assert len(result.err.strip().splitlines()) == 1
