"""extra sessions requested: the quarter an account's request for more sessions was last counted
for the employer report (at most once per account and calendar year)

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 22:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_counted_quarter', sa.String(length=6), nullable=True))


def downgrade():
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.drop_column('extra_counted_quarter')
