"""referrals: the agency's "Team referral sharing" switch; walk-ins (a referral without an agency client)

Revision ID: 9a3e5c7b1d20
Revises: 9b4e2a7c1d03
Create Date: 2026-11-27 14:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9a3e5c7b1d20'
down_revision = '9b4e2a7c1d03'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: a batch rebuild of the table would drop its expression index (unique names, any case).
    op.add_column('organization', sa.Column('referral_team_sharing', sa.Boolean(), server_default=sa.false(),
                                            nullable=False))
    with op.batch_alter_table('referral') as batch_op:
        batch_op.add_column(sa.Column('walk_in', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('client_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM referral WHERE client_id IS NULL")
    with op.batch_alter_table('referral') as batch_op:
        batch_op.alter_column('client_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('walk_in')
    op.drop_column('organization', 'referral_team_sharing')
