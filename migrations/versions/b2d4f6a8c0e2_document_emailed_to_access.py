"""a document emailed to one representative remembers that person: representatives added later do not see it

Revision ID: b2d4f6a8c0e2
Revises: a1c3e5f7b9d1
Create Date: 2026-11-27 17:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c0e2'
down_revision = 'a1c3e5f7b9d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_to_access_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_document_emailed_to_access_id_client_access'),
                                    'client_access', ['emailed_to_access_id'], ['id'])


def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_document_emailed_to_access_id_client_access'), type_='foreignkey')
        batch_op.drop_column('emailed_to_access_id')
