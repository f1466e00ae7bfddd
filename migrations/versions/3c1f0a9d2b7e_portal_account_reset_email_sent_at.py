"""portal_account.reset_email_sent_at: one reset email per account per 15 minutes

Revision ID: 3c1f0a9d2b7e
Revises: e5d96ca771c8
Create Date: 2026-11-27 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa
import portal_app.db_types


# revision identifiers, used by Alembic.
revision = '3c1f0a9d2b7e'
down_revision = 'e5d96ca771c8'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite adds (3.35+: drops) a nullable column in place, and a batch
# would rebuild the table and trip over the expression index on lower(username).
def upgrade():
    op.add_column('portal_account', sa.Column('reset_email_sent_at',
                                              portal_app.db_types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('portal_account', 'reset_email_sent_at')
