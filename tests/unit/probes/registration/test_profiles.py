"""TLD profiles (data/tld-profiles.yaml) and the layout-independent WHOIS field reader."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vendorrisk.errors import ConfigError
from vendorrisk.probes.registration import whois_fields
from vendorrisk.probes.registration.profiles import label_key, parse_profiles, profile_for


def test_label_key_ignores_case_spaces_and_dots() -> None:
    assert label_key("Domain Status   ") == label_key("domain-status") == "domainstatus"
    assert label_key("Holder / name....") == "holdername"


def test_shipped_profiles_load_and_carry_query_flags() -> None:
    de = profile_for("example.de")
    assert de.query_for("example.de", "whois.denic.de") == "-T dn,ace example.de"
    assert de.query_for("example.de", "127.0.0.1") is None  # a mirror gets the bare name
    assert profile_for("example.co.jp").query_for("example.co.jp", "whois.jprs.jp") == \
        "example.co.jp/e"
    assert {"expires", "epp_status", "registrar"} <= de.unpublished
    assert profile_for("example.com").query is None


def test_bad_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse_profiles({"defaults": {"date_order": "ymd"}}, "t")
    with pytest.raises(ConfigError):
        parse_profiles({"defaults": {"throttled": ["("]}}, "t")


@pytest.mark.parametrize(("value", "order", "expected"), [
    ("10.03.2008 12:31:19", "dmy", (2008, 3, 10)),
    ("04/06/2003", "dmy", (2003, 6, 4)),
    ("03/02/2012", "mdy", (2012, 3, 2)),
    ("03/28/2013", "dmy", (2013, 3, 28)),
    ("2001/03/26", "dmy", (2001, 3, 26)),
    ("26-Mar-2014 06:48:27 UTC", "dmy", (2014, 3, 26)),
    ("Mon Apr 26 00:00:00 GMT 2010", "dmy", (2010, 4, 26)),
    ("2nd April, 2001", "dmy", (2001, 4, 2)),
    ("19990518 #162310", "dmy", (1999, 5, 18)),
    ("2012-08-03T15:37:33.0Z", "dmy", (2012, 8, 3)),
])
def test_dates_in_registry_layouts(value: str, order: str, expected: tuple[int, int, int]
                                   ) -> None:
    parsed = whois_fields.parse_date(value, order)
    assert parsed is not None and parsed.astimezone(UTC).date() == datetime(
        *expected, tzinfo=UTC).date()


def test_contact_paragraph_dates_and_statuses_stay_out() -> None:
    text = ("domain: a.ua\nstatus: ok\ncreated: 2002-12-04 00:00:00+02\n\n"
            "nic-handle: X-UANIC\nstatus: linked\ncreated: 2017-07-28 23:53:31+03\n")
    recs = whois_fields.records(text)
    profile = profile_for("a.ua")
    assert whois_fields.statuses(recs, profile.labels["status"]) == ["ok"]
    created = whois_fields.first_date(recs, profile.labels["created"], profile)
    assert created is not None and created.year == 2002


def test_block_registrar_and_first_of_several() -> None:
    profile = profile_for("a.be")
    recs = whois_fields.records("Domain: a.be\n\nRegistrar:\n\tName:\tMarkMonitor Inc.\n")
    assert whois_fields.field_values(recs, profile.labels["registrar"])[0] == "MarkMonitor Inc."
    recs = whois_fields.records("domain: a.tz\nregistrar: REG-TZNIC\n\n"
                                "nic-hdl: C1\nregistrar: REG-PT\n")
    assert whois_fields.field_values(recs, profile.labels["registrar"]) == ["REG-TZNIC"]


def test_throttle_on_short_lines_only() -> None:
    profile = profile_for("a.bike")
    terms = "Terms of Use: " + "x " * 80 + "too many queries may be blocked."
    assert whois_fields.classify("Domain not found.\n" + terms, profile) == "not_found"
    assert whois_fields.classify("%% Too many requests...\n%% No entries found.", profile) \
        == "rate_limited"
