"""Checks of the settings that name a server: a URL (RDAP bootstrap, data refresh) or a
``HOST[:PORT]`` (WHOIS server), made when settings are read, so that a malformed one is a
one-line error naming the setting rather than a traceback or a probe marked incomplete.
Values are shown masked (:mod:`vendorrisk.masking`).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from vendorrisk.errors import ConfigError
from vendorrisk.masking import mask_secrets

_HOST = re.compile(r"(?i)^[a-z0-9_]([a-z0-9_.-]{0,252})$")


def check_http_url(url: str, what: str) -> None:
    """Raise a ConfigError unless ``url`` is a well-formed http(s) URL with a host."""
    why = _url_problem(url)
    if why:
        raise ConfigError(f"{what}: {mask_secrets(url)!r} is not a usable URL: {why}",
                          "e.g. https://data.iana.org/rdap/dns.json")


def check_file_or_url(text: str, what: str) -> None:
    """A setting that is a file name or an http(s) URL: a URL (``…://…``) must be well-formed."""
    if "://" in text:
        check_http_url(text, what)


def check_host_port(text: str, what: str) -> None:
    """Raise a ConfigError unless ``text`` is ``HOST``, ``HOST:PORT``, ``IPv6`` or ``[IPv6]:PORT``."""
    host, port = text, ""
    if text.startswith("["):
        host, closed, rest = text[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            _bad_host_port(text, what)
        port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    if not _is_host(host) or (port and not (port.isdigit() and 0 < int(port) < 65536)):
        _bad_host_port(text, what)


def _bad_host_port(text: str, what: str) -> None:
    raise ConfigError(f"{what}: {mask_secrets(text)!r} is not HOST[:PORT]",
                      "e.g. whois.example.net, whois.example.net:4343 or [2001:db8::43]:43")


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOST.match(host)) and ".." not in host


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # "Invalid IPv6 URL", "Port could not be cast to integer value"
        return "malformed host or port"
    if parts.scheme.lower() not in ("http", "https"):
        return "only http and https URLs are fetched"
    if not parts.hostname:
        return "no host"
    if port is not None and port == 0:
        return "port 0"
    return None
