"""client goals: a client's goals by area of life, with their status and who changed it

Revision ID: 7f3c9a1d5b2e
Revises: 5e9a1c2d3e4f
Create Date: 2026-11-27 13:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

from portal_app.db_types import UTCDateTime

# revision identifiers, used by Alembic.
revision = '7f3c9a1d5b2e'
down_revision = '5e9a1c2d3e4f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'goal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('domain', sa.String(length=20), nullable=False),
        sa.Column('target_date', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('status_changed_by_id', sa.Integer(), nullable=True),
        sa.Column('status_changed_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_goal_client_id_client'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_goal_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['status_changed_by_id'], ['user_account.id'],
                                name=op.f('fk_goal_status_changed_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_goal')),
    )
    op.create_index('ix_goal_client_status', 'goal', ['client_id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_goal_client_status', table_name='goal')
    op.drop_table('goal')
