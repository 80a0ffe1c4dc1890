"""server-side HR invitations; requester session generation (issue 14)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hr_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_hr_invitations_organisation_id_organisations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_invitations')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_hr_invitations_token_digest')),
    )
    with op.batch_alter_table('hr_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_invitations_organisation_id'),
                              ['organisation_id'], unique=False)
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(),
                                      server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
    with op.batch_alter_table('hr_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_invitations_organisation_id'))
    op.drop_table('hr_invitations')
