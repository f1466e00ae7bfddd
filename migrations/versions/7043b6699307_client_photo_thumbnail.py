"""client photo thumbnail

Revision ID: 7043b6699307
Revises: a87aeb918cb4
Create Date: 2026-11-22 13:18:39.147966

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7043b6699307'
down_revision = 'a87aeb918cb4'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_thumb_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_client_photo_thumb_id_stored_file'), 'stored_file', ['photo_thumb_id'], ['id'])


def downgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_client_photo_thumb_id_stored_file'), type_='foreignkey')
        batch_op.drop_column('photo_thumb_id')
