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


@pytest.mark.parametrize("raw", ["192.0.2.1", "192.0.2.1.", " 10.1.2.3 ", "2001:db8::1",
                                 "[::1]", "[2001:db8::1]", "::ffff:192.0.2.1", "fe80::1%eth0"])
def test_ip_literals_are_rejected(raw: str) -> None:
    with pytest.raises(InputError) as err:
        normalise_domain(raw)
    literal = raw.strip().rstrip(".")
    assert err.value.message == f"{literal} is an IP address, not a domain name"


@pytest.mark.parametrize("raw", ["10.0.0.256", "1.2.3", "shop.123"])
def test_numeric_top_level_label_is_rejected(raw: str) -> None:
    with pytest.raises(InputError, match="is all digits"):
        normalise_domain(raw)


@pytest.mark.parametrize("raw", ["1.2.3.4.in-addr.arpa", "123.example", "1password.com"])
def test_digits_elsewhere_are_fine(raw: str) -> None:
    assert normalise_domain(raw) == raw
