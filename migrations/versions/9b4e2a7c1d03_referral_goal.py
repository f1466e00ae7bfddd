"""referrals: a referral may belong to one of the client's goals ("Add to a Goal")

Revision ID: 9b4e2a7c1d03
Revises: 3b7d1e0c9a42
Create Date: 2026-11-27 14:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9b4e2a7c1d03'
down_revision = '3b7d1e0c9a42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_referral_goal_id'), ['goal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_referral_goal_id_goal'), 'goal', ['goal_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_referral_goal_id_goal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_referral_goal_id'))
        batch_op.drop_column('goal_id')
