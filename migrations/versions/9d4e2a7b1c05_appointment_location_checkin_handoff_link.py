"""appointments at a location, check-in, and kiosk hand-offs linked to an appointment

Revision ID: 9d4e2a7b1c05
Revises: 9a3e5c7b1d20
Create Date: 2026-11-27 14:55:00.000000

"""
import sqlalchemy as sa
from alembic import op

from portal_app.db_types import UTCDateTime

# revision identifiers, used by Alembic.
revision = '9d4e2a7b1c05'
down_revision = '9a3e5c7b1d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('checked_in_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checked_in_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appointment_location_id_agency_location'),
                                    'agency_location', ['location_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_appointment_checked_in_by_id_user_account'),
                                    'user_account', ['checked_in_by_id'], ['id'])
    with op.batch_alter_table('kiosk_handoff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appointment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_kiosk_handoff_appointment_id_appointment'),
                                    'appointment', ['appointment_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_kiosk_handoff_appointment_id'), ['appointment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kiosk_handoff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_handoff_appointment_id'))
        batch_op.drop_constraint(batch_op.f('fk_kiosk_handoff_appointment_id_appointment'), type_='foreignkey')
        batch_op.drop_column('appointment_id')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_appointment_checked_in_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_appointment_location_id_agency_location'), type_='foreignkey')
        batch_op.drop_column('checked_in_by_id')
        batch_op.drop_column('checked_in_at')
        batch_op.drop_column('location_id')
