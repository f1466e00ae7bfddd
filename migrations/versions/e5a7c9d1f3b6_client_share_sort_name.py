"""client_share.client_sort_name: a partner's shared clients paged by name on one index

Revision ID: e5a7c9d1f3b6
Revises: d4f6b8c0e2a5
Create Date: 2026-11-28 01:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a7c9d1f3b6'
down_revision = 'd4f6b8c0e2a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('client_share') as batch_op:
        batch_op.add_column(sa.Column('client_sort_name', sa.String(length=300), server_default='', nullable=False))
    op.execute("UPDATE client_share SET client_sort_name = "
               "(SELECT client.sort_name FROM client WHERE client.id = client_share.client_id)")
    active = sa.column('revoked_at').is_(None)
    op.create_index('ix_client_share_partner_list', 'client_share', ['organization_id', 'client_sort_name', 'id'],
                    postgresql_where=active, sqlite_where=active)


def downgrade():
    op.drop_index('ix_client_share_partner_list', table_name='client_share')
    with op.batch_alter_table('client_share') as batch_op:
        batch_op.drop_column('client_sort_name')
