"""PORTAL Inbox items: a conversation's item kind and the item it is about (requests, ROIs, documents)

Revision ID: a1c3e5f7b9d1
Revises: 9d4e2a7b1c05
Create Date: 2026-11-27 17:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d1'
down_revision = '9d4e2a7b1c05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_kind', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
    # The requests' Inbox items made before: each request's conversation.
    op.execute("UPDATE conversation SET item_kind = 'request', item_id = (SELECT min(portal_request.id) "
               "FROM portal_request WHERE portal_request.conversation_id = conversation.id) "
               "WHERE id IN (SELECT conversation_id FROM portal_request WHERE conversation_id IS NOT NULL)")


def downgrade():
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('item_id')
        batch_op.drop_column('item_kind')
