"""The ledger: what Relance remembers (SQLModel tables, Alembic migrations, owner-scoped queries).

The pure legal modules in `domain/*.py` never import this package. Every function here takes
a `Session` (from `unit_of_work`) and, except the cross-owner dispatcher and sweep, the
owner id: there is no query without it.
"""

from domain.ledger.activity import (
    create_payment_plan,
    list_instalments,
    list_payments,
    list_promises,
    log_interaction,
    log_promise,
    record_payment,
    resolve_promise,
    set_instalment_state,
)
from domain.ledger.clients import (
    add_client,
    client_names,
    find_client_by_name,
    get_client,
    list_clients,
    update_client,
)
from domain.ledger.conversation import (
    Conversation,
    forget_processed_updates,
    load_conversation,
    record_update_processed,
    save_conversation,
)
from domain.ledger.db import make_engine, open_session, unit_of_work
from domain.ledger.errors import (
    DuplicateInvoice,
    InvalidAmount,
    InvalidField,
    LedgerError,
    LedgerUnavailable,
    NotFound,
    UnsupportedCurrency,
)
from domain.ledger.gdpr import erase_owner, export_owner
from domain.ledger.history import HistoryEntry, HistoryKind, invoice_history
from domain.ledger.invoices import (
    add_invoice,
    find_invoice_by_number,
    get_invoice,
    list_invoices,
    record_dispute,
    record_insolvency,
    set_invoice_status,
)
from domain.ledger.migrate import ensure_schema
from domain.ledger.nudges import (
    cancel_pending_for_invoice,
    claim_due_nudges,
    get_nudge,
    mark_failed,
    mark_sent,
    next_due_at,
    pending_for_owner,
    release,
    schedule_nudge,
    snooze,
)
from domain.ledger.owners import (
    find_owner,
    get_or_create_owner,
    get_owner,
    touch_last_seen,
    update_owner_profile,
)
from domain.ledger.views import (
    OpenInvoice,
    PromiseRecord,
    PromiseToCheck,
    client_promise_record,
    open_invoices,
    overdue_invoices,
    promises_to_check,
    promises_to_check_all_owners,
)

__all__ = [
    "Conversation",
    "DuplicateInvoice",
    "HistoryEntry",
    "HistoryKind",
    "InvalidAmount",
    "InvalidField",
    "LedgerError",
    "LedgerUnavailable",
    "NotFound",
    "OpenInvoice",
    "PromiseRecord",
    "PromiseToCheck",
    "UnsupportedCurrency",
    "add_client",
    "add_invoice",
    "cancel_pending_for_invoice",
    "claim_due_nudges",
    "client_promise_record",
    "create_payment_plan",
    "ensure_schema",
    "erase_owner",
    "export_owner",
    "find_client_by_name",
    "find_invoice_by_number",
    "find_owner",
    "forget_processed_updates",
    "get_client",
    "get_invoice",
    "get_nudge",
    "get_or_create_owner",
    "get_owner",
    "invoice_history",
    "client_names",
    "list_clients",
    "list_instalments",
    "list_invoices",
    "list_payments",
    "list_promises",
    "load_conversation",
    "log_interaction",
    "log_promise",
    "make_engine",
    "mark_failed",
    "mark_sent",
    "next_due_at",
    "open_session",
    "open_invoices",
    "overdue_invoices",
    "pending_for_owner",
    "promises_to_check",
    "promises_to_check_all_owners",
    "record_dispute",
    "record_insolvency",
    "record_payment",
    "record_update_processed",
    "release",
    "resolve_promise",
    "save_conversation",
    "schedule_nudge",
    "set_instalment_state",
    "set_invoice_status",
    "snooze",
    "touch_last_seen",
    "unit_of_work",
    "update_client",
    "update_owner_profile",
]
