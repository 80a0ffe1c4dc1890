"""staff calendars: a counsellor's private ICS link (encrypted), the busy intervals read from it,
and the keyed digest of the secret feed link of their own appointments

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_calendars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure', sa.String(length=200), nullable=True),
    sa.Column('feed_digest', sa.String(length=64), nullable=True),
    sa.Column('feed_created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_staff_calendars_staff_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_calendars')),
    sa.UniqueConstraint('feed_digest', name=op.f('uq_staff_calendars_feed_digest')),
    sa.UniqueConstraint('public_id', name=op.f('uq_staff_calendars_public_id')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_staff_calendars_staff_id'))
    )
    op.create_table('busy_intervals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_busy_intervals_staff_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_busy_intervals'))
    )
    with op.batch_alter_table('busy_intervals', schema=None) as batch_op:
        batch_op.create_index('ix_busy_intervals_staff_starts', ['staff_id', 'starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('busy_intervals', schema=None) as batch_op:
        batch_op.drop_index('ix_busy_intervals_staff_starts')

    op.drop_table('busy_intervals')
    op.drop_table('staff_calendars')
