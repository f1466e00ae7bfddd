"""storage: blobs in the database (STORAGE_BACKEND=database); documents: sealed PDF files

Revision ID: 0a07c5e1d2f3
Revises: ff06a1b2c3d4
Create Date: 2026-11-27 10:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

import portal_app.db_types

# revision identifiers, used by Alembic.
revision = '0a07c5e1d2f3'
down_revision = 'ff06a1b2c3d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'storage_blob',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', portal_app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_storage_blob')),
    )
    op.create_table(
        'sealed_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('storage_key', sa.String(length=64), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.Column('content_sha256', sa.String(length=64), nullable=False),
        sa.Column('verification_code', sa.String(length=11), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('signed_at', portal_app.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('signer_summary', sa.Text(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', portal_app.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['organization.id'],
                                name=op.f('fk_sealed_file_agency_id_organization')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_file')),
        sa.UniqueConstraint('pdf_sha256', name=op.f('uq_sealed_file_pdf_sha256')),
        sa.UniqueConstraint('verification_code', name=op.f('uq_sealed_file_verification_code')),
    )
    with op.batch_alter_table('sealed_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_file_agency_id'), ['agency_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sealed_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_file_agency_id'))
    op.drop_table('sealed_file')
    op.drop_table('storage_blob')
