"""What the formal notice and the claim rest on, in whole conversations: the client's
address, asked from the letter's own button (bad input, another owner's forged button), and
a payment recorded on the day the owner says."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Chat

NEW_INVOICE = ("facture F-117 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
               '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
               '/add_invoice{"step":"none"}')
NOTICE = '/ask_wording{"step":"formal_notice"}'


def _button(replies: list, intent: str) -> str | None:  # type: ignore[type-arg]
    """The payload of the replies' button that sends `intent`, if any."""
    return next((b.payload for r in replies for b in r.buttons
                 if b.payload.startswith(f"/{intent}{{")), None)


def _address_button(replies: list) -> str | None:  # type: ignore[type-arg]
    return _button(replies, "set_address")


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
    assert "[ville]" not in letter[0].text and "Le lundi 23 novembre 2026" in letter[0].text
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


def test_a_payment_is_recorded_on_the_day_the_owner_says(chat: Chat) -> None:
    chat.talk("ines", *NEW_INVOICE)
    out = chat.talk("ines", "Dupont SARL a payé 200 € hier")
    assert "reçu le 22/11/2026" in out[0]
    out = chat.talk("ines", "Dupont SARL a payé le 20/11", "100 €")  # the date, then asked
    assert "reçu le 20/11/2026" in out[-1]
    out = chat.talk("ines", "Dupont SARL a payé 50 € samedi")  # the last one, not the next
    assert "reçu le 21/11/2026" in out[0]
    out = chat.talk("ines", "Dupont SARL a payé 10 €")
    assert "Paiement enregistré" in out[0] and "reçu le" not in out[0]
    from domain.ledger import find_owner, list_invoices, list_payments, unit_of_work
    from domain.ledger.enums import Channel as LedgerChannel

    with unit_of_work(chat.assistant.engine, write=False) as session:
        owner = find_owner(session, LedgerChannel.CONSOLE, "ines")
        assert owner is not None and owner.id is not None
        [invoice] = list_invoices(session, owner.id)
        days = [p.paid_on.isoformat() for p in list_payments(session, owner.id, invoice.id or 0)]
    assert days == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]


def test_the_formal_notice_asks_for_the_owners_own_address(chat: Chat) -> None:
    chat.talk("yan", *NEW_INVOICE)
    letter = chat.say("yan", NOTICE)
    assert "Le lundi 23 novembre 2026" in letter[0].text  # no town to write from yet
    button = _button(letter, "set_my_address")
    assert button is not None
    invoice = button.split('"invoice":')[1].rstrip("}")
    out = chat.talk("yan", button, "chez moi")
    assert "votre adresse postale" in out[0]
    assert "adresse complète" in out[1] and "votre adresse postale" in out[1]  # asked again
    [saved] = chat.say("yan", "<i>4</i> place du Marché, 35000 Rennes")
    assert "&lt;i&gt;4&lt;/i&gt; place du Marché\n35000 Rennes" in saved.text  # data, escaped
    assert [b.payload for b in saved.buttons] == [
        f'/ask_wording{{"invoice":{invoice},"step":"formal_notice"}}']  # the same letter
    letter = chat.say("yan", saved.buttons[0].payload)
    assert "<pre>&lt;i&gt;4&lt;/i&gt; place du Marché\n35000 Rennes\n" in letter[0].text  # header
    assert "À Rennes, le lundi 23 novembre 2026" in letter[0].text
    assert _button(letter, "set_my_address") is None
    settings = chat.say("yan", "/settings")[0]
    assert "Adresse : &lt;i&gt;4&lt;/i&gt; place du Marché, 35000 Rennes" in settings.text
    chat.say("yan", "/set_my_address")  # from the settings: no letter to show again
    [saved] = chat.say("yan", "9 rue Neuve, 35700 Rennes")
    assert "9 rue Neuve\n35700 Rennes" in saved.text and not saved.buttons
    assert "9 rue Neuve" in chat.say("yan", NOTICE)[0].text


def test_one_formal_notice_for_all_the_client_owes(chat: Chat) -> None:
    chat.talk("olivia", *NEW_INVOICE)
    chat.talk("olivia", "facture F-118 Dupont SARL 400 € échue le 31/10", "01/10/2026",
              '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
              '/add_invoice{"step":"none"}')
    chat.talk("mallory7", "facture FM-301 Martin 300 € échue le 15/10", "15/09/2026",
              '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
              '/add_invoice{"step":"none"}')
    letter = chat.say("olivia", "la mise en demeure pour Dupont SARL")
    text = letter[0].text
    assert "factures F-117, F-118\n<pre>" in text  # the chat's title, then the letter
    assert "factures n° F-117, F-118" in text and "références F-117, F-118" in text
    assert "F-118 du 01/10/2026, échue le 31/10/2026 : reste dû 400,00" in text
    # 1 250 € + 16,56 € + 40 € and 400 € + 3,13 € (23 days at 12,40 %) + 40 €
    assert "somme totale de 1\u202f749,69" in text
    done = _button(letter, "nudge_done")
    assert done is not None and '"also": "' in done
    forged = done.replace('"also": "', '"also": "1,2,3,')  # other owners' ids: ignored
    assert "C'est noté pour les factures F-117, F-118." in chat.talk("olivia", forged)[0]
    from sqlmodel import select

    from domain.ledger import find_owner, unit_of_work
    from domain.ledger.enums import Channel, InvoiceStatus
    from domain.ledger.models import Invoice

    letter = chat.say("olivia", "la mise en demeure pour Dupont SARL")  # again, then F-118 paid
    again = _button(letter, "nudge_done")
    assert again is not None
    chat.talk("olivia", '/invoice_paid{"invoice":' + again.split('"also": "')[1].split('"')[0]
              + "}")
    assert "pour la facture F-117." in chat.talk("olivia", again)[0]  # F-118 left paid
    now = chat.talk("olivia", "quoi faire ?")[0]  # the notice's deadline runs: what comes next
    assert "Rien d'urgent" in now and "Prochaine étape le " in now and "(F-117)" in now

    with unit_of_work(chat.assistant.engine) as session:
        ids = {who: find_owner(session, Channel.CONSOLE, who) for who in ("olivia", "mallory7")}
        states = {(owner, i.number): i.status for owner, row in ids.items()
                  if row is not None
                  for i in session.exec(select(Invoice).where(Invoice.owner_id == row.id))}
    assert states[("olivia", "F-117")] == InvoiceStatus.FORMAL_NOTICE_SENT
    assert states[("olivia", "F-118")] == InvoiceStatus.PAID
    assert states[("mallory7", "FM-301")] == InvoiceStatus.OPEN  # another owner's: untouched


def test_a_button_title_typed_after_a_reply_is_that_button(chat: Chat) -> None:
    chat.talk("basile", *NEW_INVOICE)
    letter = chat.talk("basile", "la mise en demeure pour Dupont SARL")[0]
    assert "Mise en demeure" in letter or "mise en demeure" in letter
    done = chat.talk("basile", "c'est fait")[0]  # typed under [C'est fait]
    assert "C'est noté pour la facture F-117" in done
    again = chat.talk("basile", "c'est fait")[0]  # one turn only: not the button again
    assert "C'est noté pour la facture" not in again


def test_a_clients_formal_notice_nudges_make_one_letter(chat: Chat) -> None:
    """Two invoices of one client reach the formal notice together: one pushed item says
    the letter claims both and carries the other's nudge; its [C'est fait] records both."""
    from datetime import UTC, datetime

    from actions.context import current
    from bot.nudges.compose import Composer
    from bot.nudges.sender import OwnerChat
    from domain.ledger import find_owner, list_invoices, schedule_nudge, unit_of_work
    from domain.ledger.enums import Channel, InvoiceStatus, NudgeKind

    chat.talk("odile", *NEW_INVOICE)
    chat.talk("odile", "facture F-118 Dupont SARL 400 € échue le 31/10", "01/10/2026",
              '/add_invoice{"step":"none"}')
    chat.talk("odile", "facture FM-301 Martin 300 € échue le 15/10", "15/09/2026",
              '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
              '/add_invoice{"step":"none"}')
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    ctx = current()
    with unit_of_work(chat.assistant.engine) as session:
        owner = find_owner(session, Channel.CONSOLE, "odile")
        assert owner is not None and owner.id is not None
        invoices = {i.number: i.id for i in list_invoices(session, owner.id)}
        assert set(invoices) == {"F-117", "F-118", "FM-301"}
        nudges = [schedule_nudge(session, owner.id, NudgeKind.LADDER_STEP, now,
                                 invoice_id=invoices[number], dedupe_key=f"test:{number}",
                                 payload={"step": "formal_notice"})
                  for number in ("F-117", "F-118", "FM-301")]
        who = OwnerChat(owner.id, "console", "odile", None)
        together = Composer(ctx, 5).messages(session, who, nudges, now)
        alone = Composer(ctx, 5).messages(session, who, nudges[:1], now)
        english = Composer(ctx, 5).messages(
            session, OwnerChat(owner.id, "console", "odile", None, "en"), nudges[:1], now)
    assert "it also claims invoice <b>F-118</b>" in english[0].reply.text
    [message] = together
    assert {n.id for n in message.nudges} == {n.id for n in nudges}  # all three marked sent
    text = message.reply.text
    assert text.count("mise en demeure") == 2  # F-117 (claiming F-118 too) and FM-301
    assert "elle réclame aussi la facture <b>F-118</b>" in text
    assert "<b>FM-301</b> Martin" in text and text.count("réclame aussi") == 1
    [single] = alone
    assert "elle réclame aussi la facture <b>F-118</b>" in single.reply.text
    done = next(b.payload for b in single.reply.buttons if b.payload.startswith("/nudge_done"))
    assert done == f'/nudge_done{{"nudge":{nudges[0].id},"also":"*"}}'
    assert "C'est noté pour les factures F-117, F-118." in chat.talk("odile", done)[0]
    with unit_of_work(chat.assistant.engine, write=False) as session:
        states = {i.number: i.status for i in list_invoices(session, owner.id)}
    assert states == {"F-117": InvoiceStatus.FORMAL_NOTICE_SENT,
                      "F-118": InvoiceStatus.FORMAL_NOTICE_SENT, "FM-301": InvoiceStatus.OPEN}
