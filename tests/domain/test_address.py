"""domain/address.py: a postal address as the formal notice prints it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.address import MAX_ADDRESS_LENGTH, postal_address
from domain.errors import InvalidInput


@pytest.mark.parametrize(("text", "postcode", "town", "expected"), [
    ("12 rue des Lilas, 69003 Lyon", "", "", "12 rue des Lilas\n69003 Lyon"),
    ("  12  rue des Lilas \r\n\r\n Bâtiment B ", "69003", " Lyon ",
     "12 rue des Lilas\nBâtiment B\n69003 Lyon"),
    ("ZA des Prés, lot 4\n38000 Grenoble", "", "", "ZA des Prés, lot 4\n38000 Grenoble"),
    ("", "", "", None),
    ("  \n ", "", "", None),
])
def test_lines_are_tidied_and_the_town_goes_last(text: str, postcode: str, town: str,
                                                 expected: str | None) -> None:
    assert postal_address(text, postcode, town) == expected


@pytest.mark.parametrize("text", ["la rue", "12345", "1 rue\x00 Haute, 75001 Paris",
                                  "9 rue " + "x" * MAX_ADDRESS_LENGTH, "1\n2\n3\n4\n5\n6\n7 a"])
def test_what_cannot_be_an_address_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        postal_address(text)


@given(st.text(max_size=400), st.text(max_size=20), st.text(max_size=40))
def test_any_text_gives_an_address_or_a_clear_refusal(text: str, postcode: str,
                                                      town: str) -> None:
    try:
        address = postal_address(text, postcode, town)
    except InvalidInput as exc:
        assert exc.field == "address"
        return
    if address is not None:
        assert len(address) <= MAX_ADDRESS_LENGTH and "\n\n" not in address
        assert all(line == line.strip() and line for line in address.split("\n"))
