"""Unread counters: each reader's badge is one row, kept in the same transaction as the change (P6).

A reader is a staff user (their inbox) or a portal ClientAccess (an account acting for one client).
`UnreadCounter.conversations` counts the conversations in the reader's scope whose last message is newer
than what the reader read. It moves only on transitions, with atomic `n = n + 1` / `n - 1` UPDATEs:

* a new message: +1 for every reader in scope who had read the conversation to its previous end;
* a mark-read: -1 when the reader had not read the conversation to its end.

Both first lock the conversation's row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite writers already
run one at a time), so two sends, or a send and a read, of one conversation never judge from the same
stale state. A change of who sees what (care team, role, hidden items, a new access) or a bulk load sets
the count to None ("not known"): the badge then counts the slow, exact way, and the reader's next
mark-read counts again under the row's lock.

The same transitions keep `AwaitingStaff`, the staff home's "unread from clients" (a portal message: a row
for every staff member in scope; a staff message: none for the conversation; a mark-read: not the reader's),
after the counters, so a recount holding a reader's counter finishes before a send touches their rows.
"""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import ColumnElement, ScalarSelect, bindparam, delete, event, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..accounts.models import Role, User
from ..clients.models import CareTeamMember, Client
from ..extensions import db
from ..portal_access.models import ClientAccess, HiddenItem
from ..transactions import read_only_request
from .models import ITEM_TYPE, AwaitingStaff, Conversation, ConversationRecipient, ReadState, UnreadCounter

STAFF, PORTAL = "staff", "portal"


# Built once: every signed-in page reads its badge, and building the statement cost twice running it.
_COUNTERS = UnreadCounter.__table__
_KNOWN = select(_COUNTERS.c.conversations).where(_COUNTERS.c.reader_kind == bindparam("kind"),
                                                 _COUNTERS.c.reader_id == bindparam("reader_id"))


def kept_badge_column(kind: str, reader_id: ColumnElement[int]) -> ScalarSelect:
    """A reader's kept count as a column of the statement that loads the signed-in person at the start of
    every request: the staff user (users_loader) or the portal account's accesses (resolve_acting_for)."""
    return (select(_COUNTERS.c.conversations)
            .where(_COUNTERS.c.reader_kind == kind, _COUNTERS.c.reader_id == reader_id).scalar_subquery())


def loaded_with_reader(kind: str, reader_id: int, count: int | None) -> None:
    """Keep a count read with the signed-in person for this request (see `known`)."""
    if has_request_context():
        g.setdefault("_caseport_loaded_badges", {})[kind, reader_id] = count


def known(kind: str, reader_id: int) -> int | None:
    """The reader's count when it is known (one primary-key lookup), else None.

    The signed-in reader's count was read with them at the start of the request; a read-only request
    changes no counter, so it answers from that (every page's badge, one statement less). A request that
    writes reads the row again: its own message or mark-read may have moved the count since."""
    if has_request_context() and read_only_request():
        loaded = g.get("_caseport_loaded_badges")
        if loaded is not None and (kind, reader_id) in loaded:
            return loaded[kind, reader_id]
    return db.session.scalar(_KNOWN, {"kind": kind, "reader_id": reader_id})


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


def _add(kind: str, reader_id: int, delta: int) -> None:
    """`conversations = conversations + delta`, atomically; a missing row is created as "not known"."""
    values = {"reader_kind": kind, "reader_id": reader_id, "conversations": None}
    stmt = _insert(UnreadCounter).values(values)
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=[UnreadCounter.reader_kind, UnreadCounter.reader_id],
        set_={"conversations": UnreadCounter.conversations + delta}))


def lock_conversation(conversation: Conversation) -> int:
    """Lock the conversation's row until the commit and return its last message id (the state to judge from)."""
    return db.session.scalar(select(Conversation.last_message_id).where(Conversation.id == conversation.id)
                             .with_for_update()) or 0


def staff_in_scope(conversation: Conversation) -> set[int]:
    """Staff users whose inbox holds the conversation: supervisors and admins of the client's agency, and case
    managers with the client on their caseload, assigned the conversation, or who took part in it."""
    on_caseload = select(CareTeamMember.user_id).where(CareTeamMember.client_id == conversation.client_id)
    took_part = select(ReadState.reader_id).where(ReadState.conversation_id == conversation.id,
                                                  ReadState.reader_kind == STAFF, ReadState.took_part.is_(True))
    agency = select(Client.organization_id).where(Client.id == conversation.client_id).scalar_subquery()
    return set(db.session.scalars(select(User.id).where(
        User.organization_id == agency,
        or_(User.role != Role.CASE_MANAGER.value, User.id.in_(on_caseload), User.id == conversation.staff_id,
            User.id.in_(took_part)))))


def portal_in_scope(conversation: Conversation) -> dict[int, int]:
    """access id -> account id of the active accesses that see the conversation (audience, not hidden)."""
    stmt = select(ClientAccess.id, ClientAccess.account_id).where(
        ClientAccess.client_id == conversation.client_id, ClientAccess.revoked_at.is_(None),
        ~exists(select(HiddenItem.id).where(HiddenItem.access_id == ClientAccess.id,
                                            HiddenItem.item_type == ITEM_TYPE, HiddenItem.item_id == conversation.id)))
    if not conversation.audience_all:
        stmt = stmt.where(ClientAccess.account_id.in_(select(ConversationRecipient.account_id).where(
            ConversationRecipient.conversation_id == conversation.id)))
    return dict(db.session.execute(stmt).all())


def _read_upto(conversation_id: int, kind: str, reader_ids) -> dict[int, int]:
    if not reader_ids:
        return {}
    return dict(db.session.execute(select(ReadState.reader_id, ReadState.last_read_message_id).where(
        ReadState.conversation_id == conversation_id, ReadState.reader_kind == kind,
        ReadState.reader_id.in_(sorted(reader_ids)))).all())


def message_added(conversation: Conversation, previous_last: int, staff_sender: int | None = None,
                  portal_sender: int | None = None) -> None:
    """A message was added after `previous_last` (read under the lock): +1 for each reader in scope who had
    read up to there. A staff sender not in scope before counts as having read it (they will, at once).
    From the portal (`portal_sender`, an account), the conversation now waits for every staff member in
    scope; from staff, for nobody.

    The sender's own counters are moved next, by their mark-read: they are locked here too, in the one
    order of every counter a send touches (kind, then id). Locked there instead, after the others, two
    sends could each hold what the other waits for (PostgreSQL then aborts one: a deadlock)."""
    staff = staff_in_scope(conversation)
    staff_read = _read_upto(conversation.id, STAFF, staff)
    portal = portal_in_scope(conversation)
    portal_read = _read_upto(conversation.id, PORTAL, set(portal.values()))
    keys = {(STAFF, uid) for uid in staff if staff_read.get(uid, 0) >= previous_last}
    if staff_sender is not None and staff_sender not in staff:
        keys.add((STAFF, staff_sender))
    keys |= {(PORTAL, aid) for aid, account in portal.items() if portal_read.get(account, 0) >= previous_last}
    sender = {(STAFF, staff_sender)} if staff_sender is not None else set()
    if portal_sender is not None:
        sender |= {(PORTAL, aid) for aid in _accesses_of(portal_sender, conversation)}
    for kind, reader_id in sorted(keys | sender):  # one order everywhere: no two sends wait in a circle
        _add(kind, reader_id, 1 if (kind, reader_id) in keys else 0)
    if portal_sender is not None:
        _await(conversation, sorted(staff))
    else:
        db.session.execute(delete(AwaitingStaff).where(AwaitingStaff.conversation_id == conversation.id)
                           .execution_options(synchronize_session=False))


def _await(conversation: Conversation, user_ids: list[int]) -> None:
    """The conversation waits for these staff members, as of its last message (one statement)."""
    if not user_ids:
        return
    stmt = _insert(AwaitingStaff).values([{"user_id": uid, "conversation_id": conversation.id,
                                           "last_message_at": conversation.last_message_at} for uid in user_ids])
    db.session.execute(stmt.on_conflict_do_update(index_elements=[AwaitingStaff.user_id, AwaitingStaff.conversation_id],
                                                  set_={"last_message_at": stmt.excluded.last_message_at}))


def _accesses_of(account_id: int, conversation: Conversation) -> list[int]:
    """The account's active accesses to the conversation's client (a portal reader's counters)."""
    return list(db.session.scalars(select(ClientAccess.id).where(
        ClientAccess.account_id == account_id, ClientAccess.client_id == conversation.client_id,
        ClientAccess.revoked_at.is_(None))))


def marked_read(conversation: Conversation, kind: str, reader_id: int, was_unread: bool) -> None:
    """The reader read the conversation to its end (under the lock): -1 if it was unread, and a count not known
    is counted again now."""
    keys = [reader_id] if kind == STAFF else _accesses_of(reader_id, conversation)
    for key in keys:
        if known(kind, key) is None:
            recount(kind, key)
        elif was_unread:
            _add(kind, key, -1)
            if kind == STAFF:
                db.session.execute(delete(AwaitingStaff).where(AwaitingStaff.user_id == key,
                                                               AwaitingStaff.conversation_id == conversation.id)
                                   .execution_options(synchronize_session=False))


def recount(kind: str, reader_id: int) -> int:
    """Count the reader's unread conversations the exact way and keep the result (under the counter's lock)."""
    _add(kind, reader_id, 0)  # creates or locks the row: changes in flight finish first, later ones wait
    if kind == STAFF:
        from .queries import exact_unread_count

        actor = db.session.get(User, reader_id)
        count = exact_unread_count(actor) if actor is not None else 0
        _rebuild_awaiting(actor, reader_id)
    else:
        from .portal_queries import exact_unread_count as portal_count

        access = db.session.get(ClientAccess, reader_id)
        count = portal_count(access) if access is not None else 0
    db.session.execute(update(UnreadCounter).where(UnreadCounter.reader_kind == kind,
                                                   UnreadCounter.reader_id == reader_id).values(conversations=count))
    return count


def _rebuild_awaiting(actor: User | None, user_id: int) -> None:
    """The staff member's AwaitingStaff rows again, from their conversations (under their counter's lock)."""
    from .queries import awaiting_rows

    db.session.execute(delete(AwaitingStaff).where(AwaitingStaff.user_id == user_id)
                       .execution_options(synchronize_session=False))
    if actor is not None:
        db.session.execute(_insert(AwaitingStaff).from_select(
            ["user_id", "conversation_id", "last_message_at"], awaiting_rows(actor)))


def forget(kind: str, reader_ids) -> None:
    """Who sees what changed for these readers: their counts are not known until counted again."""
    if reader_ids:
        db.session.execute(update(UnreadCounter).where(UnreadCounter.reader_kind == kind,
                                                       UnreadCounter.reader_id.in_(list(reader_ids)))
                           .values(conversations=None).execution_options(synchronize_session=False))


def forget_all() -> None:
    """After bulk loads that bypass the services: no count is known any more."""
    db.session.execute(delete(UnreadCounter).execution_options(synchronize_session=False))
    db.session.execute(delete(AwaitingStaff).execution_options(synchronize_session=False))


def recount_all() -> int:
    """Count every staff user's and every active access's badge again (CLI, after a bulk load). Readers counted."""
    staff = list(db.session.scalars(select(User.id).where(User.role.in_(
        [Role.ADMIN.value, Role.SUPERVISOR.value, Role.CASE_MANAGER.value])).order_by(User.id)))
    accesses = list(db.session.scalars(select(ClientAccess.id).where(ClientAccess.revoked_at.is_(None))
                                       .order_by(ClientAccess.id)))
    for uid in staff:
        recount(STAFF, uid)
    for aid in accesses:
        recount(PORTAL, aid)
    return len(staff) + len(accesses)


# -- Changes of who sees what, however they are made (services, admin, demo): counts become "not known" --


def _forget_on(connection, kind: str, reader_id: int | None) -> None:
    if reader_id is not None:
        connection.execute(update(UnreadCounter).where(UnreadCounter.reader_kind == kind,
                                                       UnreadCounter.reader_id == reader_id)
                           .values(conversations=None))


@event.listens_for(CareTeamMember, "after_insert")
@event.listens_for(CareTeamMember, "after_delete")
@event.listens_for(CareTeamMember, "after_update")
def _care_team_changed(mapper, connection, member: CareTeamMember) -> None:
    _forget_on(connection, STAFF, member.user_id)


@event.listens_for(User, "after_update")
def _staff_scope_changed(mapper, connection, user: User) -> None:
    state = db.inspect(user)
    if state.attrs.role.history.has_changes() or state.attrs.organization_id.history.has_changes():
        _forget_on(connection, STAFF, user.id)


@event.listens_for(HiddenItem, "after_insert")
@event.listens_for(HiddenItem, "after_delete")
def _hidden_changed(mapper, connection, row: HiddenItem) -> None:
    if row.item_type == ITEM_TYPE:
        _forget_on(connection, PORTAL, row.access_id)


@event.listens_for(Conversation, "after_update")
def _conversation_moved(mapper, connection, conversation: Conversation) -> None:
    """A conversation given to another staff member or client changes two inboxes: every count is re-learnt."""
    state = db.inspect(conversation)
    if state.attrs.staff_id.history.has_changes() or state.attrs.client_id.history.has_changes():
        connection.execute(update(UnreadCounter).values(conversations=None))

