"""Long conversations in pages: the newest messages first, "Earlier messages" loads the ones before (P6)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..accounts.models import User
from ..portal_access.models import PortalAccount
from .models import Conversation, Message

MESSAGES_PER_PAGE = 20


@dataclass(frozen=True)
class MessagePage:
    """Messages oldest first; `earlier` is the id to pass as ?before= for the page before, None at the start."""

    messages: list[Message]
    earlier: int | None
    before: int | None  # the page was asked for messages before this id (None: the newest)

    def __iter__(self):
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)


@cache
def _page_statement(per_page: int, earlier: bool) -> Select:
    """A page of messages, built once per process (bound per request): the newest, or those before an id."""
    stmt = (select(Message).where(Message.conversation_id == bindparam("conversation_id"))
            .options(joinedload(Message.sender_staff).load_only(User.first_name, User.last_name),
                     joinedload(Message.sender_account).load_only(PortalAccount.username))
            .order_by(Message.id.desc()).limit(per_page + 1))
    return stmt.where(Message.id < bindparam("before")) if earlier else stmt


def message_page(conversation: Conversation, before: int | None = None,
                 per_page: int = MESSAGES_PER_PAGE) -> MessagePage:
    """One page of the conversation, found by the index (conversation_id, id): one query whatever its length."""
    params = {"conversation_id": conversation.id}
    if before is not None:
        params["before"] = before
    rows = list(db.session.scalars(_page_statement(per_page, before is not None), params))
    shown = rows[:per_page][::-1]
    return MessagePage(shown, shown[0].id if len(rows) > per_page else None, before)


def before_arg(value: str | None) -> int | None:
    """?before= as a message id; junk or out of range means "the newest"."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**62 else None
