"""organization.enabled: the deployment operator disables and re-enables an agency

Revision ID: aa01c7e4d2f9
Revises: 3c1f0a9d52b7
Create Date: 2026-11-27 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'aa01c7e4d2f9'
down_revision = '3c1f0a9d52b7'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: SQLite adds (3.35+: drops) a column in place, and a batch would
# rebuild the table and trip over the expression index on lower(name). Existing rows are enabled.
def upgrade():
    op.add_column('organization', sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    op.drop_column('organization', 'enabled')
