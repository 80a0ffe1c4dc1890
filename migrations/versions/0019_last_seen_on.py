"""requester_accounts.last_seen_at → last_seen_on: the column holds a date, not a moment

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 22:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_requester_accounts_last_seen_at')
        batch_op.alter_column('last_seen_at', new_column_name='last_seen_on')
    op.create_index('ix_requester_accounts_last_seen_on', 'requester_accounts', ['last_seen_on'],
                    unique=False)


def downgrade():
    op.drop_index('ix_requester_accounts_last_seen_on', table_name='requester_accounts')
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.alter_column('last_seen_on', new_column_name='last_seen_at')
    op.create_index('ix_requester_accounts_last_seen_at', 'requester_accounts', ['last_seen_at'],
                    unique=False)
