"""Realistic owner conversations, in French and English, for the message benchmarks."""

from __future__ import annotations

import random

FR_CLIENTS = ["Dupont SARL", "Garage Leroy", "Boulangerie Petit", "Renaud BTP", "Martin",
              "Moreau", "Bernard", "Durand Frères"]
EN_CLIENTS = ["Smith Ltd", "Johnson", "Acme Corp", "Baker & Sons"]


def _client(owner: int, round_: int, english: bool) -> tuple[random.Random, str]:
    rng = random.Random(owner * 1000 + round_)
    return rng, rng.choice(EN_CLIENTS if english else FR_CLIENTS)


def conversation(owner: int, round_: int, english: bool) -> list[str]:
    """One round of an owner's week: a new invoice (one-liner, then form answers and
    buttons; a client of an earlier round is not asked again whether it is a professional
    and a merchant), "what now", the overdue list, a promise, a payment, small talk."""
    rng, client = _client(owner, round_, english)
    known = any(_client(owner, r, english)[1] == client for r in range(round_))
    number = f"F-{owner}-{round_}"
    if english:
        amount = rng.choice(["1 250 €", "€800", "430 EUR", "2 400€"])
        return [
            f"new unpaid invoice {number} for {client} {amount} overdue since 15/10",
            "15/09/2026",
            *(() if known else ('/add_invoice{"debtor_kind":"professional"}',
                                '/add_invoice{"merchant":"yes"}')),
            '/add_invoice{"step":"none"}',
            "what should i do",
            "show overdue invoices",
            f"{client} promised €100 by friday",
            f"{client} paid 50 EUR today",
            "thanks",
        ]
    amount = rng.choice(["1 250 €", "800 euros", "430 €", "3,4k€", "2 400€"])
    return [
        f"facture {number} {client} {amount} échue le 15/10",
        "15/09/2026",
        *(() if known else ('/add_invoice{"debtor_kind":"professional"}', "oui")),
        '/add_invoice{"step":"none"}',
        "quoi faire ?",
        "mes retards",
        f"{client} m a promis 100 € vendredi",
        f"{client} a payé 50 €",
        "merci",
    ]
