"""Clients (debtors) of an owner."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from domain.ledger.access import insert_row, owned, stored, table_of
from domain.ledger.enums import ClientKind, Tone
from domain.ledger.errors import InvalidField
from domain.ledger.models import Client


def name_key(name: str) -> str:
    """Case- and space-insensitive key of a client name ("  DUPONT  sarl" == "dupont SARL")."""
    return " ".join(name.split()).casefold()


def add_client(
    session: Session,
    owner_id: int,
    name: str,
    kind: ClientKind = ClientKind.PROFESSIONAL,
    *,
    is_merchant: bool | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    notes: str | None = None,
    tone: Tone = Tone.NORMAL,
) -> Client:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidField("a client needs a name")
    return stored(insert_row(session, Client, {
        "owner_id": owner_id, "name": clean, "name_key": name_key(clean),
        "kind": ClientKind(kind), "is_merchant": is_merchant, "email": email, "phone": phone,
        "address": address, "notes": notes, "tone": Tone(tone)}))


def get_client(session: Session, owner_id: int, client_id: int) -> Client:
    return owned(session, Client, owner_id, client_id)


# Built once (a statement built per call costs more than running it: bench/README.md).
_BY_NAME = select(Client).where(col(Client.owner_id) == bindparam("owner_id"),
                                col(Client.name_key) == bindparam("name_key")).order_by(
    col(Client.id))


def find_client_by_name(session: Session, owner_id: int, name: str) -> Client | None:
    """The owner's client with exactly this name, ignoring case and extra spaces."""
    return session.exec(_BY_NAME, params={"owner_id": owner_id,
                                          "name_key": name_key(name)}).first()


def list_clients(session: Session, owner_id: int) -> list[Client]:
    query = select(Client).where(Client.owner_id == owner_id).order_by(col(Client.name_key))
    return list(session.exec(query))


_CLIENTS = table_of(Client).c
_NAMES = select_columns(_CLIENTS.name).where(_CLIENTS.owner_id == bindparam("owner_id")).order_by(
    _CLIENTS.name_key)


def client_names(session: Session, owner_id: int) -> list[str]:
    """The owner's client names in `list_clients` order (a prepared statement, every turn)."""
    return list(session.connection().execute(_NAMES, {"owner_id": owner_id}).scalars())


def update_client(
    session: Session,
    owner_id: int,
    client_id: int,
    *,
    tone: Tone | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    notes: str | None = None,
    is_merchant: bool | None = None,
) -> Client:
    """Change the given fields (None leaves a field as it is)."""
    client = owned(session, Client, owner_id, client_id)
    if tone is not None:
        client.tone = Tone(tone)
    for field, value in (
        ("email", email),
        ("phone", phone),
        ("address", address),
        ("notes", notes),
        ("is_merchant", is_merchant),
    ):
        if value is not None:
            setattr(client, field, value)
    session.add(client)
    session.flush()
    return client
