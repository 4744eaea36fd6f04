"""Loopback RDAP (HTTP) and WHOIS (TCP) servers for the registration lab and benchmark.

Each server answers from a table of behaviours keyed by path or query, counts hits, and can
be throttled (429 + Retry-After, or a WHOIS rate-limit text) or slowed down.
"""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One canned answer. ``times`` limits how often it is used before ``then`` takes over."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = None
    then: Reply | None = None
    stream_bytes: int = 0
    """Send this many filler bytes after ``body`` (for huge answers), with no Content-Length."""


def json_reply(data: Any, **kw: Any) -> Reply:
    return Reply(body=json.dumps(data).encode(), headers={"Content-Type": "application/rdap+json"},
                 **kw)


class _Table:
    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.hits: Counter[str] = Counter()
        self.times: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.default: Callable[[str], Reply | None] = lambda key: None

    def take(self, key: str) -> Reply | None:
        with self.lock:
            self.hits[key] += 1
            self.times.append((key, time.monotonic()))
            reply = self.replies.get(key) or self.default(key)
            if reply is None:
                return None
            if reply.times is not None:
                used = self.hits[key]
                if used > reply.times:
                    return reply.then
            return reply


class RdapLab:
    """``http://127.0.0.1:PORT/``; ``replies`` keyed by path (``/registry/domain/x.com``)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.table = _Table()
        table = self.table

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                reply = table.take(self.path.lower())
                if reply is None:
                    reply = json_reply({"errorCode": 404, "title": "Not Found"}, status=404)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.stream_bytes:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.wfile.write(reply.body)
                        chunk = b"x" * 65536
                        for _ in range(reply.stream_bytes // len(chunk)):
                            self.wfile.write(chunk)
                        self.close_connection = True
                        return
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self.base = f"http://{host}:{self.port}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def replies(self) -> dict[str, Reply]:
        return self.table.replies

    def start(self) -> RdapLab:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class WhoisLab:
    """``127.0.0.1:PORT`` WHOIS; ``replies`` keyed by the lower-case query."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.table = _Table()
        table = self.table

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                query = self.rfile.readline(1024).decode("utf-8", "replace").strip().lower()
                reply = table.take(query)
                if reply is None:
                    reply = Reply(body=f'No match for "{query.upper()}".\r\n'.encode())
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.wfile.write(reply.body)
                    chunk = b"% filler line of a huge whois answer\r\n" * 1000
                    for _ in range(reply.stream_bytes // len(chunk)):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((host, 0), Handler)
        self.host = host
        self.port = self.server.server_address[1]
        self.address = f"{host}:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def replies(self) -> dict[str, Reply]:
        return self.table.replies

    def start(self) -> WhoisLab:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def bootstrap_json(services: list[tuple[list[str], str]]) -> bytes:
    """A ``dns.json`` naming lab servers (plain HTTP, allowed because the user supplied it)."""
    return json.dumps({"version": "1.0", "publication": "2026-11-23T00:00:00Z",
                       "services": [[tlds, [url]] for tlds, url in services]}).encode()
