"""Cutting Telegram HTML into messages: never inside a tag, tags balanced, nothing lost."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.buttons import ButtonCodec
from bot.telegram.split import split_html, visible_length
from tests.fakebotapi.validation import plain_text


def test_short_text_is_one_piece() -> None:
    assert split_html("<b>Bonjour</b> &amp; merci") == ["<b>Bonjour</b> &amp; merci"]


def test_cuts_on_paragraphs_and_reopens_tags() -> None:
    text = "<i>" + "\n\n".join("mot " * 30 for _ in range(10)) + "</i>"
    pieces = split_html(text, limit=400)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.startswith("<i>") and piece.endswith("</i>")
        assert visible_length(piece) <= 400
        plain_text(piece, "HTML")  # Telegram would accept it


def test_entities_count_as_one_character() -> None:
    assert visible_length("&amp;" * 10 + "<b></b>") == 10
    assert split_html("&amp;" * 10, limit=4) == ["&amp;" * 4, "&amp;" * 4, "&amp;" * 2]


words = st.sampled_from(["facture", "Dupont", "é", "&amp;", "&lt;", "💶", "\n", "\n\n", " ", "a"])
wrappers = st.sampled_from([("<b>", "</b>"), ("<i>", "</i>"), ('<a href="https://x.fr/?a=1&amp;b">',
                                                                 "</a>"), ("", "")])


@st.composite
def telegram_html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 40))):
        opening, closing = draw(wrappers)
        parts.append(opening + "".join(draw(st.lists(words, min_size=1, max_size=12))) + closing)
    return "".join(parts)


@given(telegram_html(), st.integers(min_value=8, max_value=120))
def test_pieces_are_valid_short_and_keep_the_text(text: str, limit: int) -> None:
    pieces = split_html(text, limit)
    for piece in pieces:
        assert 0 < visible_length(piece) <= limit
        assert not re.search(r"<[^>]*$|&[#\w]*$", piece)  # no cut tag or entity at the end
        plain_text(piece, "HTML")
    joined = "".join(plain_text(p, "HTML") for p in pieces)
    assert _squash(joined) == _squash(plain_text(text, "HTML"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text))


@given(st.text(min_size=1, max_size=200), st.integers(0, 50))
def test_button_payloads_round_trip_within_64_bytes(payload: str, chat_id: int) -> None:
    codec = ButtonCodec()
    data = codec.encode(chat_id, payload)
    assert 1 <= len(data.encode()) <= 64
    assert codec.decode(chat_id, data) == payload


def test_button_tokens_are_bounded_per_chat() -> None:
    codec = ButtonCodec(per_chat=3)
    data = [codec.encode(1, "/x" + "y" * 70 + str(i)) for i in range(5)]
    assert [codec.decode(1, d) is not None for d in data] == [False, False, True, True, True]


@given(st.one_of(telegram_html(), st.text(alphabet="<>/b &amp;\n x", max_size=60)))
def test_a_short_message_skips_the_walk_and_says_the_same(text: str) -> None:
    from bot.telegram.split import _split

    assert split_html(text) == _split(text, 4096)
