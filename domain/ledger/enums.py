"""Stored states and kinds of the ledger, as `StrEnum` (the value is what the database holds)."""

from __future__ import annotations

from enum import StrEnum

from domain.ladder import LadderStep
from domain.parties import DebtorKind

__all__ = ["ClientKind", "LadderStep"]


class Channel(StrEnum):
    """Where an owner talks to Relance."""

    TELEGRAM = "telegram"
    CONSOLE = "console"


class Language(StrEnum):
    FR = "fr"
    EN = "en"


#: A professional debtor (B2B rules) or a consumer (B2C rules): the legal core's own enum.
ClientKind = DebtorKind


class Tone(StrEnum):
    """How the owner wants to treat this client."""

    STRATEGIC = "strategic"
    NORMAL = "normal"
    BAD_PAYER = "bad_payer"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PROMISED = "promised"
    DISPUTED = "disputed"
    PAYMENT_PLAN = "payment_plan"
    FORMAL_NOTICE_SENT = "formal_notice_sent"
    LEGAL_ROUTE = "legal_route"
    PAID = "paid"
    WRITTEN_OFF = "written_off"


#: Statuses of an invoice that still has to be chased.
CLOSED_STATUSES: frozenset[InvoiceStatus] = frozenset({InvoiceStatus.PAID, InvoiceStatus.WRITTEN_OFF})


class ContactChannel(StrEnum):
    """How the owner reached the client."""

    CALL = "call"
    EMAIL = "email"
    LETTER = "letter"
    SMS = "sms"
    IN_PERSON = "in_person"


class Outcome(StrEnum):
    ANSWERED = "answered"
    VOICEMAIL = "voicemail"
    UNREACHABLE = "unreachable"
    PROMISE = "promise"
    DISPUTE = "dispute"
    PAID = "paid"
    OTHER = "other"


def step_rank(step: LadderStep) -> int:
    """Position of `step` on the ladder: 0 for the courtesy reminder, growing with escalation."""
    return list(LadderStep).index(step)


class PromiseState(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    PARTLY_KEPT = "partly_kept"
    BROKEN = "broken"


class PlanState(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    BROKEN = "broken"
    CANCELLED = "cancelled"


class InstalmentState(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    MISSED = "missed"


class NudgeKind(StrEnum):
    BEFORE_DUE = "before_due"
    LADDER_STEP = "ladder_step"
    PROMISE_CHECK = "promise_check"
    INSTALMENT_DUE = "instalment_due"
    NOTICE_DEADLINE = "notice_deadline"
    PRESCRIPTION = "prescription"
    DIGEST = "digest"


class NudgeState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"
