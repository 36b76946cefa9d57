"""A payment, promise, call, dispute or plan said about an invoice by its number goes to that
invoice, not to the client's invoice due first; a number that is not one of the client's
unpaid invoices records nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Chat

NEW_INVOICES = ("facture F-117 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
                '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
                '/add_invoice{"step":"none"}',
                "facture F-119 Dupont SARL 900 € échue le 30/10", "30/09/2026",
                '/add_invoice{"step":"none"}')


def test_a_payment_goes_to_the_invoice_named(chat: Chat) -> None:
    chat.talk("ines", *NEW_INVOICES)
    out = chat.talk("ines", "Dupont SARL a payé 900 € pour la facture F-119")[0]
    assert "900,00\xa0€ de Dupont SARL sur la facture F-119. Facture soldée" in out
    assert "Dupont SARL doit encore : F-117 (1\u202f250,00\xa0€)." in out
    out = chat.talk("ines", "Dupont SARL a payé 250 €")[0]  # none named: the one due first
    assert "250,00\xa0€ de Dupont SARL sur la facture F-117" in out


def test_the_number_alone_names_the_client(chat: Chat) -> None:
    chat.talk("ivan", *NEW_INVOICES)
    out = chat.talk("ivan", "la f-119 a été réglée en totalité")[0]  # no client, lower case
    assert "Pour quel client" not in out
    assert "900,00\xa0€ de Dupont SARL sur la facture F-119. Facture soldée" in out
    out = chat.talk("ivan", "F-117 : ils promettent 1 250 € lundi")[0]
    assert "Dupont SARL a promis 1\u202f250,00\xa0€ pour le lundi 30 novembre 2026" in out
    assert "F-117" in out


def test_a_promise_and_a_dispute_about_the_invoice_named(chat: Chat) -> None:
    chat.talk("iris", *NEW_INVOICES)
    out = chat.talk("iris", "Dupont SARL m'a promis 900 € vendredi pour la F-119")[0]
    assert "900,00\xa0€ pour le vendredi 27 novembre 2026" in out and "F-119" in out
    out = chat.talk("iris", "Dupont SARL conteste la facture F-119, il dit que le travail "
                            "n'est pas fini")[0]
    assert "F-119" in out and "F-117" not in out


def test_a_number_that_is_not_an_unpaid_invoice_of_the_client_records_nothing(
        chat: Chat) -> None:
    chat.talk("igor", *NEW_INVOICES)
    chat.talk("igor", "facture MT-307 Garage Martin 300 € échue le 01/11", "01/10/2026",
              '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
              '/add_invoice{"step":"none"}')
    out = chat.talk("igor", "Dupont SARL a payé 300 € pour la facture MT-307")[0]
    assert ("La facture MT-307 n'est pas une facture impayée de « Dupont SARL » : je n'ai rien "
            "enregistré. Ses factures impayées : F-117, F-119.") in out
    out = chat.talk("igor", "Dupont SARL a payé 100 € facture F-404")[0]
    assert "La facture F-404 n'est pas une facture impayée" in out
    chat.talk("igor", "Dupont SARL a payé 900 € facture F-119")
    out = chat.talk("igor", "Dupont SARL a payé 10 € facture F-119")[0]  # settled already
    assert "La facture F-119 n'est pas une facture impayée" in out
    assert "Ses factures impayées : F-117." in out
    overdue = chat.talk("igor", "mes retards")[0]
    assert "1\u202f250,00" in overdue and "300,00" in overdue  # nothing paid on F-117, MT-307


def test_another_owners_invoice_number_names_nothing(chat: Chat) -> None:
    chat.talk("jade", "facture Z-501 Boulangerie Jade 700 € échue le 01/10", "01/09/2026",
              '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
              '/add_invoice{"step":"none"}')
    chat.talk("joel", *NEW_INVOICES)
    out = chat.talk("joel", "la Z-501 est payée")[0]
    assert "Boulangerie Jade" not in out and "Pour quel client" in out


def test_english_the_invoice_named(chat: Chat) -> None:
    chat.talk("ivy", *NEW_INVOICES[:1], "15/09/2026", '/add_invoice{"debtor_kind":"professional"}',
              '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}',
              "new unpaid invoice F-119 for Dupont SARL 900 € overdue since 30/10", "30/09/2026",
              '/add_invoice{"step":"none"}', lang="en")
    out = chat.talk("ivy", "Dupont SARL paid 900 EUR for invoice F-119", lang="en")[0]
    assert "€900.00 from Dupont SARL" in out and "F-119" in out
    out = chat.talk("ivy", "Dupont SARL paid 50 EUR for invoice F-404", lang="en")[0]
    assert 'Invoice F-404 is not an unpaid invoice of "Dupont SARL": nothing was recorded.' in out


def test_paid_everything_asks_which_then_settles_all(chat: Chat) -> None:
    chat.talk("isa", *NEW_INVOICES)
    [asked] = chat.say("isa", "Dupont SARL a tout payé hier")
    assert "1. F-117 — reste 1\u202f250,00\xa0€" in asked.text
    assert "2. F-119 — reste 900,00\xa0€" in asked.text
    assert "Je n'ai encore rien enregistré" in asked.text
    out = chat.talk("isa", asked.buttons[-1].payload)[0]  # « Toutes les factures »
    assert ("Paiements enregistrés pour Dupont SARL : F-117 (1\u202f250,00\xa0€), "
            "F-119 (900,00\xa0€). Toutes ses factures sont soldées") in out
    assert "F-11" not in chat.talk("isa", "mes retards")[0]
    out = chat.talk("isa", asked.buttons[-1].payload)[0]  # pressed again: nothing left
    assert "pas de facture ouverte" in out
    # one invoice only: no question
    chat.talk("isa", "facture F-120 Dupont SARL 400 € échue le 01/11", "01/10/2026",
              '/add_invoice{"step":"none"}')
    out = chat.talk("isa", "Dupont SARL a tout payé")[0]
    assert "400,00\xa0€ de Dupont SARL sur la facture F-120. Facture soldée" in out


def test_paid_everything_in_english(chat: Chat) -> None:
    chat.talk("isaac", *NEW_INVOICES, lang="en")
    [asked] = chat.say("isaac", "Dupont SARL paid everything", lang="en")
    assert "Dupont SARL has 2 unpaid invoices, €2,150.00 in all" in asked.text
    assert [b.title for b in asked.buttons] == ["Invoice #1", "Invoice #2", "All of them"]
    out = chat.talk("isaac", asked.buttons[1].payload, lang="en")[0]
    assert "€900.00 from Dupont SARL on invoice F-119" in out


def test_an_invoice_called_by_the_end_of_its_number(chat: Chat) -> None:
    """« la 052 » is EM-2026-052 when one unpaid invoice's number ends so: it names the
    client and the invoice (a payment went to the invoice due first, measured in a real
    conversation); « n° 119 » alike."""
    chat.talk("jules", "facture EM-2026-041 SCI Les Oliviers 3 200 € échue le 05/10",
              "05/09/2026", '/add_invoice{"debtor_kind":"professional"}',
              '/add_invoice{"merchant":"no"}', '/add_invoice{"step":"none"}',
              "facture EM-2026-052 SCI Les Oliviers 1 150 € échue le 31/10", "01/10/2026",
              '/add_invoice{"step":"none"}')
    asked, out = chat.talk("jules", "la 052 a été payée hier", "1 150")
    assert "Pour quel client" not in asked and "Quel montant" in asked
    assert "1\u202f150,00\xa0€ de SCI Les Oliviers sur la facture EM-2026-052" in out
    out = chat.talk("jules", "les oliviers ont payé 200 € sur la 41")[0]
    assert "200,00\xa0€ de SCI Les Oliviers sur la facture EM-2026-041" in out
    out = chat.talk("jules", "les oliviers ont payé 100 € sur la 77")[0]
    assert "La facture 77 n'est pas une facture impayée de « SCI Les Oliviers »" in out
    out = chat.talk("jules", "les oliviers ont payé 100 € en 2026")[0]  # a year, not a number
    assert "100,00\xa0€ de SCI Les Oliviers sur la facture EM-2026-041" in out
    card = chat.talk("jules", "où en est la 041 ?")[0]
    assert "EM-2026-041" in card and "SCI Les Oliviers" in card


def test_a_settled_invoice_says_what_is_still_claimable_and_is_not_chased(chat: Chat) -> None:
    chat.talk("kim", *NEW_INVOICES[:5])
    out = chat.talk("kim", "Dupont SARL a payé 1 250 €")[0]
    # 1 250 € × 39 days × 12,40 % / 365 = 16,56 € of penalties, + 40 €: not lost by paying
    # the invoice's amount, and said as the owner's choice.
    assert ("Facture soldée 🎉 Reste réclamable si vous le souhaitez : 56,56\xa0€, les pénalités "
            "de retard et l'indemnité forfaitaire (C. com. L441-10)") in out
    [card] = chat.say("kim", "où en est la F-117 ?")
    assert "Facture soldée" in card.text and "56,56" in card.text
    assert "Prochaine étape" not in card.text and "En retard" not in card.text
    assert not card.buttons  # nothing to send by default
    english = chat.talk("kim-en", *NEW_INVOICES[:5], "Dupont SARL paid 1,250 EUR", lang="en")[-1]
    assert "Invoice settled 🎉 Still claimable if you wish: €56.56" in english
