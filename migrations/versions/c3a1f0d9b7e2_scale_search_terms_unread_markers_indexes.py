"""scale: client search terms and sort key, conversation last message, took-part markers, Needs Review indexes

Revision ID: c3a1f0d9b7e2
Revises: 3c1f0a9d2b7e
Create Date: 2026-11-27 07:40:00

"""
from alembic import op
import sqlalchemy as sa

from portal_app.clients.normalize import client_terms, digits, sort_key


# revision identifiers, used by Alembic.
revision = 'c3a1f0d9b7e2'
down_revision = '3c1f0a9d2b7e'
branch_labels = None
depends_on = None

PENDING_REVIEW_SQL = "source = 'third_party' AND reviewed_at IS NULL"
BATCH = 1000


def _fill_clients(conn) -> None:
    """Sort keys, phone digits and search terms of the clients already there (the model keeps new ones)."""
    client = sa.table('client', sa.column('id', sa.Integer), sa.column('organization_id', sa.Integer),
                      sa.column('first_name', sa.String), sa.column('middle_name', sa.String),
                      sa.column('last_name', sa.String), sa.column('email', sa.String), sa.column('phone', sa.String),
                      sa.column('sort_name', sa.String), sa.column('phone_digits', sa.String))
    term = sa.table('client_search_term', sa.column('client_id', sa.Integer), sa.column('term', sa.String),
                    sa.column('organization_id', sa.Integer))
    last_id = 0
    while True:
        rows = conn.execute(sa.select(client.c.id, client.c.organization_id, client.c.first_name, client.c.middle_name,
                                      client.c.last_name, client.c.email, client.c.phone)
                            .where(client.c.id > last_id).order_by(client.c.id).limit(BATCH)).all()
        if not rows:
            return
        terms = []
        for cid, org, first, middle, last, email, phone in rows:
            conn.execute(client.update().where(client.c.id == cid).values(
                sort_name=sort_key(first or '', middle or '', last or ''), phone_digits=digits(phone)[:40]))
            terms += [{'client_id': cid, 'organization_id': org, 'term': t}
                      for t in sorted(client_terms(first or '', middle or '', last or '', email or '', phone or ''))]
        if terms:
            conn.execute(term.insert(), terms)
        last_id = rows[-1][0]


def upgrade():
    op.create_table('client_search_term',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=120).with_variant(sa.String(length=120, collation='C'), 'postgresql'),
              nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_search_term_client_id_client'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'term', name=op.f('pk_client_search_term'))
    )
    with op.batch_alter_table('client_search_term', schema=None) as batch_op:
        batch_op.create_index('ix_client_search_term_org_term', ['organization_id', 'term', 'client_id'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone_digits', sa.String(length=40), nullable=False, server_default=''))
    _fill_clients(op.get_bind())
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.alter_column('sort_name', server_default=None)
        batch_op.alter_column('phone_digits', server_default=None)
        batch_op.drop_index('ix_client_org_name')
        batch_op.create_index('ix_client_org_sort_name', ['organization_id', 'sort_name', 'id'], unique=False)

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_message_id', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE conversation SET last_message_id = COALESCE("
               "(SELECT max(message.id) FROM message WHERE message.conversation_id = conversation.id), 0)")
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.alter_column('last_message_id', server_default=None)

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_sender_staff', ['sender_staff_id', 'conversation_id'], unique=False)

    with op.batch_alter_table('conversation_read_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('took_part', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Staff who sent a message to a conversation: a read marker flagged took_part (the inbox scope reads it).
    op.execute("INSERT INTO conversation_read_state (conversation_id, reader_kind, reader_id, last_read_message_id, "
               "took_part) SELECT DISTINCT m.conversation_id, 'staff', m.sender_staff_id, 0, false FROM message m "
               "WHERE m.sender_staff_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM conversation_read_state r WHERE "
               "r.conversation_id = m.conversation_id AND r.reader_kind = 'staff' AND r.reader_id = m.sender_staff_id)")
    op.execute("UPDATE conversation_read_state SET took_part = true WHERE reader_kind = 'staff' AND EXISTS "
               "(SELECT 1 FROM message m WHERE m.conversation_id = conversation_read_state.conversation_id "
               "AND m.sender_staff_id = conversation_read_state.reader_id)")
    with op.batch_alter_table('conversation_read_state', schema=None) as batch_op:
        batch_op.alter_column('took_part', server_default=None)

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_pending_review')
        batch_op.create_index('ix_contact_client_org_occurred', ['client_id', 'organization_id', 'occurred_at'],
                              unique=False)
        batch_op.create_index('ix_contact_needs_review_recent', ['occurred_at', 'id'], unique=False,
                              postgresql_where=sa.text(PENDING_REVIEW_SQL), sqlite_where=sa.text(PENDING_REVIEW_SQL))
        batch_op.create_index('ix_contact_needs_review_client', ['client_id', 'occurred_at'], unique=False,
                              postgresql_where=sa.text(PENDING_REVIEW_SQL), sqlite_where=sa.text(PENDING_REVIEW_SQL))


def downgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_needs_review_client', postgresql_where=sa.text(PENDING_REVIEW_SQL),
                            sqlite_where=sa.text(PENDING_REVIEW_SQL))
        batch_op.drop_index('ix_contact_needs_review_recent', postgresql_where=sa.text(PENDING_REVIEW_SQL),
                            sqlite_where=sa.text(PENDING_REVIEW_SQL))
        batch_op.drop_index('ix_contact_client_org_occurred')
        batch_op.create_index('ix_contact_pending_review', ['source', 'reviewed_at'], unique=False)

    with op.batch_alter_table('conversation_read_state', schema=None) as batch_op:
        batch_op.drop_column('took_part')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_sender_staff')

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('last_message_id')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index('ix_client_org_sort_name')
        batch_op.create_index('ix_client_org_name', ['organization_id', 'last_name', 'first_name'], unique=False)
        batch_op.drop_column('phone_digits')
        batch_op.drop_column('sort_name')

    with op.batch_alter_table('client_search_term', schema=None) as batch_op:
        batch_op.drop_index('ix_client_search_term_org_term')
    op.drop_table('client_search_term')
