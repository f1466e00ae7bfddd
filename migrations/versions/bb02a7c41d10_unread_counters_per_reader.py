"""unread counters per reader (the Inbox and portal badges)

Revision ID: bb02a7c41d10
Revises: 0a07c5e1d2f3
Create Date: 2026-11-27 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb02a7c41d10'
down_revision = '0a07c5e1d2f3'
branch_labels = None
depends_on = None


def upgrade():
    # Empty: a reader without a row is counted the exact way until their next mark-read counts again
    # (or `flask messaging-recount-unread` counts everyone at once).
    op.create_table('unread_counter',
    sa.Column('reader_kind', sa.String(length=8), nullable=False),
    sa.Column('reader_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('conversations', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('reader_kind', 'reader_id', name=op.f('pk_unread_counter'))
    )


def downgrade():
    op.drop_table('unread_counter')
