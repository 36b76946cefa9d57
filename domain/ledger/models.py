"""The ledger's tables (SQLModel). Every row carries the id of the owner it belongs to."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.ledger import enums as e
from domain.ledger.types import EnumText, Money, Rate, UTCDateTime

# Named constraints keep Alembic batch migrations on SQLite able to find them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _owner_fk() -> Any:
    return Field(sa_column=Column(Integer, ForeignKey("owner.id"), nullable=False, index=True))


def _fk(target: str, nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(Integer, ForeignKey(target), nullable=nullable))


def _money(nullable: bool = False, default: Decimal | None = None) -> Any:
    return Field(default=default, sa_column=Column(Money(), nullable=nullable))


def _instant(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


def _enum(cls: type[StrEnum], default: Any = None, nullable: bool = False) -> Any:
    return Field(default=default, sa_column=Column(EnumText(cls), nullable=nullable))


def _json(default_factory: Any) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


class Owner(SQLModel, table=True):
    """A business owner: one Telegram chat or one console user."""

    __tablename__ = "owner"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_owner_channel_external"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: e.Channel = _enum(e.Channel)
    external_id: str = Field(max_length=64)
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    business_name: str | None = None
    signature: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    siret: str | None = Field(default=None, max_length=14)
    iban: str | None = Field(default=None, max_length=34)
    language: e.Language = _enum(e.Language, default=e.Language.FR)
    timezone: str = Field(default="Europe/Paris", max_length=64)
    quiet_start: str = Field(default="19:00", max_length=5)
    quiet_end: str = Field(default="08:30", max_length=5)
    digest_weekday: int = 0  # Monday, as datetime.weekday()
    digest_time: str = Field(default="09:00", max_length=5)
    ladder_settings: dict[str, Any] = _json(dict)
    nudges_paused: bool = False
    blocked: bool = False
    onboarded: bool = False
    is_merchant: bool | None = None  # commerçant: court and procedures depend on it
    # Changed by database triggers on every write to the owner's clients, invoices and their
    # related rows (migration 0003); never set by the application.
    ledger_version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False,
                                                            server_default="0"))
    created_at: datetime = _instant()
    last_seen_at: datetime | None = _instant(nullable=True)


class Client(SQLModel, table=True):
    """A debtor of the owner."""

    __tablename__ = "client"
    __table_args__ = (Index("ix_client_owner_name_key", "owner_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    name: str
    name_key: str  # casefolded name, for case-insensitive lookup on both dialects
    kind: e.ClientKind = _enum(e.ClientKind, default=e.ClientKind.PROFESSIONAL)
    is_merchant: bool | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None  # postal, lines separated by "\n" (the formal notice's)
    notes: str | None = None
    tone: e.Tone = _enum(e.Tone, default=e.Tone.NORMAL)


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("owner_id", "client_id", "number", name="uq_invoice_owner_client_number"),
        Index("ix_invoice_owner_status_due", "owner_id", "status", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    client_id: int = _fk("client.id")
    number: str = Field(max_length=64)
    amount: Decimal = _money()  # TTC
    currency: str = Field(default="EUR", max_length=3)
    invoice_date: date
    delivery_date: date | None = None
    terms: str | None = None
    due_date: date
    contract_rate: Decimal | None = Field(default=None, sa_column=Column(Rate(), nullable=True))
    status: e.InvoiceStatus = _enum(e.InvoiceStatus, default=e.InvoiceStatus.OPEN)
    paid_amount: Decimal = _money(default=Decimal("0.00"))  # sum of payments, same transaction
    dispute_reason: str | None = None
    formal_notice_date: date | None = None
    insolvency_date: date | None = None
    sector: str | None = None
    created_at: datetime = _instant()
    # Changed by database triggers on every write to the invoice, its client or its related
    # rows (migration 0003); never set by the application.
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False,
                                                     server_default="0"))


class Interaction(SQLModel, table=True):
    """A call, email, letter... made by the owner about one invoice."""

    __tablename__ = "interaction"
    __table_args__ = (Index("ix_interaction_owner_invoice", "owner_id", "invoice_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    invoice_id: int = _fk("invoice.id")
    occurred_on: date
    logged_at: datetime = _instant()
    channel: e.ContactChannel = _enum(e.ContactChannel)
    outcome: e.Outcome = _enum(e.Outcome)
    note: str | None = None
    ladder_step: e.LadderStep | None = _enum(e.LadderStep, nullable=True)


class Promise(SQLModel, table=True):
    __tablename__ = "promise"
    __table_args__ = (
        Index("ix_promise_owner_invoice", "owner_id", "invoice_id"),
        Index("ix_promise_state_date", "state", "promised_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    invoice_id: int = _fk("invoice.id")
    amount: Decimal = _money()
    promised_date: date
    logged_at: datetime = _instant()
    interaction_id: int | None = _fk("interaction.id", nullable=True)
    state: e.PromiseState = _enum(e.PromiseState, default=e.PromiseState.PENDING)
    checked_at: datetime | None = _instant(nullable=True)


class PaymentPlan(SQLModel, table=True):
    __tablename__ = "payment_plan"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    invoice_id: int = _fk("invoice.id")
    created_at: datetime = _instant()
    state: e.PlanState = _enum(e.PlanState, default=e.PlanState.ACTIVE)


class Instalment(SQLModel, table=True):
    __tablename__ = "instalment"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    plan_id: int = _fk("payment_plan.id")
    due_date: date
    amount: Decimal = _money()
    state: e.InstalmentState = _enum(e.InstalmentState, default=e.InstalmentState.PENDING)


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_owner_invoice", "owner_id", "invoice_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    invoice_id: int = _fk("invoice.id")
    paid_on: date
    amount: Decimal = _money()
    logged_at: datetime = _instant()


class Nudge(SQLModel, table=True):
    """A message Relance must push at `due_at`; the row is the source of truth, not the scheduler."""

    __tablename__ = "nudge"
    __table_args__ = (
        UniqueConstraint("owner_id", "dedupe_key", name="uq_nudge_owner_dedupe"),
        Index("ix_nudge_state_due", "state", "due_at"),
        Index("ix_nudge_owner_invoice", "owner_id", "invoice_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner_fk()
    invoice_id: int | None = _fk("invoice.id", nullable=True)
    kind: e.NudgeKind = _enum(e.NudgeKind)
    due_at: datetime = _instant()
    state: e.NudgeState = _enum(e.NudgeState, default=e.NudgeState.PENDING)
    attempts: int = 0
    claimed_until: datetime | None = _instant(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = _instant(nullable=True)
    last_error: str | None = None
    payload: dict[str, Any] = _json(dict)
    dedupe_key: str = Field(max_length=128)


class ConversationState(SQLModel, table=True):
    """The embedded runner's tracker for one owner (Rasa events and slots)."""

    __tablename__ = "conversation_state"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(sa_column=Column(Integer, ForeignKey("owner.id"), nullable=False, unique=True))
    events: list[dict[str, Any]] = _json(list)
    slots: dict[str, Any] = _json(dict)
    active_loop: str | None = None
    updated_at: datetime = _instant()


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids already handled (updates can be delivered twice)."""

    __tablename__ = "processed_update"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    processed_at: datetime = _instant()
