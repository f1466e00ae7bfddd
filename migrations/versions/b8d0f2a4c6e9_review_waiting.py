"""review_waiting: each pending third-party contact once for each member of its client's care team, so a case
manager's Needs Review is one index range whatever the size of their caseload

Revision ID: b8d0f2a4c6e9
Revises: a7c9e1f3b5d8
Create Date: 2026-11-28 10:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

from portal_app.db_types import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'b8d0f2a4c6e9'
down_revision = 'a7c9e1f3b5d8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review_waiting',
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('occurred_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_review_waiting_client_id_client'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_review_waiting_contact_id_contact'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_review_waiting_user_id_user_account')),
        sa.PrimaryKeyConstraint('contact_id', 'user_id', name=op.f('pk_review_waiting')),
    )
    op.create_index('ix_review_waiting_newest', 'review_waiting', ['user_id', 'agency_id', 'occurred_at', 'contact_id'])
    op.create_index('ix_review_waiting_client', 'review_waiting', ['client_id', 'user_id'])
    op.execute("INSERT INTO review_waiting (contact_id, user_id, client_id, agency_id, occurred_at) "
               "SELECT contact.id, care_team_member.user_id, contact.client_id, contact.agency_id, contact.occurred_at "
               "FROM contact JOIN care_team_member ON care_team_member.client_id = contact.client_id "
               "WHERE contact.source = 'third_party' AND contact.reviewed_at IS NULL")


def downgrade():
    op.drop_index('ix_review_waiting_client', table_name='review_waiting')
    op.drop_index('ix_review_waiting_newest', table_name='review_waiting')
    op.drop_table('review_waiting')
