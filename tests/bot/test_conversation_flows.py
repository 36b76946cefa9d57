"""More whole conversations: onboarding, calls, disputes, plans, wording, buttons, account."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Chat

NEW_INVOICE = ("facture F-117 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
               '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
               '/add_invoice{"step":"none"}')


def test_onboarding_is_asked_once_and_signs_the_texts(chat: Chat) -> None:
    out = chat.talk("olga", "bonjour", "Plomberie Olga", "/skip", "olga@plomberie.fr", "non")
    assert "nom de votre entreprise" in out[0]
    assert "commerçant" in out[3]
    assert "Plomberie Olga" in out[4]
    chat.talk("olga", *NEW_INVOICE)
    letter = chat.talk("olga", "mail de relance pour Dupont SARL")[0]
    assert "Objet" in letter and "F-117" in letter and "Plomberie Olga" in letter
    assert "Plomberie Olga" in chat.talk("olga", "salut")[0]  # no second onboarding


def test_onboarding_keeps_a_phone_and_an_email_given_together(chat: Chat) -> None:
    chat.talk("paul", "bonjour", "Plomberie Paul", "Paul Martin",
              "06 12 34 56 78, paul@plomberie-paul.fr", "non")
    chat.talk("paul", *NEW_INVOICE)
    letter = chat.talk("paul", "la mise en demeure pour Dupont SARL")[0]
    assert "Tél. : 06 12 34 56 78" in letter and "E-mail : paul@plomberie-paul.fr" in letter
    assert "Pour toute question : 06 12 34 56 78 / paul@plomberie-paul.fr." in letter


def test_correction_during_the_form(chat: Chat) -> None:
    out = chat.talk("paul", "nouvelle facture impayée", "Martin", "1 250 €", "non, 1 500 €",
                    "F-9", "01/10/2026", "30 jours", '/add_invoice{"debtor_kind":"consumer"}',
                    '/add_invoice{"step":"none"}')
    assert "numéro" in out[3]  # the correction is not taken as the invoice number
    assert "1\u202f500,00" in out[-1] and "F-9" in out[-1]


def test_call_with_a_promise_then_the_promise_check(chat: Chat) -> None:
    chat.talk("rita", *NEW_INVOICE)
    out = chat.talk("rita", "j'ai appelé Dupont SARL", '/log_call{"call_outcome":"promise"}',
                    "500 €", "vendredi")
    assert "Comment s'est passé" in out[0]
    assert "vendredi 27 novembre 2026" in out[-1]
    buttons = [b.payload for r in chat.say("rita", "où en est Dupont SARL ?") for b in r.buttons]
    assert any("ask_wording" in p for p in buttons)
    broken = chat.talk("rita", '/promise_check{"promise":1,"result":"no"}')[0]
    assert "non tenue" in broken and "Prochaine étape" in broken


def test_what_the_call_gave_said_with_the_call_is_not_asked(chat: Chat) -> None:
    chat.talk("rose", *NEW_INVOICE)
    out = chat.talk("rose", "j'ai appelé Dupont SARL, ils promettent 500 € vendredi")
    assert "Comment s'est passé" not in out[0]
    assert "Appel noté pour Dupont SARL : promesse de 500,00\xa0€ pour le vendredi 27 novembre" in (
        out[0])
    out = chat.talk("rose", "appelé Dupont SARL : messagerie")
    assert "Comment s'est passé" not in out[0] and "messagerie" in out[0]
    # Not a promise: a negation, or two outcomes named; asked as before.
    for line in ("j'ai appelé Dupont SARL, il n'a rien promis",
                 "j'ai appelé Dupont SARL, messagerie puis il a promis de rappeler"):
        out = chat.talk("rose", line, "annuler")
        assert "Comment s'est passé" in out[0], line


def test_english_one_liner_with_terms_and_the_formal_notice(chat: Chat) -> None:
    out = chat.talk("sam-en", "Acme Corp owes me 2,400 EUR for invoice BP-77 dated 1 September, "
                    "payable in 30 days", '/add_invoice{"debtor_kind":"professional"}',
                    '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}', lang="en")
    assert "due 1 Oct 2026" in out[-1] and "<b>53 days</b> late" in out[-1]  # not today + 30
    letter = chat.talk("sam-en", "the formal notice for Acme Corp", lang="en")[0]
    assert "FORMAL NOTICE" in letter.upper() and "BP-77" in letter


def test_paid_in_full_and_a_new_invoice_typed_at_another_question(chat: Chat) -> None:
    chat.talk("lucas", *NEW_INVOICE)
    chat.talk("lucas", "facture F-119 Dupont SARL 900 € échue le 15/10", "15/09/2026",
              '/add_invoice{"step":"none"}')
    [asked] = chat.say("lucas", "Dupont SARL a tout payé")  # not asked how much, but which
    assert "Dupont SARL a 2 factures impayées, 2\u202f150,00\xa0€ en tout" in asked.text
    assert "Je n'ai encore rien enregistré" in asked.text
    assert [b.title for b in asked.buttons] == ["Facture n° 1", "Facture n° 2",
                                                "Toutes les factures"]
    out = chat.talk("lucas", asked.buttons[0].payload)[0]  # F-117 only
    assert "1\u202f250,00\xa0€ de Dupont SARL sur la facture F-117. Facture soldée" in out
    assert "Dupont SARL doit encore : F-119 (900,00\xa0€)." in out
    asked = chat.talk("lucas", "Dupont SARL a payé")[0]
    assert "Quel montant" in asked
    out = chat.talk("lucas", "facture numéro 14 pour monsieur Lebrun 1 200 euros échue le "
                    "10 octobre", "12/09/2026", '/add_invoice{"debtor_kind":"consumer"}',
                    '/add_invoice{"step":"none"}')
    assert "Je laisse de côté le paiement en cours, sans rien enregistrer" in out[0]
    assert "Quelle est la date de la facture" in out[0]
    assert "Facture 14 — monsieur Lebrun" in out[-1] or "Facture 14 — Lebrun" in out[-1]
    left = chat.talk("lucas", "Dupont SARL a payé", "la totalité")[-1]  # said at the question
    assert "900,00\xa0€ de Dupont SARL sur la facture F-119. Facture soldée" in left


def test_a_payment_and_a_promise_of_the_rest_in_one_message(chat: Chat) -> None:
    chat.talk("hugo", *NEW_INVOICE)
    out = chat.talk("hugo", "Dupont SARL a payé 500 € et promet le reste vendredi")[0]
    # Two things recorded: the payment, then a promise of what is left (750 €), not a
    # promise of 500 € (the message had been taken whole as one promise).
    assert "Paiement enregistré : 500,00\xa0€ de Dupont SARL sur la facture F-117" in out
    assert "Dupont SARL a promis 750,00\xa0€ pour le vendredi 27 novembre 2026" in out
    out = chat.talk("hugo", "Dupont SARL m'a promis le reste lundi")[0]
    assert "Dupont SARL a promis 750,00\xa0€ pour le lundi 30 novembre 2026" in out
    out = chat.talk("hugo", "Dupont SARL m'a promis un virement mardi", "le solde")[-1]
    assert "750,00\xa0€ pour le mardi 24 novembre 2026" in out  # « le solde » as the answer
    english = chat.talk("hugo-en", *NEW_INVOICE[:1], "15/09/2026",
                        '/add_invoice{"debtor_kind":"professional"}',
                        '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}',
                        "Dupont SARL paid 250 EUR and promised the rest by Friday", lang="en")[-1]
    assert "€250.00 from Dupont SARL" in english and "€1,000.00" in english


def test_typed_settings_and_a_plan_count_said_with_the_plan(chat: Chat) -> None:
    chat.talk("ines2", *NEW_INVOICE)
    asked = chat.talk("ines2", "Dupont SARL a payé")[0]
    assert "Quel montant" in asked
    paused = chat.talk("ines2", "mets les rappels en pause")[0]  # leaves the payment
    assert "Je laisse de côté le paiement en cours" in paused and "en pause" in paused
    from domain.ledger import find_owner, unit_of_work
    from domain.ledger.enums import Channel

    def owner_paused() -> bool:
        with unit_of_work(chat.assistant.engine, write=False) as session:
            owner = find_owner(session, Channel.CONSOLE, "ines2")
            assert owner is not None
            return bool(owner.nudges_paused)

    assert owner_paused()
    chat.talk("ines2", "réactive les rappels")
    assert not owner_paused()
    plan = chat.talk("ines2", "Dupont SARL veut payer en 4 fois", "15/12/2026")
    assert "En combien" not in plan[0] and "312,50" in plan[-1]  # 1 250 € in 4


def test_il_is_the_client_just_spoken_of(chat: Chat) -> None:
    asked = chat.talk("noah", "il m'a promis 100 € vendredi")[0]  # nobody spoken of yet
    assert "Pour quel client" in asked
    chat.talk("noah", "annuler", *NEW_INVOICE)
    chat.talk("noah", "facture M-301 Martin 300 € échue le 15/10", "15/09/2026",
              '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
              '/add_invoice{"step":"none"}')
    chat.talk("noah", "Dupont SARL a payé 250 €")  # the conversation is about F-117 now
    out = chat.talk("noah", "il m'a promis le solde vendredi")[0]
    assert "Dupont SARL a promis 1\u202f000,00\xa0€ pour le vendredi 27 novembre" in out
    out = chat.talk("noah", "ils contestent, la porte est rayée")[0]
    assert "Contestation notée pour la facture F-117 de Dupont SARL" in out


def test_english_amounts_half_and_a_payment_told_at_a_promise_question(chat: Chat) -> None:
    out = chat.talk("liam", "new unpaid invoice", "Johnson & Co", "1,800", "J-2026-14",
                    "2 October 2026", "net 30", "business", "no", "nothing", lang="en")
    assert "Invoice J-2026-14 — Johnson &amp; Co" in out[-1] and "€1,800.00" in out[-1]
    out = chat.talk("liam", "Johnson said he will pay half next week", lang="en")[0]
    assert "promised €900.00 by Monday, 30 November 2026" in out  # half of 1 800 €
    asked = chat.talk("liam", "Johnson promised something", lang="en")[0]
    assert "How much" in asked
    out = chat.talk("liam", "he paid 300 today", lang="en")[0]  # a payment, not a promise
    assert "with nothing recorded" in out and "Payment recorded: €300.00 from Johnson" in out


def test_a_button_title_typed_loosely_is_the_button(chat: Chat) -> None:
    out = chat.talk("yanis", "facture F-7 Garage Leroy 700 € échue le 15/10", "15/09/2026",
                    "profesionnel", "je sais pas", "un mail")
    assert "commerçant" in out[2] and "Voici ce que je sais faire" not in out[3]
    assert "Qu'avez-vous déjà fait" in out[3] and "Facture F-7 — Garage Leroy" in out[4]


def test_a_date_that_does_not_exist_is_named(chat: Chat) -> None:
    out = chat.talk("abel", "facture F-2 Dupont SARL 500 € échue le 31/02", "01/02/2026",
                    "31/02/2026")
    assert "« 31/02 » : cette date n'existe pas ; je ne l'ai pas gardée." in out[0]
    assert "Quelle est la date de la facture" in out[0]
    assert out[2].count("31/02/2026") == 1  # the due-date question names it once


def test_voicemail_and_dispute(chat: Chat) -> None:
    chat.talk("sam", *NEW_INVOICE)
    voicemail = chat.talk("sam", "j'ai appelé Dupont SARL", '/log_call{"call_outcome":"voicemail"}')
    assert "messagerie" in voicemail[-1]
    out = chat.talk("sam", "Dupont SARL conteste la facture", "travaux pas terminés")
    assert "travaux pas terminés" in out[-1] and "suspendues" in out[-1]
    reply = chat.talk("sam", '/ask_wording{"step":"dispute_reply"}')[0]
    assert "travaux pas terminés" in reply


def test_the_reason_said_with_the_dispute_is_not_asked(chat: Chat) -> None:
    chat.talk("zelie", *NEW_INVOICE)
    out = chat.talk("zelie", "Dupont SARL conteste, il dit que les travaux ne sont pas finis")
    assert "Que conteste" not in out[0]
    assert "« les travaux ne sont pas finis »" in out[0] and "suspendues" in out[0]
    asked = chat.talk("zelie", "facture F-120 Dupont SARL 300 € échue le 15/10", "15/09/2026",
                      '/add_invoice{"step":"none"}', "Dupont SARL conteste la facture")[-1]
    assert "Que conteste" in asked  # no reason said: asked


def test_payment_plan_pauses_the_ladder(chat: Chat) -> None:
    chat.talk("tom", *NEW_INVOICE)
    out = chat.talk("tom", "Dupont SARL veut payer en plusieurs fois", "3", "05/12/2026")
    assert "416,66" in out[-1] and "416,68" in out[-1]
    assert "Rien d'urgent" in chat.talk("tom", "quoi faire ?")[0]
    from sqlmodel import select

    from domain.ledger import find_owner, unit_of_work
    from domain.ledger.enums import Channel as LedgerChannel
    from domain.ledger.models import Instalment

    with unit_of_work(chat.assistant.engine) as session:
        owner = find_owner(session, LedgerChannel.CONSOLE, "tom")
        assert owner is not None
        first = session.exec(select(Instalment).where(Instalment.owner_id == owner.id)
                             .order_by(Instalment.due_date)).first()
        assert first is not None
    received = chat.talk("tom", f'/instalment_paid{{"instalment":{first.id}}}')[0]
    assert "416,66" in received and "833,34" in received  # the rest still due
    assert "n'est plus valable" in chat.talk("tom", f'/instalment_paid{{"instalment":{first.id}}}')[0]
    assert "n'est plus valable" in chat.talk("intruder2", f'/instalment_paid{{"instalment":{first.id}}}')[0]


def test_formal_notice_dates_consumer_interest(chat: Chat) -> None:
    out = chat.talk("ugo", "facture F-3 Leroy 2 000 € échue le 10/01", "10/12/2025",
                    '/add_invoice{"debtor_kind":"consumer"}', '/add_invoice{"step":"none"}')
    assert "0,00" in out[-1]
    chat.talk("ugo", '/nudge_done{"invoice":1,"step":"formal_notice"}')  # not ugo's invoice
    mine = chat.say("ugo", "où en est Leroy ?")
    invoice_payloads = [b.payload for r in mine for b in r.buttons]
    invoice_id = invoice_payloads[0].split('"invoice":')[1].split(",")[0]
    done = chat.talk("ugo", f'/nudge_done{{"invoice":{invoice_id},"step":"formal_notice"}}')
    assert "F-3" in done[0]
    status = chat.talk("ugo", "où en est Leroy ?")[0]
    # The notice is dated today: interest runs from tomorrow, and the card says it was sent.
    assert "Intérêts au taux légal" in status and "(ils ne courent" not in status
    assert "n&#39;interrompt pas la prescription" in status


def test_forged_ids_never_reach_another_owner(chat: Chat) -> None:
    chat.talk("victim", *NEW_INVOICE)
    for payload in ('/invoice_paid{"invoice":1}', '/nudge_done{"invoice":1,"step":"final_demand"}',
                    '/promise_check{"promise":1,"result":"yes"}', '/nudge_snooze{"nudge":1}',
                    '/ask_wording{"invoice":1}', '/invoice_status{"invoice":1}'):
        text = chat.talk("intruder", payload)[0]
        assert "Dupont SARL" not in text and "250,00" not in text
    assert "1\u202f306,56" in chat.talk("victim", "mes retards")[0]  # untouched


def test_english_conversation(chat: Chat) -> None:
    out = chat.talk("jane", "I have an unpaid invoice", "Acme Ltd", "€2,400", "INV-7",
                    "01/09/2026", "30 days", '/add_invoice{"debtor_kind":"professional"}',
                    "I don't know", '/add_invoice{"step":"none"}', "what should I do now?",
                    lang="en")
    assert "Which client" in out[0]
    assert "Total claimable" in out[-2] and "€2,4" in out[-2]
    assert "To do today" in out[-1] and "Acme Ltd" in out[-1]


def test_settings_export_and_forget(chat: Chat) -> None:
    chat.talk("zoe", *NEW_INVOICE)
    assert "English" in chat.talk("zoe", '/settings{"language":"en"}')[0]
    files = [r.attachment for r in chat.say("zoe", "export my data") if r.attachment]
    assert [f.filename for f in files] == ["relance-export.json", "relance-factures.csv"]
    assert b"F-117" in files[0].content and b"F-117" in files[1].content
    assert "cannot be undone" in chat.talk("zoe", "forget me")[0]
    assert "erased" in chat.talk("zoe", '/forget_me{"confirm":"yes"}')[0]
    assert "No overdue" in chat.talk("zoe", "mes retards", lang="en")[0]


def test_hostile_text_is_data(chat: Chat) -> None:
    out = chat.talk("mal", "nouvelle facture", "<b>{{7*7}}</b>", "abc", "annuler")
    assert "49" not in "".join(out)
    assert "&lt;b&gt;" in out[2] or "montant" in out[2]


def test_a_redelivered_update_is_handled_once_and_blocking_is_remembered(chat: Chat) -> None:
    import asyncio

    from bot.replies import Channel, Incoming, OwnerKey
    from domain.ledger import find_owner, unit_of_work
    from domain.ledger.enums import Channel as LedgerChannel

    owner = OwnerKey(Channel.TELEGRAM, "555")
    first = asyncio.run(chat.assistant.handle(owner, Incoming("mes retards", update_id=9001)))
    again = asyncio.run(chat.assistant.handle(owner, Incoming("mes retards", update_id=9001)))
    assert first and again == []
    asyncio.run(chat.assistant.mark_blocked(owner))
    with unit_of_work(chat.assistant.engine) as session:
        row = find_owner(session, LedgerChannel.TELEGRAM, "555")
        assert row is not None and row.blocked
    asyncio.run(chat.assistant.handle(owner, Incoming("bonjour", update_id=9002)))
    with unit_of_work(chat.assistant.engine) as session:
        row = find_owner(session, LedgerChannel.TELEGRAM, "555")
        assert row is not None and not row.blocked  # writing again means unblocked


def test_letter_chart_and_csv_import_as_files(chat: Chat) -> None:
    import asyncio

    from bot.replies import Attachment, Channel, Incoming, OwnerKey

    chat.talk("yann", *NEW_INVOICE)
    replies = chat.say("yann", "la lettre de mise en demeure pour Dupont SARL")
    files = [r.attachment for r in replies if r.attachment]
    assert "Mise en demeure" in replies[0].text
    assert files and files[0].filename.endswith(".pdf") and files[0].content.startswith(b"%PDF")
    overdue = chat.say("yann", "mes retards")
    chart = [b.payload for r in overdue for b in r.buttons if "chart" in b.payload][0]
    png = [r.attachment for r in chat.say("yann", chart) if r.attachment][0]
    assert png.content.startswith(b"\x89PNG")
    csv = ("N° facture;Client;Montant TTC;Date facture;Échéance;Type client\n"
           "F-200;Garage Roux;2 400,00;01/09/2026;01/10/2026;professionnel\n"
           "F-201;Mme Blanc;abc;01/09/2026;01/10/2026;particulier\n").encode("cp1252")
    owner = OwnerKey(Channel.CONSOLE, "yann")
    upload = Incoming("", attachment=Attachment("factures.csv", csv, "text/csv"))
    preview = asyncio.run(chat.assistant.handle(owner, upload))
    assert "F-200" in preview[0].text and "Ligne 3" in preview[0].text
    assert "Garage" not in chat.talk("yann", "mes retards")[0]  # nothing stored yet
    done = chat.talk("yann", "/import_confirm")[0]
    assert "1 facture(s) ajoutée(s)" in done
    assert "Garage Roux" in chat.talk("yann", "mes retards")[0]
    assert "pas de fichier" in chat.talk("yann", "/import_confirm")[0]  # confirmed once only


def test_nudges_follow_every_change_at_once(chat: Chat) -> None:
    from domain.ledger import find_owner, pending_for_owner, unit_of_work
    from domain.ledger.enums import Channel as LedgerChannel

    def pending() -> dict[str, str]:
        with unit_of_work(chat.assistant.engine) as session:
            owner = find_owner(session, LedgerChannel.CONSOLE, "nina")
            assert owner is not None and owner.id is not None
            return {n.kind.value: n.due_at.date().isoformat()
                    for n in pending_for_owner(session, owner.id)}

    chat.talk("nina", *NEW_INVOICE)
    planned = pending()
    assert "ladder_step" in planned and "digest" in planned
    chat.talk("nina", "Dupont SARL m'a promis 500 € vendredi")
    assert pending()["promise_check"] == "2026-11-30"  # Friday 27 → checked Monday
    chat.talk("nina", "/invoice_paid{\"invoice\":999999}")  # not hers: nothing changes
    assert "promise_check" in pending()
    chat.talk("nina", "Dupont SARL a payé 1250 €")
    assert set(pending()) == {"digest"}  # paid: the invoice's nudges are cancelled


def test_typed_snooze_brings_the_last_reminder_back(chat: Chat) -> None:
    from datetime import UTC, datetime, timedelta

    from domain.ledger import (
        claim_due_nudges,
        find_owner,
        mark_sent,
        pending_for_owner,
        unit_of_work,
    )
    from domain.ledger.enums import Channel as LedgerChannel

    assert "bouton" in chat.talk("otto", "rappelle-moi lundi")[0]  # nothing pushed yet
    chat.talk("otto", *NEW_INVOICE)
    engine = chat.assistant.engine
    with unit_of_work(engine) as session:
        owner = find_owner(session, LedgerChannel.CONSOLE, "otto")
        assert owner is not None and owner.id is not None
        ladder = [n for n in pending_for_owner(session, owner.id) if n.kind.value == "ladder_step"]
    later = datetime.now(UTC) + timedelta(days=400)
    claimed = [n for n in claim_due_nudges(engine, later, "test", 10_000, 60)
               if n.id == ladder[0].id]
    with unit_of_work(engine) as session:
        assert mark_sent(session, owner.id, claimed[0].id or 0, "test", later)
    answer = chat.talk("otto", "rappelle-moi lundi")[0]
    assert "30/11/2026" in answer
    with unit_of_work(engine) as session:
        again = [n for n in pending_for_owner(session, owner.id) if n.kind.value == "ladder_step"]
        assert again and again[0].due_at.date().isoformat() == "2026-11-30"


def test_one_liner_with_invoice_date_and_terms(chat: Chat) -> None:
    out = chat.talk("lea", "j'ai une facture pas payée chez Garage Martin, 2 380 euros, "
                    "facture FA-2026-031 du 2 septembre, payable à 30 jours",
                    '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"no"}',
                    '/add_invoice{"step":"none"}')
    assert "professionnel ou un particulier" in out[0]  # nothing else to ask
    card = out[-1]
    assert "échéance 02/10/2026" in card and "52 jours" in card
    assert "42,04" in card  # 2 380 € × 52 days × 12.40 % / 365


def test_terms_are_kept_and_read_like_the_legal_core(chat: Chat) -> None:
    card = chat.talk("eom", "facture F-2026-088 Boulangerie Petit 1 840 € du 12/09, "
                     "30 jours fin de mois", '/add_invoice{"debtor_kind":"professional"}',
                     '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}')[-1]
    assert "échéance 30/10/2026" in card  # 30/09 + 30 days, the earlier of the two readings
    assert "31/10/2026" in card  # the other accepted reading is named, to check the contract


def test_a_client_named_by_part_of_its_name(chat: Chat) -> None:
    chat.talk("ida", "Cabinet Dentaire Roussel me doit 3 200 € facture EG-58 du 15 septembre à "
              "45 jours", '/add_invoice{"debtor_kind":"professional"}',
              '/add_invoice{"merchant":"no"}', '/add_invoice{"step":"none"}')
    paid = chat.talk("ida", "le cabinet roussel a payé 1 200 € le 20/11")[0]
    assert "Cabinet Dentaire Roussel" in paid and "2\u202f000,00" in paid  # left on EG-58
    call = chat.talk("ida", "j'ai appelé Roussel", '/log_call{"call_outcome":"voicemail"}')
    assert "Comment s'est passé" in call[0] and "messagerie" in call[1]
    other = chat.talk("ida", "Garage Roussel a payé 300 €")[0]  # another business: not matched
    assert "pas de facture impayée pour « Garage Roussel »" in other
    assert "Vouliez-vous dire :\n1. Cabinet Dentaire Roussel" in other  # but offered
    assert "annulé" in chat.talk("ida", "annuler")[0]


def test_which_client_when_the_name_has_no_unpaid_invoice(chat: Chat) -> None:
    for line in ("Boulangerie de la Gare me doit 950 € facture F-301 du 5 octobre à 30 jours",
                 "Boulangerie Petit me doit 400 € facture F-302 du 6 octobre à 30 jours"):
        chat.talk("jo", line, '/add_invoice{"debtor_kind":"professional"}',
                  '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}')
    ask, again = chat.say("jo", "la boulangerie a payé 100 €")  # two boulangeries: which one?
    assert "Pour quel client" in again.text
    assert "« boulangerie »" in ask.text
    assert "1. Boulangerie de la Gare\n2. Boulangerie Petit" in ask.text  # the one due first first
    assert [b.payload for b in ask.buttons] == ['/report_payment{"client": "Boulangerie de la Gare"}',
                                                '/report_payment{"client": "Boulangerie Petit"}']
    paid = chat.talk("jo", ask.buttons[1].payload)[0]
    assert "100,00\xa0€ de Boulangerie Petit sur la facture F-302" in paid  # the amount kept
    out = chat.talk("jo", "j'ai eu un appel", "merci")  # not a client: asked again, with the list
    assert "Pour quel client" in out[0]
    assert "« merci »" in out[1] and "Vos clients avec une facture impayée" in out[1]
    assert "2. Boulangerie Petit" in out[1] and "nouvelle facture" in out[1]
    assert "Comment s'est passé l'appel" in chat.talk("jo", "n° 2")[0]  # typed, not pressed
    assert "rien n'a été enregistré" in chat.talk("jo", "annuler")[0]
    assert "« 2 »" in chat.talk("jo", "j'ai eu un appel", "2")[1]  # the choices were forgotten
    chat.talk("jo", "annuler")
    hostile = chat.talk("jo", "Dupont <b>{{7*7}}</b> a payé 5 €")[0]
    assert "49" not in hostile and "<b>{{" not in hostile  # named back as escaped data
    chat.talk("jo", "annuler")
    [which] = chat.say("jo", "où en est la boulangerie ?")  # not the last invoice seen
    assert "Vouliez-vous dire" in which.text and "annuler" not in which.text
    assert which.buttons[0].payload == '/invoice_status{"client": "Boulangerie de la Gare"}'
    assert "Facture F-301" in chat.talk("jo", which.buttons[0].payload)[0]
    [letter] = chat.say("jo", "la mise en demeure pour la boulangerie")
    assert letter.buttons[1].payload == ('/ask_wording{"client": "Boulangerie Petit", '
                                         '"step": "formal_notice"}')
    assert "Mise en demeure" in chat.talk("jo", letter.buttons[1].payload)[0]


def test_onboarding_gives_way_to_business_and_typed_button_titles(chat: Chat) -> None:
    out = chat.talk("vera", "bonjour", "salut", "Plomberie Vera",
                    "Boulangerie de la Gare me doit 950 € facture F-301 du 5 octobre à 30 jours")
    assert "nom de votre entreprise" in out[1]  # « salut » is nobody's business name
    assert "Comment signez-vous" in out[2]
    assert "professionnel ou un particulier" in out[3] and "C'est noté" not in out[3]
    out = chat.talk("vera", "Professionnel", "je ne sais pas", "Rien encore.")  # typed titles
    assert "commerçant" in out[0] and "déjà fait" in out[1]
    assert "Facture F-301 — Boulangerie de la Gare" in out[2]
    assert "19 jours" in out[2] and "6,13" in out[2]  # 950 € × 19 days × 12.40 % / 365
    assert "Bonjour Plomberie Vera" in chat.talk("vera", "bonjour")[0]  # not asked again
    assert "Plomberie Vera" in chat.talk("vera", "la mise en demeure pour la boulangerie")[0]
