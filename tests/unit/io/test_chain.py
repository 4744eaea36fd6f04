"""The subcontracting chain's one-line text form: what exports write, imports and people read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vendorrisk.io.chain import format_chain, parse_chain

NAME = st.text(st.characters(blacklist_characters=";()", blacklist_categories=("Cc", "Cs")),
               min_size=1, max_size=30).map(str.strip).filter(lambda s: s and not s[0].isdigit())
SERVICE = st.none() | NAME


def test_parse_reads_ranks_services_and_blanks() -> None:
    assert parse_chain("1. Akamai (anycast); 2. Equinix") == [("Akamai", "anycast"),
                                                               ("Equinix", None)]
    assert parse_chain("Equinix;  ; Amazon Web Services, Inc. (hosting)") == [
        ("Equinix", None), ("Amazon Web Services, Inc.", "hosting")]
    assert parse_chain("") == [] and parse_chain(None) == [] and parse_chain("  ") == []


@given(st.lists(st.tuples(NAME, SERVICE), max_size=6))
def test_format_then_parse_is_the_same_chain(chain: list[tuple[str, str | None]]) -> None:
    links = [{"rank": i, "name": n, "service": s} for i, (n, s) in enumerate(chain, start=1)]
    assert parse_chain(format_chain(links)) == chain
