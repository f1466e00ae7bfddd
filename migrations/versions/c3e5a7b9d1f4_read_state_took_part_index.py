"""the conversations a staff member took part in, by a partial index (a case manager's own conversations)

Revision ID: c3e5a7b9d1f4
Revises: b2d4f6a8c0e2
Create Date: 2026-11-27 21:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3e5a7b9d1f4'
down_revision = 'b2d4f6a8c0e2'
branch_labels = None
depends_on = None


def upgrade():
    took_part = sa.column('took_part').is_(True)  # rendered as the queries render it, so both databases use it
    op.create_index('ix_read_state_took_part', 'conversation_read_state', ['reader_kind', 'reader_id'],
                    postgresql_where=took_part, sqlite_where=took_part)


def downgrade():
    op.drop_index('ix_read_state_took_part', table_name='conversation_read_state')
