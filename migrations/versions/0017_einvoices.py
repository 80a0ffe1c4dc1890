"""e-invoices: Stripe invoices and credit notes kept for EN 16931, buyer reference and format

Revision ID: 0017
Revises: 0012
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'einvoice_sources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('stripe_id', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('stripe_event_created', sa.Integer(), nullable=False),
        sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('stripe_id'),
    )
    with op.batch_alter_table('einvoice_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_einvoice_sources_contract_id'), ['contract_id'],
                              unique=False)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('buyer_reference', sa.String(length=80), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('einvoice_format', sa.String(length=20), nullable=False,
                                      server_default='none'))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('einvoice_format')
        batch_op.drop_column('buyer_reference')
    with op.batch_alter_table('einvoice_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_einvoice_sources_contract_id'))
    op.drop_table('einvoice_sources')
