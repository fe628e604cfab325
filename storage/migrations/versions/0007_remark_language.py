"""remark language: the detected ISO 639-1 language of each remark

Revision ID: 0007
Revises: 0001
Create Date: 2026-12-02 16:03:13.188495
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_column('language')
