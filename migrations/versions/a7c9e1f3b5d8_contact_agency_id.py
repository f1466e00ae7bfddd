"""contact.agency_id: a copy of the client's agency, so an agency's Needs Review is one range of a partial index

Revision ID: a7c9e1f3b5d8
Revises: f6b8d0e2a4c7
Create Date: 2026-11-28 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c9e1f3b5d8'
down_revision = 'f6b8d0e2a4c7'
branch_labels = None
depends_on = None

PENDING_REVIEW_SQL = "source = 'third_party' AND reviewed_at IS NULL"


def upgrade():
    op.add_column('contact', sa.Column('agency_id', sa.Integer(), nullable=True))
    op.execute("UPDATE contact SET agency_id = (SELECT client.organization_id FROM client "
               "WHERE client.id = contact.client_id)")
    op.drop_index('ix_contact_needs_review_recent', table_name='contact')
    op.create_index('ix_contact_needs_review_agency', 'contact', ['agency_id', 'occurred_at', 'id'],
                    postgresql_where=sa.text(PENDING_REVIEW_SQL), sqlite_where=sa.text(PENDING_REVIEW_SQL))


def downgrade():
    op.drop_index('ix_contact_needs_review_agency', table_name='contact')
    op.create_index('ix_contact_needs_review_recent', 'contact', ['occurred_at', 'id'],
                    postgresql_where=sa.text(PENDING_REVIEW_SQL), sqlite_where=sa.text(PENDING_REVIEW_SQL))
    with op.batch_alter_table('contact') as batch_op:
        batch_op.drop_column('agency_id')
