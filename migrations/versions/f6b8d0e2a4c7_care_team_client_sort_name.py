"""care_team_member.client_sort_name: a staff member's caseload paged by name on one index

Revision ID: f6b8d0e2a4c7
Revises: e5a7c9d1f3b6
Create Date: 2026-11-28 04:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f6b8d0e2a4c7'
down_revision = 'e5a7c9d1f3b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('care_team_member') as batch_op:
        batch_op.add_column(sa.Column('client_sort_name', sa.String(length=300), server_default='', nullable=False))
    op.execute("UPDATE care_team_member SET client_sort_name = "
               "(SELECT client.sort_name FROM client WHERE client.id = care_team_member.client_id)")
    op.create_index('ix_care_team_member_caseload', 'care_team_member', ['user_id', 'client_sort_name', 'client_id'])


def downgrade():
    op.drop_index('ix_care_team_member_caseload', table_name='care_team_member')
    with op.batch_alter_table('care_team_member') as batch_op:
        batch_op.drop_column('client_sort_name')
