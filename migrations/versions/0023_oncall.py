"""on-call rota: windows per staff member and the once-only notices sent during them

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'oncall_windows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('oncall_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oncall_windows_staff_id'), ['staff_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_oncall_windows_starts_at'), ['starts_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_oncall_windows_ends_at'), ['ends_at'],
                              unique=False)
    op.create_table(
        'oncall_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('window_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('ref', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['window_id'], ['oncall_windows.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('window_id', 'kind', 'ref', name='uq_oncall_notice_once'),
    )


def downgrade():
    op.drop_table('oncall_notices')
    with op.batch_alter_table('oncall_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oncall_windows_ends_at'))
        batch_op.drop_index(batch_op.f('ix_oncall_windows_starts_at'))
        batch_op.drop_index(batch_op.f('ix_oncall_windows_staff_id'))
    op.drop_table('oncall_windows')
