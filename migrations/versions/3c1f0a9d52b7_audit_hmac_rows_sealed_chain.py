"""audit: HMAC per row, chain sealed off the request path (nonce, mac, seq, chain_hash, sealed_at)

Rows already recorded are adopted: they get a nonce and an HMAC under the running app's
AUDIT_HMAC_KEY and are sealed by the next `flask audit-seal` / worker pass. Run the old
`flask audit-verify` before upgrading if you want the old hash chain checked one last time.
Downgrading rebuilds the old unkeyed hash chain over the rows in id order.

Revision ID: 3c1f0a9d52b7
Revises: d7b3e5a1c940
Create Date: 2026-11-27 07:40:00.000000

"""
import hashlib
import hmac
import json
import secrets

import sqlalchemy as sa
from alembic import op
from flask import current_app

import portal_app.db_types

# revision identifiers, used by Alembic.
revision = '3c1f0a9d52b7'
down_revision = 'd7b3e5a1c940'
branch_labels = None
depends_on = None

CONTENT = ("occurred_at", "actor_kind", "actor_id", "site", "action", "object_type", "object_id",
           "client_id", "ip", "details")


def _table(*extra):
    columns = [sa.column("id", sa.Integer), sa.column("occurred_at", portal_app.db_types.UTCDateTime())]
    columns += [sa.column(name) for name in CONTENT[1:]] + [sa.column(name) for name in extra]
    return sa.table("audit_event", *columns)


def _content(row):
    return [row.occurred_at.isoformat(timespec="microseconds"), *(getattr(row, name) for name in CONTENT[1:])]


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nonce', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sealed_at', portal_app.db_types.UTCDateTime(timezone=True), nullable=True))

    conn = op.get_bind()
    table = _table("nonce", "mac")
    rows = conn.execute(sa.select(table).order_by(table.c.id)).all()
    if rows:
        key = current_app.config["AUDIT_HMAC_KEY"].encode()
        for row in rows:
            nonce = secrets.token_hex(16)
            payload = json.dumps([nonce, *_content(row)], separators=(",", ":")).encode()
            mac = hmac.new(key, b"caseport-audit-row-v1\x00" + payload, hashlib.sha256).hexdigest()
            conn.execute(table.update().where(table.c.id == row.id).values(nonce=nonce, mac=mac))

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('nonce', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('mac', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_audit_event_hash'), type_='unique')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('hash')
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_mac'), ['mac'])
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_seq'), ['seq'])


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    conn = op.get_bind()
    table = _table("prev_hash", "hash")
    previous = "0" * 64
    for row in conn.execute(sa.select(table).order_by(table.c.id)).all():
        payload = json.dumps([previous, *_content(row)], separators=(",", ":"))
        digest = hashlib.sha256(payload.encode()).hexdigest()
        conn.execute(table.update().where(table.c.id == row.id).values(prev_hash=previous, hash=digest))
        previous = digest

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_seq'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_audit_event_mac'), type_='unique')
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_hash'), ['hash'])
        batch_op.drop_column('sealed_at')
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('seq')
        batch_op.drop_column('mac')
        batch_op.drop_column('nonce')
