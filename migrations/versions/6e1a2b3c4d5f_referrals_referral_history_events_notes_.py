"""referrals: referral, history events, notes, one-tap links

Revision ID: 6e1a2b3c4d5f
Revises: 5d1e0a7c3b92
Create Date: 2026-11-27 13:14:59.737639

"""
from alembic import op
import sqlalchemy as sa
from portal_app.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '6e1a2b3c4d5f'
down_revision = '5d1e0a7c3b92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.String(length=500), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_language', sa.String(length=5), nullable=False),
    sa.Column('best_way', sa.String(length=8), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['organization.id'], name=op.f('fk_referral_agency_id_organization')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_referral_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['helper_id'], ['user_account.id'], name=op.f('fk_referral_helper_id_user_account')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_referral_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index('ix_referral_program_changed', ['program_id', 'status_changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_program_id'), ['program_id'], unique=False)

    op.create_table('referral_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('who', sa.String(length=240), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('via', sa.String(length=12), nullable=False),
    sa.Column('occurred_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['portal_account.id'], name=op.f('fk_referral_event_account_id_portal_account')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_event_referral_id_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_referral_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_event'))
    )
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_event_referral_id'), ['referral_id'], unique=False)

    op.create_table('referral_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('actions', sa.String(length=200), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['portal_account.id'], name=op.f('fk_referral_link_account_id_portal_account')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_link_referral_id_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_referral_link_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_link'))
    )
    with op.batch_alter_table('referral_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_link_referral_id'), ['referral_id'], unique=False)

    op.create_table('referral_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=240), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_referral_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_note_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_note'))
    )
    with op.batch_alter_table('referral_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_note_referral_id'), ['referral_id'], unique=False)



def downgrade():
    with op.batch_alter_table('referral_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_note_referral_id'))

    op.drop_table('referral_note')
    with op.batch_alter_table('referral_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_link_referral_id'))

    op.drop_table('referral_link')
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_event_referral_id'))

    op.drop_table('referral_event')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_program_id'))
        batch_op.drop_index('ix_referral_program_changed')
        batch_op.drop_index(batch_op.f('ix_referral_helper_id'))
        batch_op.drop_index(batch_op.f('ix_referral_client_id'))
        batch_op.drop_index(batch_op.f('ix_referral_agency_id'))

    op.drop_table('referral')
