"""Owners: creation on first contact, profile, last seen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from domain.ledger.access import dialect_insert, table_of, utc_now
from domain.ledger.enums import Channel, Language
from domain.ledger.errors import InvalidField, NotFound
from domain.ledger.models import Owner

#: Fields the owner may change from the dialogue (identity and bookkeeping fields excluded).
PROFILE_FIELDS: frozenset[str] = frozenset(
    {
        "chat_id", "business_name", "signature", "email", "phone", "address", "siret", "iban",
        "language", "timezone", "quiet_start", "quiet_end", "digest_weekday", "digest_time",
        "ladder_settings", "nudges_paused", "blocked", "onboarded", "is_merchant",
    }
)  # fmt: skip
_HHMM_FIELDS = ("quiet_start", "quiet_end", "digest_time")


def get_or_create_owner(
    session: Session,
    channel: Channel,
    external_id: str,
    language: Language = Language.FR,
    *,
    chat_id: int | None = None,
    now: datetime | None = None,
) -> Owner:
    """The owner behind (channel, external_id), created on first contact (race-free)."""
    values: dict[str, Any] = {
        "channel": Channel(channel),
        "external_id": external_id,
        "chat_id": chat_id,
        "language": Language(language),
        "created_at": now or utc_now(),
        "ladder_settings": {},
        "timezone": "Europe/Paris",
        "quiet_start": "19:00",
        "quiet_end": "08:30",
        "digest_weekday": 0,
        "digest_time": "09:00",
        "nudges_paused": False,
        "blocked": False,
        "onboarded": False,
    }
    insert = dialect_insert(session, table_of(Owner)).values(**values)
    session.execute(insert.on_conflict_do_nothing(index_elements=["channel", "external_id"]))
    query = select(Owner).where(Owner.channel == channel, Owner.external_id == external_id)
    return session.exec(query.execution_options(populate_existing=True)).one()


def get_owner(session: Session, owner_id: int) -> Owner:
    owner = session.get(Owner, owner_id)
    if owner is None:
        raise NotFound("Owner", owner_id)
    return owner


def update_owner_profile(session: Session, owner_id: int, changes: Mapping[str, Any]) -> Owner:
    """Change profile fields (see PROFILE_FIELDS); unknown or malformed fields raise InvalidField."""
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise InvalidField(f"unknown owner field(s): {', '.join(sorted(unknown))}")
    for name in _HHMM_FIELDS:
        if name in changes:
            _check_hhmm(name, changes[name])
    if "digest_weekday" in changes and changes["digest_weekday"] not in range(7):
        raise InvalidField("digest_weekday must be 0 (Monday) to 6 (Sunday)")
    if "ladder_settings" in changes and not isinstance(changes["ladder_settings"], dict):
        raise InvalidField("ladder_settings must be a dict of overrides")
    owner = get_owner(session, owner_id)
    for name, value in changes.items():
        if name == "language":
            value = Language(value)
        setattr(owner, name, value)
    session.add(owner)
    session.flush()
    return owner


def touch_last_seen(session: Session, owner_id: int, now: datetime) -> None:
    owner = get_owner(session, owner_id)
    owner.last_seen_at = now
    session.add(owner)
    session.flush()


class OwnerBrief(NamedTuple):
    """What every conversation turn reads of its owner."""

    id: int
    language: Language
    blocked: bool
    ledger_version: int = 0  # changes with every write to the owner's clients and invoices


def find_owner(session: Session, channel: Channel, external_id: str) -> Owner | None:
    query = select(Owner).where(col(Owner.channel) == channel, Owner.external_id == external_id)
    return session.exec(query).first()


def _check_hhmm(name: str, value: Any) -> None:
    ok = isinstance(value, str) and len(value) == 5 and value[2] == ":"
    if ok:
        hours, minutes = value[:2], value[3:]
        ok = hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60
    if not ok:
        raise InvalidField(f"{name} must be a time as HH:MM, got {value!r}")

