"""consultation of messages and remarks

One installation may run several consultations (the strategy, a later plan, the budget): each
message and remark records the key of the one it belongs to. Rows stored before are filled with
the key of the config's `[consultation]` (handed over by `migrate`), "strategia" without a config.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06 02:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

DEFAULT_KEY = "strategia"


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_messages_consultation'), ['consultation'], unique=False)

    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_remarks_consultation'), ['consultation'], unique=False)
    _backfill()


def _backfill() -> None:
    """Everything stored so far belonged to the one consultation there was."""
    key = op.get_context().config.attributes.get("default_consultation") or DEFAULT_KEY
    for name in ("messages", "remarks"):
        table = sa.table(name, sa.column("consultation", sa.String))
        op.execute(table.update().where(table.c.consultation.is_(None)).values(consultation=key))


def downgrade() -> None:
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remarks_consultation'))
        batch_op.drop_column('consultation')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_consultation'))
        batch_op.drop_column('consultation')
