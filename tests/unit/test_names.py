from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendorrisk.errors import InputError
from vendorrisk.names import normalise_domain, to_unicode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bücher.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.example.", "xn--bcher-kva.example"),
        ("Example.COM", "example.com"),
        ("  shop.example.test  ", "shop.example.test"),
        ("faß.de", "xn--fa-hia.de"),
    ],
)
def test_normalises_to_a_label(raw: str, expected: str) -> None:
    assert normalise_domain(raw) == expected


def test_u_label_and_a_label_are_one_domain() -> None:
    assert normalise_domain("bücher.example") == normalise_domain("xn--bcher-kva.example")
    assert to_unicode("xn--bcher-kva.example") == "bücher.example"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("a..example", "empty label"),
        ("-shop.example", "hyphen"),
        ("shop-.example", "hyphen"),
        ("my shop.example", "whitespace"),
        ("my_shop.example", "underscore"),
        ("x" * 64 + ".example", "63 octets"),
        (".".join(["a" * 60] * 5), "253 octets"),
        ("localhost", "two labels"),
        ("xn--zz.example", "A-label"),
        ("shop!.example", "letters, digits and hyphens"),
    ],
)
def test_rejects_malformed_names(raw: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        normalise_domain(raw)


@given(st.text(max_size=300))
def test_any_text_is_normalised_or_rejected_cleanly(raw: str) -> None:
    try:
        name = normalise_domain(raw)
    except InputError as exc:
        assert "\n" not in exc.message
        return
    assert len(name) <= 253
    assert name == normalise_domain(name)
    assert all(0 < len(label) <= 63 for label in name.split("."))
