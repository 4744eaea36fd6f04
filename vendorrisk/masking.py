"""One way to keep secrets out of what vendorrisk prints, logs, writes and stores.

Database URLs, RDAP bootstrap and download URLs and other settings may carry credentials: user
info (``postgresql://user:pw@host/db``, ``https://TOKEN@host/``), secret query parameters
(``?password=pw``, ``?token=…``), libpq key-value strings (``password=pw host=…``), scheme-less
or malformed URLs (``user:pw@host/db``, ``…@[::1/db``). :func:`mask_secrets` replaces the secret
parts of any text with ``***`` and never raises, so it also works on error messages that
quote such values; every message, log line, output and stored setting goes through it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

MASK = "***"

_SECRET_NAME = (r"(?:(?:[\w.-]*[_.-])?(?:pass|passwd|password|pwd|secret|token|key|auth|"
                r"authorization|credentials?|signature|sig)|[\w.-]*(?:password|passwd|secret|"
                r"token|apikey|accesskey))")
"""A parameter or setting name that holds a secret: ``password``, ``sslpassword``, ``api_key``,
``access_token``, ``X-Amz-Signature``, … (a last word, so ``signature_expiry_days`` is not)."""
_SECRET_KEY = re.compile(rf"(?i)^{_SECRET_NAME}$")
_PARAMETER = re.compile(rf"(?i)(?<![\w.-])({_SECRET_NAME})(\s*=\s*)(?!\*\*\*)([^\s&;#'\"]+)")
"""``name=value`` in a query string, a libpq string or free text."""
_SCHEME_USERINFO = re.compile(
    r"(?i)((?:\b[a-z][a-z0-9+.-]*)?://)([^\s/?#@'\"<>]*?)(?::([^\s'\"<>]*))?@")
"""``scheme://user[:password]@`` (the password may hold ``/`` and ``?``: it runs to an ``@``)."""
_BARE_USERINFO = re.compile(r"(?<![\w.%+:/-])([\w.%+-]+):(?!//)([^\s'\"<>]+)@(?=[\w\[])")
"""Scheme-less ``user:password@host``."""
_PORT_THEN_PATH = re.compile(r"\d{1,5}[/?#]")
_DB_SCHEMES = ("postgres", "sqlite", "mysql", "mariadb", "oracle", "mssql", "cockroach")
"""Database schemes: user info without a password is a user name (shown), and a password may
hold ``/`` (SQLAlchemy reads up to the ``@``)."""


def mask_secrets(text: str) -> str:
    """``text`` with every password, token and secret parameter in it replaced by ``***``."""
    text = _SCHEME_USERINFO.sub(_scheme_userinfo, text)
    text = _BARE_USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
    return _PARAMETER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)


def _scheme_userinfo(match: re.Match[str]) -> str:
    scheme, user, password = match.group(1), match.group(2), match.group(3)
    database = scheme.lower().startswith(_DB_SCHEMES)
    if password is not None and not database and _PORT_THEN_PATH.match(password):
        return match.group(0)  # https://host:8080/path?x=a@b: the "@" is in the path
    if password is not None:
        return f"{scheme}{user}:{MASK}@" if user else f"{scheme}{MASK}@"
    if database or user == MASK:
        return match.group(0)
    return f"{scheme}{MASK}@"  # https://TOKEN@host: the user name is the credential


def masked_repr(value: Any) -> str:
    """``repr(value)`` with the secrets in it masked (for "got …" in a config error)."""
    return mask_secrets(repr(value))


def mask_settings(value: Any) -> Any:
    """A JSON-like value (settings to store or show) with every text masked and the value
    of every secret-named key (``password``, ``token``, ``api_key`` …) replaced."""
    if isinstance(value, Mapping):
        return {k: MASK if isinstance(k, str) and _SECRET_KEY.match(k) and v
                else mask_settings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_settings(v) for v in value]
    if isinstance(value, str):
        return mask_secrets(value)
    return value


class MaskingFormatter(logging.Formatter):
    """A log formatter whose lines (tracebacks included) pass through :func:`mask_secrets`,
    so no library's log message (urllib3's request lines, a driver's error) can leak one."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))
