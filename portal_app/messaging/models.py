"""Conversation, its audience, Message (never deleted), per-reader read state, MassSend jobs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..clients.models import Client
from ..clock import utcnow
from ..db_types import UTCDateTime
from ..extensions import db
from ..portal_access.models import PortalAccount

# The HiddenItem item_type of a conversation (per-representative visibility).
ITEM_TYPE = "conversation"


class Conversation(db.Model):
    """A thread about one client between agency staff and the portal accounts it is addressed to."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    # Staff member the portal side writes to (the starter, or the care-team member a client chose).
    staff_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    started_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    audience_all: Mapped[bool] = mapped_column(default=True)  # every account acting for the client
    mass_send_id: Mapped[int | None] = mapped_column(ForeignKey("mass_send.id"), default=None, index=True)
    # A PORTAL Inbox item (messaging.items): what the client did that the staff member must know of, and what it
    # is about ("request" -> portal_request, "roi" -> release_of_information, "document" -> document); "" for a
    # conversation. Items reach the staff member they are addressed to, Messaging permission or not.
    item_kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    item_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Kept with every new message (core.append_message, same transaction): "unread" compares it with a
    # reader's ReadState.last_read_message_id, no max(message.id) per conversation (P6).
    last_message_id: Mapped[int] = mapped_column(default=0)

    client: Mapped[Client] = relationship()
    staff: Mapped[User] = relationship()
    recipients: Mapped[list[ConversationRecipient]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )


class ConversationRecipient(db.Model):
    """A chosen account when the conversation is not addressed to every account of the client."""

    __tablename__ = "conversation_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("portal_account.id"), index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="recipients")
    account: Mapped[PortalAccount] = relationship()

    __table_args__ = (UniqueConstraint(conversation_id, account_id, name="uq_conversation_recipient"),)


class Message(db.Model):
    """One message; its body is sanitized HTML (S9). Messages are never deleted: corrections are new ones."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    sender_staff_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    sender_account_id: Mapped[int | None] = mapped_column(ForeignKey("portal_account.id"), default=None)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender_staff: Mapped[User | None] = relationship()
    sender_account: Mapped[PortalAccount | None] = relationship()

    __table_args__ = (
        Index("ix_message_conversation_id_id", conversation_id, "id"),
        Index("ix_message_sender_staff", sender_staff_id, conversation_id),  # "took part" in the inbox scope
    )

    @property
    def from_portal(self) -> bool:
        return self.sender_account_id is not None


@event.listens_for(Message, "after_insert")
def _move_conversation_on(mapper, connection, message: Message) -> None:
    """Every new message, however it is added, becomes its conversation's last one (same transaction)."""
    connection.execute(
        update(Conversation)
        .where(Conversation.id == message.conversation_id, Conversation.last_message_id < message.id)
        .values(last_message_id=message.id, last_message_at=message.created_at)
    )
    conversation = message.__dict__.get("conversation")
    if conversation is not None and (conversation.last_message_id or 0) < message.id:
        set_committed_value(conversation, "last_message_id", message.id)
        set_committed_value(conversation, "last_message_at", message.created_at)


class ReadState(db.Model):
    """What one reader (a staff user or a portal account) has read of a conversation, and when they
    were last notified of it by email (at most one notification per conversation per hour)."""

    __tablename__ = "conversation_read_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    reader_kind: Mapped[str] = mapped_column(String(8))  # "staff" | "portal"
    reader_id: Mapped[int] = mapped_column()
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    took_part: Mapped[bool] = mapped_column(default=False)  # a staff reader who sent a message here (inbox scope)
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (
        UniqueConstraint(conversation_id, reader_kind, reader_id, name="uq_read_state_reader"),
        Index("ix_read_state_reader", reader_kind, reader_id),
        # A case manager's conversations taken part in (scope_plan.py), without reading all they have read.
        Index("ix_read_state_took_part", reader_kind, reader_id, postgresql_where=took_part.is_(True),
              sqlite_where=took_part.is_(True)),
    )


class MassSend(db.Model):
    """One message to many clients, delivered by the worker outside the request (P5)."""

    __tablename__ = "mass_send"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    body_html: Mapped[str] = mapped_column(Text)
    client_ids: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)  # queued|running|done
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    delivered: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)  # clients without portal access
    # Set when the job sends each client a portal request instead of a message (the requests domain's spec).
    request_spec: Mapped[dict | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    sender: Mapped[User] = relationship()


class UnreadCounter(db.Model):
    """How many conversations of one reader's inbox have a message the reader has not read (the badges).

    Kept in the same transaction as each message and each mark-read (`unread.py`, atomic `n = n + 1`);
    None when not known (after a bulk load or a change of who sees what): counted again on the reader's
    next mark-read, and meanwhile the badge counts the slow way.
    """

    __tablename__ = "unread_counter"

    reader_kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "staff" | "portal"
    # A staff user's id, or a portal ClientAccess id (a portal badge is per client acted for).
    reader_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    conversations: Mapped[int | None] = mapped_column(default=None)


class AwaitingStaff(db.Model):
    """A conversation waiting for one staff member: its last message came from the portal and they have not
    read it (the staff home's "unread from clients", newest first by one index).

    Kept with UnreadCounter, in the same transactions (`unread.py`): a portal message adds a row for every
    staff member whose inbox holds the conversation, a staff message removes the conversation's rows, a
    mark-read removes the reader's. A staff member's rows are complete while their counter is known; when it
    is not (a change of who sees what), the home looks the slow way and the next mark-read rebuilds them.
    """

    __tablename__ = "awaiting_staff"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_awaiting_staff_newest", user_id, last_message_at, conversation_id),)
