"""documents: links emailed to one representative; per-version plain-language card text

Revision ID: 1d7c0e5a9b21
Revises: 6e1a2b3c4d5f
Create Date: 2026-11-27 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal_app.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '1d7c0e5a9b21'
down_revision = '6e1a2b3c4d5f'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('form_template_version', sa.Column('card', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    op.create_table(
        'document_email_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('access_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('opened_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['access_id'], ['client_access.id'], name=op.f('fk_document_email_link_access_id_client_access'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['account_id'], ['portal_account.id'], name=op.f('fk_document_email_link_account_id_portal_account')),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_email_link_document_id_document')),
        sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], name=op.f('fk_document_email_link_sent_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_email_link')),
    )
    op.create_index(op.f('ix_document_email_link_document_id'), 'document_email_link', ['document_id'], unique=False)


def downgrade():
    with op.batch_alter_table('form_template_version') as batch:
        batch.drop_column('card')
    op.drop_index(op.f('ix_document_email_link_document_id'), table_name='document_email_link')
    op.drop_table('document_email_link')
