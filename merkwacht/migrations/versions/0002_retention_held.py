"""retention runs keep what the legal hold of open investigation cases kept back

Revision ID: 0002
Revises: 0001
Create Date: 2026-10-01 00:00:00

Runs recorded before this revision get ``{}``: no legal hold existed then, so nothing was held.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import merkwacht.core.models.base
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('retention_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'held', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
            server_default=sa.text("'{}'"), nullable=False,
        ))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('retention_runs', schema=None) as batch_op:
        batch_op.drop_column('held')
