"""Nasty strings: what owners (or anyone who finds the bot) may type or forge."""

from __future__ import annotations

NASTY = [
    "", " ", "/", "//", "/ ", "\x00", "abc\x00def", "\x00" * 50, "\t\r\n\x0b\x0c", "\x1b[31mred",
    "\u200b\u200e\u200f\u202e", "\ufeffbonjour", "😀" * 50, "👨‍👩‍👧‍👦 facture 🧾 1 250 € 💶",
    "مرحبا فاتورة ١٢٥٠ يورو", "שלום חשבונית 500 ₪", "\u202eerutcaf 005 €",
    "x" * 10_000, "facture " + "Dupont " * 1500, "é" * 4097, "<" * 5000,
    "<b>gras</b>", "</pre>", "<pre>", "<a href='javascript:alert(1)'>x</a>", "<script>x</script>",
    "&amp; &lt; & < > \"'", "<i>Dupont</b>", "{{7*7}}", "{{ 123456*2 }}", "{% raw %}",
    "{% for x in range(10**9) %}x{% endfor %}", "{{ config }}", "${7*7}", "#{7*7}", "%s %d %(x)s",
    "'; DROP TABLE invoice; --", "Robert'); DROP TABLE owner;--", "1 OR 1=1", "\" OR \"\"=\"",
    "1e308", "-1e308", "1e309 €", "-0", "-0 €", "NaN", "nan €", "inf", "Infinity €", "-1 €",
    "0 €", "0,001 €", "99999999999999999999999999999 €", "1 250,50 €", "1.2.3,4 €", "€€€",
    "31/02/2026", "01/01/1900", "00/00/0000", "29/02/2025", "31/12/9999", "32/13/2026",
    "le 15", "hier", "demain", "9999-99-99", "0001-01-01",
    '/add_invoice{"amount": 1e308}', '/add_invoice{"amount": -5}', '/add_invoice{"amount": "NaN"}',
    '/add_invoice{"amount": "Infinity", "client": "X"}', '/add_invoice{"date": "31/02/2026"}',
    '/invoice_paid{"invoice": -1}', '/invoice_paid{"invoice": 0}',
    '/invoice_paid{"invoice": 99999999999999999999999}', '/invoice_paid{"invoice": "1; DROP"}',
    '/invoice_paid{"invoice": 1.5}', '/invoice_paid{"invoice": null}', '/invoice_paid[]',
    '/promise_check{"promise": -1, "result": "yes"}', '/promise_check{"promise": 1, "result": 7}',
    '/nudge_done{"nudge": -1}', '/nudge_snooze{"nudge": "x"}', '/x{not json', '/x{}',
    '/what_now{"a": {"b": [1, 2]}}', '/what_now{"__proto__": 1}', "/add_invoice{" + "[" * 5000,
    '/ask_wording{"invoice": 1, "step": "../../etc/passwd"}', '/ask_wording{"step": "{{7*7}}"}',
    '/import_confirm{"token": "../../x"}', "/start", "/help@relance_bot",
    "/settings", "/export_data", "/no_such_intent", "/_private", "/greet" + "{}" * 2000,
]

FORM_STARTS = ["nouvelle facture", "Dupont SARL m a promis", "Dupont SARL a payé",
               "plan de paiement pour Dupont SARL", "litige avec Dupont SARL"]
