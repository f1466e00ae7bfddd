"""release_of_information: ROIs made from signed release documents, their partner recipients, the shares
that rely on one, and the agency setting "Sharing requires an active ROI"

Revision ID: 5d1e0a7c3b92
Revises: 7f3c9a1d5b2e
Create Date: 2026-11-27 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal_app.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '5d1e0a7c3b92'
down_revision = '7f3c9a1d5b2e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'release_of_information',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('other_recipients', sa.Text(), nullable=False),
        sa.Column('information', sa.JSON(), nullable=False),
        sa.Column('purpose', sa.JSON(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_by_user_id', sa.Integer(), nullable=True),
        sa.Column('revoked_by_account_id', sa.Integer(), nullable=True),
        sa.Column('revoke_reason', sa.Text(), nullable=False),
        sa.Column('superseded_by_id', sa.Integer(), nullable=True),
        sa.Column('superseded_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('warned_14_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('warned_3_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('lapse_handled_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_release_of_information_client_id_client')),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'],
                                name=op.f('fk_release_of_information_document_id_document')),
        sa.ForeignKeyConstraint(['revoked_by_user_id'], ['user_account.id'],
                                name=op.f('fk_release_of_information_revoked_by_user_id_user_account')),
        sa.ForeignKeyConstraint(['revoked_by_account_id'], ['portal_account.id'],
                                name=op.f('fk_release_of_information_revoked_by_account_id_portal_account')),
        sa.ForeignKeyConstraint(['superseded_by_id'], ['release_of_information.id'],
                                name=op.f('fk_release_of_information_superseded_by_id_release_of_information')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_release_of_information')),
        sa.UniqueConstraint('document_id', name=op.f('uq_release_of_information_document_id')),
    )
    op.create_index('ix_release_of_information_client_end', 'release_of_information', ['client_id', 'end_date'],
                    unique=False)
    op.create_table(
        'roi_recipient',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('roi_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['roi_id'], ['release_of_information.id'],
                                name=op.f('fk_roi_recipient_roi_id_release_of_information')),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_roi_recipient_organization_id_organization')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roi_recipient')),
        sa.UniqueConstraint('roi_id', 'organization_id', name='uq_roi_recipient_org'),
    )
    op.create_index(op.f('ix_roi_recipient_roi_id'), 'roi_recipient', ['roi_id'], unique=False)
    op.create_index(op.f('ix_roi_recipient_organization_id'), 'roi_recipient', ['organization_id'], unique=False)
    # Plain ALTER TABLE (no batch rebuild: organization has an expression index on lower(name)).
    op.add_column('organization', sa.Column('sharing_requires_roi', sa.Boolean(), server_default=sa.false(),
                                            nullable=False))
    with op.batch_alter_table('client_share', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roi_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('roi_override_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_client_share_roi_id'), ['roi_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_client_share_roi_id_release_of_information'),
                                    'release_of_information', ['roi_id'], ['id'])
    _restore_active_share_index()


def _restore_active_share_index():
    """The batch copy of the table on SQLite may drop the partial unique index: put it back."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS uq_client_share_active")
        op.create_index('uq_client_share_active', 'client_share', ['client_id', 'organization_id'], unique=True,
                        sqlite_where=sa.text('revoked_at IS NULL'))

def downgrade():
    with op.batch_alter_table('client_share', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_client_share_roi_id_release_of_information'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_client_share_roi_id'))
        batch_op.drop_column('roi_override_reason')
        batch_op.drop_column('roi_id')
    _restore_active_share_index()
    op.drop_column('organization', 'sharing_requires_roi')
    op.drop_index(op.f('ix_roi_recipient_organization_id'), table_name='roi_recipient')
    op.drop_index(op.f('ix_roi_recipient_roi_id'), table_name='roi_recipient')
    op.drop_table('roi_recipient')
    op.drop_index('ix_release_of_information_client_end', table_name='release_of_information')
    op.drop_table('release_of_information')
