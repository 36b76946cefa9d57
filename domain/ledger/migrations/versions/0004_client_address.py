"""The client's postal address: where the formal notice is sent (LEGAL.md §8), read from
an imported file's address columns.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy on SQLite: it would drop migration 0003's triggers).
    op.add_column('client', sa.Column('address', sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column('client', 'address')
