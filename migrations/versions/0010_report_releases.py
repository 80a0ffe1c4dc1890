"""reports: stored differentially private releases, declared site seats, bounded counting

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=6), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('epsilon', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_report_releases_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_releases')),
    sa.UniqueConstraint('organisation_id', 'period', 'kind', name='one_release')
    )
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seats', sa.Integer(), nullable=True))
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted_quarter', sa.String(length=6), nullable=True))


def downgrade():
    with op.batch_alter_table('requester_accounts', schema=None) as batch_op:
        batch_op.drop_column('counted_quarter')
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.drop_column('seats')
    op.drop_table('report_releases')
