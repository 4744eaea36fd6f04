"""mask_secrets: every way a credential can sit in a URL, a setting or a message."""

from __future__ import annotations

import logging

import pytest

from vendorrisk.masking import MaskingFormatter, mask_secrets, mask_settings, masked_repr


@pytest.mark.parametrize(("text", "shown"), [
    ("postgresql://user:s3cret@host/db", "postgresql://user:***@host/db"),
    ("postgresql+psycopg://user:s3cret@[::1]:5432/db", "postgresql+psycopg://user:***@[::1]:5432/db"),
    ("postgresql://u:s3cret@127.0.0.1:notaport/db", "postgresql://u:***@127.0.0.1:notaport/db"),
    ("postgresql://u:s3cret@[::1/db", "postgresql://u:***@[::1/db"),
    ("postgresql://u:pa/s@s3cret@host/db", "postgresql://u:***@host/db"),
    ("://u:s3cret@host/db", "://u:***@host/db"),
    ("user:s3cret@host/db", "user:***@host/db"),
    ("user:p@s3cret@host", "user:***@host"),
    ("postgresql://u@h/db?password=s3cret&sslmode=require",
     "postgresql://u@h/db?password=***&sslmode=require"),
    ("postgresql://u@h/db?sslpassword=s3cret", "postgresql://u@h/db?sslpassword=***"),
    ("host=h password=s3cret dbname=x", "host=h password=*** dbname=x"),
    ("https://s3cret@rdap.example/dns.json", "https://***@rdap.example/dns.json"),
    ("https://u:s3cret@rdap.example/dns.json?token=s3cret&x=1",
     "https://u:***@rdap.example/dns.json?token=***&x=1"),
    ("https://h/x?api_key=s3cret&access_token=s3cret&X-Amz-Signature=s3cret",
     "https://h/x?api_key=***&access_token=***&X-Amz-Signature=***"),
    ("db must be text, got ['postgresql://user:s3cret@host/db']",
     "db must be text, got ['postgresql://user:***@host/db']"),
])
def test_secrets_are_masked(text: str, shown: str) -> None:
    assert mask_secrets(text) == shown
    assert mask_secrets(shown) == shown  # masking twice changes nothing


@pytest.mark.parametrize("text", [
    "sqlite:////home/me/vendorrisk.db", "postgresql://alice@db.internal/vr",
    "https://rdap.example/domain/example.com", "https://example.com/a@b",
    "https://host:8080/path?x=a@b", "probe.signature_expiry_days=7", "at 12:30 today",
    "ns1.example.com:53", "keymap=default",
])
def test_text_without_secrets_is_kept(text: str) -> None:
    assert mask_secrets(text) == text


def test_masked_repr_masks_inside_values() -> None:
    assert masked_repr(["postgresql://user:s3cret@host/db"]) == "['postgresql://user:***@host/db']"


def test_mask_settings_masks_texts_and_secret_named_keys() -> None:
    settings = {"rdap_bootstrap": "https://u:s3cret@x/dns.json", "signature_expiry_days": 7,
                "nested": {"token": "s3cret", "api_key": None}, "hosts": ["a:s3cret@b"]}
    assert mask_settings(settings) == {
        "rdap_bootstrap": "https://u:***@x/dns.json", "signature_expiry_days": 7,
        "nested": {"token": "***", "api_key": None}, "hosts": ["a:***@b"]}


def test_log_lines_are_masked_tracebacks_included() -> None:
    formatter = MaskingFormatter("%(message)s")
    try:
        raise ValueError("cannot reach https://u:s3cret@h/x")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET %s", ("/x?token=s3cret",),
                                   sys.exc_info())
    line = formatter.format(record)
    assert "s3cret" not in line and "token=***" in line and "u:***@h" in line
