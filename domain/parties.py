"""Who owes whom: the qualifications the law turns on, confirmed by the user, never guessed."""

from __future__ import annotations

from enum import StrEnum


class DebtorKind(StrEnum):
    PROFESSIONAL = "professional"
    CONSUMER = "consumer"
