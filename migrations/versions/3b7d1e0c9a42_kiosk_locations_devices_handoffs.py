"""kiosk: agency locations, paired tablets, pairing codes, hand-offs of documents to a tablet

Revision ID: 3b7d1e0c9a42
Revises: 4c1a2b3d5e6f
Create Date: 2026-11-27 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from portal_app.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '3b7d1e0c9a42'
down_revision = '4c1a2b3d5e6f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'agency_location',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('address', sa.String(length=400), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_agency_location_organization_id_organization')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_location')),
        sa.UniqueConstraint('organization_id', 'name', name='uq_agency_location_org_name'),
    )
    op.create_index(op.f('ix_agency_location_organization_id'), 'agency_location', ['organization_id'], unique=False)
    op.create_table(
        'kiosk_device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=True),
        sa.Column('paired_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('paired_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_kiosk_device_organization_id_organization')),
        sa.ForeignKeyConstraint(['location_id'], ['agency_location.id'],
                                name=op.f('fk_kiosk_device_location_id_agency_location')),
        sa.ForeignKeyConstraint(['paired_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_device_paired_by_id_user_account')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_device_revoked_by_id_user_account')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_device_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_device')),
        sa.UniqueConstraint('organization_id', 'name', name='uq_kiosk_device_org_name'),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_kiosk_device_secret_hash')),
    )
    op.create_index(op.f('ix_kiosk_device_organization_id'), 'kiosk_device', ['organization_id'], unique=False)
    op.create_index(op.f('ix_kiosk_device_location_id'), 'kiosk_device', ['location_id'], unique=False)
    op.create_table(
        'kiosk_pairing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('browser_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.Column('claimed_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('claimed_by_id', sa.Integer(), nullable=True),
        sa.Column('finished_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('ip_address', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['device_id'], ['kiosk_device.id'],
                                name=op.f('fk_kiosk_pairing_device_id_kiosk_device')),
        sa.ForeignKeyConstraint(['claimed_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_pairing_claimed_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_pairing')),
        sa.UniqueConstraint('browser_hash', name=op.f('uq_kiosk_pairing_browser_hash')),
    )
    op.create_index(op.f('ix_kiosk_pairing_code_hash'), 'kiosk_pairing', ['code_hash'], unique=False)
    op.create_index(op.f('ix_kiosk_pairing_device_id'), 'kiosk_pairing', ['device_id'], unique=False)
    op.create_table(
        'kiosk_handoff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.Column('handed_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('code', sa.String(length=8), nullable=False),
        sa.Column('active_device_id', sa.Integer(), nullable=True),
        sa.Column('step', sa.String(length=12), nullable=False),
        sa.Column('dob_attempts', sa.Integer(), nullable=False),
        sa.Column('held', sa.Boolean(), nullable=False),
        sa.Column('started_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_activity_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_kiosk_handoff_organization_id_organization')),
        sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_kiosk_handoff_client_id_client')),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_kiosk_handoff_document_id_document')),
        sa.ForeignKeyConstraint(['location_id'], ['agency_location.id'],
                                name=op.f('fk_kiosk_handoff_location_id_agency_location')),
        sa.ForeignKeyConstraint(['device_id'], ['kiosk_device.id'],
                                name=op.f('fk_kiosk_handoff_device_id_kiosk_device')),
        sa.ForeignKeyConstraint(['active_device_id'], ['kiosk_device.id'],
                                name=op.f('fk_kiosk_handoff_active_device_id_kiosk_device')),
        sa.ForeignKeyConstraint(['handed_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_handoff_handed_by_id_user_account')),
        sa.ForeignKeyConstraint(['ended_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_handoff_ended_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_handoff')),
    )
    op.create_index(op.f('ix_kiosk_handoff_organization_id'), 'kiosk_handoff', ['organization_id'], unique=False)
    op.create_index(op.f('ix_kiosk_handoff_document_id'), 'kiosk_handoff', ['document_id'], unique=False)
    op.create_index('ix_kiosk_handoff_pickup', 'kiosk_handoff', ['location_id', 'status', 'created_at'], unique=False)
    op.create_index('ix_kiosk_handoff_active', 'kiosk_handoff', ['active_device_id', 'status'], unique=False)
    op.create_index('ix_kiosk_handoff_client', 'kiosk_handoff', ['client_id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_kiosk_handoff_client', table_name='kiosk_handoff')
    op.drop_index('ix_kiosk_handoff_active', table_name='kiosk_handoff')
    op.drop_index('ix_kiosk_handoff_pickup', table_name='kiosk_handoff')
    op.drop_index(op.f('ix_kiosk_handoff_document_id'), table_name='kiosk_handoff')
    op.drop_index(op.f('ix_kiosk_handoff_organization_id'), table_name='kiosk_handoff')
    op.drop_table('kiosk_handoff')
    op.drop_index(op.f('ix_kiosk_pairing_device_id'), table_name='kiosk_pairing')
    op.drop_index(op.f('ix_kiosk_pairing_code_hash'), table_name='kiosk_pairing')
    op.drop_table('kiosk_pairing')
    op.drop_index(op.f('ix_kiosk_device_location_id'), table_name='kiosk_device')
    op.drop_index(op.f('ix_kiosk_device_organization_id'), table_name='kiosk_device')
    op.drop_table('kiosk_device')
    op.drop_index(op.f('ix_agency_location_organization_id'), table_name='agency_location')
    op.drop_table('agency_location')
