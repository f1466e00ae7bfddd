"""portal_account.full_name: the person's own name, typed at registration

Revision ID: f1a2b3c4d5e6
Revises: e7f3a1b2c4d5
Create Date: 2026-11-27 12:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e7f3a1b2c4d5'
branch_labels = None
depends_on = None


# Plain ALTER TABLE (no batch rebuild: the table has an expression index). Accounts that registered
# before keep an empty name and read by their relationship ("Mother of Sam Delgado").
def upgrade():
    op.add_column('portal_account', sa.Column('full_name', sa.String(length=120), server_default='', nullable=False))


def downgrade():
    op.drop_column('portal_account', 'full_name')
