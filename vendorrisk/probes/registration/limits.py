"""Bounds on one WHOIS or RDAP answer before it is parsed (issue #15): size, JSON depth, text.

The transport already stops reading at ``probe.max_response_bytes`` (default 1,000,000 bytes,
configurable); these limits hold for any body handed to the parsers, whatever its source, so
one hostile answer costs a bounded amount of time and memory:

=====================  ============  =====================================================
limit                  value         an answer over it
=====================  ============  =====================================================
``MAX_ANSWER_BYTES``   4,000,000     refused: WHOIS ``too_large``, RDAP "not RDAP" reason
``MAX_JSON_DEPTH``     64            refused ("nested deeper than 64 levels"); real RDAP
                                     domain objects nest about 15 levels
=====================  ============  =====================================================

``MAX_ANSWER_BYTES`` is four times the default ``probe.max_response_bytes``: raising that
setting above it lets the transport read more, but the parsers still refuse it. Both are
module constants a caller (or a test) may change. Each refusal is a :class:`AnswerLimitError`
whose message is one line; the prober turns it into a reason, so the observation is marked
incomplete.
"""

from __future__ import annotations

from typing import Any

MAX_ANSWER_BYTES = 4_000_000
"""Largest WHOIS or RDAP body parsed, in bytes."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in an RDAP body."""


class AnswerLimitError(ValueError):
    """An answer over one of the limits; ``str()`` is one line."""


def check_size(body: bytes, limit: int | None = None) -> None:
    """Refuse ``body`` if it is longer than ``limit`` (default ``MAX_ANSWER_BYTES``)."""
    cap = MAX_ANSWER_BYTES if limit is None else limit
    if len(body) > cap:
        raise AnswerLimitError(f"answer of {len(body):,} bytes is over the {cap:,}-byte limit")


def check_depth(data: Any, limit: int | None = None) -> None:
    """Refuse parsed JSON nested deeper than ``limit`` (default ``MAX_JSON_DEPTH``).

    Iterative (no recursion), and it only descends into arrays and objects, so it costs one
    step per container and a C-speed scan per container's members.
    """
    cap = MAX_JSON_DEPTH if limit is None else limit
    level: list[Any] = [data] if isinstance(data, (list, dict)) else []
    depth = 0
    while level:
        depth += 1
        if depth > cap:
            raise AnswerLimitError(f"JSON nested deeper than {cap} levels")
        level = [child for node in level
                 for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, (list, dict))]


_ISO_2022_JP = (b"\x1b$B", b"\x1b$@", b"\x1b(J")
"""Escape sequences of ISO-2022-JP (JPRS's Japanese answers): 7-bit, so UTF-8 would take it."""


def decode_text(body: bytes, limit: int | None = None, charset: str | None = None) -> str:
    """WHOIS text, which declares no charset: ISO-2022-JP when its escapes are there, else
    UTF-8, else the registry's own ``charset`` (its TLD profile), else Latin-1 (never fails).

    A body over ``limit`` is not decoded whole: its first ``limit + 1`` bytes become as many
    characters, so :func:`check_text_size` refuses it without decoding megabytes.
    """
    cap = MAX_ANSWER_BYTES if limit is None else limit
    if len(body) > cap:
        return body[: cap + 1].decode("latin-1")
    tries = ["iso-2022-jp"] if any(e in body for e in _ISO_2022_JP) else []
    for encoding in (*tries, "utf-8", *([charset] if charset else [])):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("latin-1")


def check_text_size(text: str, limit: int | None = None) -> None:
    """Refuse decoded text longer than ``limit`` characters (an answer over the byte limit:
    see :func:`decode_text`)."""
    cap = MAX_ANSWER_BYTES if limit is None else limit
    if len(text) > cap:
        raise AnswerLimitError(f"answer is over the {cap:,}-byte limit")
