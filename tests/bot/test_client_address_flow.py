"""The client's address for the formal notice, asked from the letter's own button: a whole
conversation, bad input, another owner's forged button."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Chat

NEW_INVOICE = ("facture F-117 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
               '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
               '/add_invoice{"step":"none"}')
NOTICE = '/ask_wording{"step":"formal_notice"}'


def _address_button(replies: list) -> str | None:  # type: ignore[type-arg]
    return next((b.payload for r in replies for b in r.buttons
                 if b.payload.startswith("/set_address")), None)


def test_the_formal_notice_asks_for_the_address_then_prints_it(chat: Chat) -> None:
    chat.talk("lea", *NEW_INVOICE)
    letter = chat.say("lea", NOTICE)
    assert "[adresse du destinataire]" in letter[0].text
    button = _address_button(letter)
    assert button is not None
    out = chat.talk("lea", button, "la rue", "12 rue des Lilas, 69003 Lyon")
    assert "adresse postale" in out[0]
    assert "adresse complète" in out[1] and "adresse postale" in out[1]  # asked again
    assert "12 rue des Lilas\n69003 Lyon" in out[2]
    letter = chat.say("lea", NOTICE)
    assert "[adresse du destinataire]" not in letter[0].text
    assert "Dupont SARL\n" + " " * 40 + "12 rue des Lilas\n" + " " * 40 + "69003 Lyon" in (
        letter[0].text)
    assert _address_button(letter) is None
    pdf = [r.attachment for r in letter if r.attachment]
    assert pdf and pdf[0].content.startswith(b"%PDF")


def test_hostile_address_is_data_and_a_forged_button_reaches_nothing(chat: Chat) -> None:
    chat.talk("noe", *NEW_INVOICE)
    button = _address_button(chat.say("noe", NOTICE))
    assert button is not None
    out = chat.talk("noe", button, "<b>{{7*7}}</b> 3 rue Basse, 75011 Paris")
    assert "&lt;b&gt;{{7*7}}&lt;/b&gt; 3 rue Basse\n75011 Paris" in out[-1]
    # Another owner presses noe's button (the same invoice id): nothing of noe's is shown
    # nor changed.
    out = chat.talk("eve", button, "1 rue du Vol, 75001 Paris")
    assert "Dupont SARL" not in "".join(out) and "rue Basse" not in "".join(out)
    letter = chat.say("noe", NOTICE)[0].text
    assert "rue Basse" in letter and "rue du Vol" not in letter and "49" not in letter
