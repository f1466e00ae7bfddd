"""awaiting_staff: the conversations waiting for each staff member (last message from the portal, unread by them)

Revision ID: d4f6b8c0e2a5
Revises: c3e5a7b9d1f4
Create Date: 2026-11-28 01:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import portal_app.db_types

# revision identifiers, used by Alembic.
revision = 'd4f6b8c0e2a5'
down_revision = 'c3e5a7b9d1f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('awaiting_staff',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('last_message_at', portal_app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'],
                            name=op.f('fk_awaiting_staff_conversation_id_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_awaiting_staff_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'conversation_id', name=op.f('pk_awaiting_staff'))
    )
    op.create_index(op.f('ix_awaiting_staff_conversation_id'), 'awaiting_staff', ['conversation_id'])
    op.create_index('ix_awaiting_staff_newest', 'awaiting_staff', ['user_id', 'last_message_at', 'conversation_id'])
    # The rows start empty: every staff count becomes "not known", so each staff member's home looks the
    # slow way until their next mark-read rebuilds both (or `flask messaging-recount-unread`, everyone's).
    op.execute("UPDATE unread_counter SET conversations = NULL WHERE reader_kind = 'staff'")


def downgrade():
    op.drop_index('ix_awaiting_staff_newest', table_name='awaiting_staff')
    op.drop_index(op.f('ix_awaiting_staff_conversation_id'), table_name='awaiting_staff')
    op.drop_table('awaiting_staff')
