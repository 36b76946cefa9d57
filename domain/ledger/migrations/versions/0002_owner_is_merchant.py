"""Whether the owner is a merchant (commerçant): it decides the court of an injonction de
payer and whether the small-claims procedure is open (LEGAL.md §9–10).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('owner') as batch:
        batch.add_column(sa.Column('is_merchant', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('owner') as batch:
        batch.drop_column('is_merchant')
