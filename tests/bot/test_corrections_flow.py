"""An invoice typed wrong is corrected, one recorded by mistake deleted: each change shown,
made only once confirmed; another owner's button reaches nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Chat

NEW_INVOICE = ("facture F-117 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
               '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
               '/add_invoice{"step":"none"}')


def _button(chat: Chat, who: str, line: str, intent: str) -> tuple[str, str]:
    replies = chat.say(who, line)
    payload = next(b.payload for r in replies for b in r.buttons
                   if b.payload.startswith(f"/{intent}{{"))
    return "\n".join(r.text for r in replies), payload


def test_an_amount_and_a_due_date_typed_wrong_are_corrected(chat: Chat) -> None:
    chat.talk("cora", *NEW_INVOICE)
    shown, yes = _button(chat, "cora", "la facture F-117 c'est 1 350 € pas 1 250", "fix_invoice")
    assert "montant : 1\u202f250,00\xa0€ → 1\u202f350,00\xa0€\nC'est bien ça ?" in shown
    assert "1\u202f350,00" not in chat.talk("cora", "mes retards")[0]  # not before « oui »
    card = chat.talk("cora", yes)[0]
    assert "C'est corrigé" in card and "Montant : 1\u202f350,00\xa0€" in card
    shown, yes = _button(chat, "cora", "corrige F-117 échéance le 30/10", "fix_invoice")
    assert "échéance : 15/10/2026 → 30/10/2026" in shown
    assert "En retard de <b>24 jours</b>" in chat.talk("cora", yes)[0]  # 30/10 → 23/11
    chat.talk("cora", "Dupont SARL a payé 300 €")
    refused = chat.talk("cora", "corrige F-117 : 200 €")[0]
    assert "inférieur à ce qui a déjà été payé (300,00\xa0€)" in refused
    assert "Rien n'a été changé" in refused
    assert "Que faut-il corriger sur la facture F-117" in chat.talk("cora", "corriger une facture")[0]
    no = next(b.payload for r in chat.say("cora", "corrige F-117 : 2 000 €") for b in r.buttons
              if '"confirm": "no"' in b.payload)
    assert "rien n'est changé" in chat.talk("cora", no)[0]
    assert "2\u202f000,00" not in chat.talk("cora", "mes retards")[0]


def test_an_invoice_recorded_by_mistake_is_deleted_after_confirmation(chat: Chat) -> None:
    chat.talk("dina", *NEW_INVOICE)
    chat.talk("dina", "facture F-118 Dupont SARL 400 € échue le 31/10", "01/10/2026",
              '/add_invoice{"step":"none"}')
    shown, yes = _button(chat, "dina", "supprime la facture F-118", "delete_invoice")
    assert "Supprimer la facture F-118 de Dupont SARL (400,00\xa0€)" in shown
    # Another owner presses dina's buttons: nothing of hers is shown nor changed.
    chat.talk("mallory9", *NEW_INVOICE)
    for forged in (yes, yes.replace("delete_invoice", "fix_invoice")[:-1] + ',"amount":"1.00"}'):
        out = "".join(chat.talk("mallory9", forged))
        assert "F-118" not in out and "400,00" not in out
    assert "F-118" in chat.talk("dina", "mes retards")[0]  # still there
    keep = next(b.payload for r in chat.say("dina", "supprime la facture F-118") for b in r.buttons
                if '"confirm": "no"' in b.payload)
    assert "rien n'est changé" in chat.talk("dina", keep)[0]
    assert "est supprimée" in chat.talk("dina", yes)[0]
    overdue = chat.talk("dina", "mes retards")[0]
    assert "F-118" not in overdue and "F-117" in overdue
    assert "F-117" in chat.talk("mallory9", "mes retards")[0]  # mallory's own, untouched
