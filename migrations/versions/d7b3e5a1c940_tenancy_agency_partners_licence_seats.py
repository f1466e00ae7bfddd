"""tenancy: agency partners, licence seats per agency, managing agency of a partner organization

Revision ID: d7b3e5a1c940
Revises: c3a1f0d9b7e2
Create Date: 2026-11-27 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
import portal_app.db_types


# revision identifiers, used by Alembic.
revision = 'd7b3e5a1c940'
down_revision = 'c3a1f0d9b7e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agency_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal_app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['organization.id'], name=op.f('fk_agency_partner_agency_id_organization')),
    sa.ForeignKeyConstraint(['partner_id'], ['organization.id'], name=op.f('fk_agency_partner_partner_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_partner')),
    sa.UniqueConstraint('agency_id', 'partner_id', name=op.f('uq_agency_partner_agency_id'))
    )
    with op.batch_alter_table('agency_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_partner_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_partner_partner_id'), ['partner_id'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licence_seats', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('managing_agency_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_organization_managing_agency_id'), ['managing_agency_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_organization_managing_agency_id_organization'), 'organization',
                                    ['managing_agency_id'], ['id'])
    if op.get_bind().dialect.name == "sqlite":
        # The batch copy of the table on SQLite cannot carry the expression index: put it back.
        op.execute("DROP INDEX IF EXISTS uq_organization_name_lower")
        op.create_index("uq_organization_name_lower", "organization", [sa.text("lower(name)")], unique=True)

    # Existing deployments had one agency managing every partner organization: keep that working.
    op.execute(
        "INSERT INTO agency_partner (agency_id, partner_id, created_at) "
        "SELECT a.id, p.id, p.created_at FROM organization a, organization p "
        "WHERE a.kind = 'agency' AND p.kind = 'partner'"
    )
    op.execute(
        "UPDATE organization SET managing_agency_id = "
        "(SELECT min(a.id) FROM organization a WHERE a.kind = 'agency') WHERE kind = 'partner'"
    )


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organization_managing_agency_id_organization'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organization_managing_agency_id'))
        batch_op.drop_column('managing_agency_id')
        batch_op.drop_column('licence_seats')
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS uq_organization_name_lower")
        op.create_index("uq_organization_name_lower", "organization", [sa.text("lower(name)")], unique=True)

    with op.batch_alter_table('agency_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_partner_partner_id'))
        batch_op.drop_index(batch_op.f('ix_agency_partner_agency_id'))

    op.drop_table('agency_partner')
