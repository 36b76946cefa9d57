"""The columns an invoice spreadsheet may have, and the header spellings that name them
(French and English, folded: lower case, no accents, punctuation as spaces)."""

from __future__ import annotations

from enum import StrEnum


class Column(StrEnum):
    NUMBER = "number"
    CLIENT = "client"
    AMOUNT = "amount"
    INVOICE_DATE = "invoice_date"
    DUE_DATE = "due_date"
    TERMS = "terms"
    CLIENT_KIND = "client_kind"
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    POSTCODE = "postcode"
    CITY = "city"
    CURRENCY = "currency"


REQUIRED = (Column.NUMBER, Column.CLIENT, Column.AMOUNT, Column.INVOICE_DATE)

_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.NUMBER: ("n facture", "no facture", "numero", "numero facture", "numero de facture",
                    "num facture", "facture", "n", "invoice number", "invoice no", "invoice",
                    "number", "invoice n", "reference", "ref"),
    Column.CLIENT: ("client", "nom client", "nom du client", "debiteur", "customer",
                    "client name", "customer name"),
    Column.AMOUNT: ("montant ttc", "montant", "total ttc", "montant facture", "amount",
                    "amount incl tax", "amount ttc", "total", "invoice amount"),
    Column.INVOICE_DATE: ("date facture", "date de facture", "date d emission", "date",
                          "invoice date", "date of invoice", "issue date"),
    Column.DUE_DATE: ("echeance", "date echeance", "date d echeance", "date limite de paiement",
                      "due date", "due", "due on"),
    Column.TERMS: ("conditions", "conditions de paiement", "conditions de reglement",
                   "delai de paiement", "terms", "payment terms"),
    Column.CLIENT_KIND: ("type client", "type de client", "type", "client type",
                         "customer type", "kind"),
    Column.EMAIL: ("email", "e mail", "mail", "courriel", "adresse email"),
    Column.PHONE: ("telephone", "tel", "phone", "telephone client", "phone number", "mobile"),
    Column.ADDRESS: ("adresse", "adresse postale", "adresse client", "adresse du client",
                     "adresse de facturation", "address", "postal address", "billing address",
                     "client address", "street"),
    Column.POSTCODE: ("code postal", "cp", "postcode", "post code", "postal code", "zip",
                      "zip code"),
    Column.CITY: ("ville", "commune", "localite", "city", "town"),
    Column.CURRENCY: ("devise", "monnaie", "currency"),
}
HEADERS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
