"""triage inbox: a partial index of the unassigned open requests in inbox order

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 11:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Kept here as written on this day (the model derives it from choices.OPEN_STATUSES).
CONDITION = (
    "assigned_staff_id IS NULL AND status IN ('new', 'triaged', 'in_progress', 'waiting')"
)


def upgrade():
    op.create_index(
        'ix_help_requests_inbox_open', 'help_requests', ['priority', 'response_due_at', 'id'],
        unique=False, postgresql_where=sa.text(CONDITION), sqlite_where=sa.text(CONDITION),
    )


def downgrade():
    op.drop_index('ix_help_requests_inbox_open', table_name='help_requests')
