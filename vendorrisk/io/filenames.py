"""How output files are named: ``<kind>-<scope>-<date>``, one slug function for every name.

``scope`` is :data:`ALL_CLIENTS` for an export of every client, else the client's part
(:func:`client_part`: its slug, made unique among the clients by the id of a later one). A
client whose slug would be ``all`` gets a suffix too, so the all-clients name differs from
every per-client name.

=====================  ============================================
procurement workbook    ``vendorrisk-<scope>-<YYYY-MM-DD>.xlsx``
DORA register           ``dora-register-<client>-<YYYY-MM-DD>/``
evidence pack           ``evidence-<client>-<YYYY-MM>/`` and ``.zip``
one screen's rows       ``vendorrisk-<scope>-<view>-<YYYYMMDD-HHMMSS>.xlsx``
=====================  ============================================

The TUI never asks before writing, so it takes the first free name (:func:`free_path`:
``…-2.xlsx``, ``…-3.xlsx``); the CLI refuses an existing name unless ``--force``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

ALL_CLIENTS = "all"
MAX_SLUG = 60
_WORD = re.compile(r"[^\W_]+")
_NOT_SLUG = re.compile(r"[^a-z0-9-]+")


def _ascii_word(word: str) -> str:
    """Accents dropped (``Müller`` -> ``muller``); a word still not ASCII becomes its IDNA
    A-label form (``Сбербанк`` -> ``xn--80abap1arsf``), so no name is reduced to nothing."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", word)
                    if not unicodedata.combining(ch))
    if plain.isascii():
        return plain
    return "xn--" + plain.encode("punycode").decode("ascii")


def slug(name: str, *, fallback: str = "client") -> str:
    """``name`` as a file-name part: lower-case ASCII letters, digits and hyphens, never a
    path separator or a leading dot, at most :data:`MAX_SLUG` characters."""
    words = (_NOT_SLUG.sub("", _ascii_word(w)) for w in _WORD.findall(name.casefold()))
    text = "-".join(w for w in words if w)
    return text[:MAX_SLUG].strip("-") or fallback


def client_part(client_id: int, clients: Mapping[int, str]) -> str:
    """The file-name part of client ``client_id`` among ``clients`` (id -> name): its slug,
    followed by ``-<id>`` when a client created before it already has that part (``a-b`` and
    ``a/b``), so no two clients' outputs share a name and an earlier client's never changes."""
    taken: set[str] = {ALL_CLIENTS}
    for cid in sorted(clients):
        part = slug(clients[cid])
        while part in taken:
            part = f"{part[:MAX_SLUG - 12].rstrip('-')}-{cid}"
        if cid == client_id:
            return part
        taken.add(part)
    raise KeyError(client_id)


def scope(client: str | None) -> str:
    """:data:`ALL_CLIENTS` for every client, else the client's slug (never ``all``)."""
    if client is None:
        return ALL_CLIENTS
    part = slug(client)
    return f"client-{part}" if part == ALL_CLIENTS else part


def workbook_name(client: str | None, day: date) -> str:
    return f"vendorrisk-{scope(client)}-{day.isoformat()}.xlsx"


def dora_register_name(client: str, day: date) -> str:
    return f"dora-register-{scope(client)}-{day.isoformat()}"


def evidence_name(client: str, month: str) -> str:
    return f"evidence-{scope(client)}-{month}"


def view_name(title: str, client: str | None, at: datetime, *, part: str | None = None) -> str:
    """A screen's rows: the client once, though the screen's title names it too (``part``:
    the client's :func:`client_part`, else its slug)."""
    if client and title.endswith(f" — {client}"):
        title = title[:-len(f" — {client}")]
    who = scope(part or client)
    return f"vendorrisk-{who}-{slug(title, fallback='view')}-{at:%Y%m%d-%H%M%S}.xlsx"


def free_path(path: Path, *, tries: int = 1000) -> Path:
    """``path``, or the first of ``<stem>-2<suffix>``, ``<stem>-3<suffix>``… that does not
    exist: two exports of the same day (or second) keep both files."""
    candidate = path
    for n in range(2, tries + 2):
        if not (candidate.exists() or candidate.is_symlink()):
            return candidate
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
