"""esign_consent: a portal account's consent to sign electronically (time, text version, address, withdrawal)

Revision ID: 5e9a1c2d3e4f
Revises: f1a2b3c4d5e6
Create Date: 2026-11-27 12:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal_app.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '5e9a1c2d3e4f'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'esign_consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('given_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('text_version', sa.String(length=40), nullable=False),
        sa.Column('ip_address', sa.String(length=64), nullable=False),
        sa.Column('withdrawn_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['portal_account.id'], name=op.f('fk_esign_consent_account_id_portal_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_esign_consent')),
    )
    op.create_index(op.f('ix_esign_consent_account_id'), 'esign_consent', ['account_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_esign_consent_account_id'), table_name='esign_consent')
    op.drop_table('esign_consent')
