"""client photo thumbnail

Revision ID: 7043b6699307
Revises: a87aeb918cb4
Create Date: 2026-11-22 13:18:39.147966

"""
from alembic import op
import sqlalchemy as sa
import portal_app.db_types


# revision identifiers, used by Alembic.
revision = '7043b6699307'
down_revision = 'a87aeb918cb4'
branch_labels = None
depends_on = None

# Not batch mode (autogenerate's choice): on SQLite a batch copies `client` into a new table and drops
# the old one, and with foreign keys on (every connection of the app) that DROP deletes the client rows
# first, cascading to care teams, shares and contacts. ADD COLUMN ... REFERENCES and DROP COLUMN need no
# copy on SQLite (3.35+) and are plain ALTERs on PostgreSQL.
FK_NAME = 'fk_client_photo_thumb_id_stored_file'


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE client ADD COLUMN photo_thumb_id INTEGER CONSTRAINT {FK_NAME} REFERENCES stored_file (id)')
    else:
        op.add_column('client', sa.Column('photo_thumb_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK_NAME, 'client', 'stored_file', ['photo_thumb_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(FK_NAME, 'client', type_='foreignkey')
    op.drop_column('client', 'photo_thumb_id')
