"""`fold`: one output character per input character, the same folding whatever the rest of
the text is (it is a translate table filled on first sight of each character)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu.text import _FoldTable, fold


def test_folds_accents_spaces_apostrophes_dashes_and_controls() -> None:
    assert fold("Échue LE 15/10") == "echue le 15/10"
    assert fold("m\u2019a promis\u00a01\u202f250\u00a0€") == "m'a promis 1 250 €"
    assert fold("l`acompte \u2013 ok\tvu\x7f") == "l'acompte - ok vu "


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_same_length_and_per_character(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(char) for char in text)


def test_table_stops_growing_at_its_limit() -> None:
    table = _FoldTable()
    table.LIMIT = 3  # type: ignore[misc]
    assert "ÀÉÎÕÜ".translate(table) == "aeiou"
    assert len(table) == 3
    assert "ÀÉÎÕÜ".translate(table) == "aeiou"  # past the limit: folded, not remembered
