"""Messaging test helpers: a family on the portal, staff with the Messaging permission, bulk rows for P3."""
from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import insert

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.messaging import core, unread
from portal_app.messaging.models import Conversation, Message
from portal_app.messaging.sanitize import ALLOWED_TAGS
from tests import factories as sf
from tests import factories as pf


def allow_messaging(*users) -> None:
    for user in users:
        user.perm_messaging = True
    db.session.flush()


def family(agency, care_team_member=None, first_name: str = "Odalys"):
    """A client with their own account and a mother acting for them; (client, self access, mother access)."""
    client = sf.client(agency, first_name=first_name)
    own = pf.access(pf.account(), client, "self")
    mother = pf.access(pf.account(), client, "representative", "mother")
    if care_team_member is not None:
        sf.care_team(client, care_team_member)
    return client, own, mother


def bulk_conversations(client, staff, n: int, portal_account_id: int | None = None) -> list[int]:
    """`n` conversations of one message each, written with two bulk INSERTs (fast at 1,000)."""
    start = utcnow() - timedelta(days=1)
    ids = list(db.session.scalars(insert(Conversation).returning(Conversation.id), [
        {"client_id": client.id, "staff_id": staff.id, "subject": f"Topic {i}", "audience_all": True,
         "created_at": start, "last_message_at": start + timedelta(seconds=i)} for i in range(n)]))
    db.session.execute(insert(Message), [
        {"conversation_id": cid, "body_html": f"<p>Message {i}</p>", "created_at": start + timedelta(seconds=i),
         "sender_staff_id": None if portal_account_id else staff.id, "sender_account_id": portal_account_id}
        for i, cid in enumerate(ids)])
    core.catch_up_last_messages(ids)  # bulk inserts skip the model's event
    unread.recount_all()  # and the badges' counters, as the services would have kept them
    return ids


def bulk_messages(conversation, staff, n: int, portal_account_id: int) -> None:
    """`n` messages alternating between the staff member and a portal account, in one bulk INSERT."""
    start = utcnow() - timedelta(days=1)
    db.session.execute(insert(Message), [
        {"conversation_id": conversation.id, "body_html": f"<p>Line {i}</p>", "created_at": start + timedelta(seconds=i),
         "sender_staff_id": None if i % 2 else staff.id, "sender_account_id": portal_account_id if i % 2 else None}
        for i in range(n)])
    core.catch_up_last_messages([conversation.id])
    unread.recount_all()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(body: str) -> None:
    """Nothing executable: only allowlisted tags, no attribute at all, no script, no javascript: URL."""
    parser = _Tags()
    parser.feed(body)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, body)
        assert attrs == [], (tag, attrs, body)
    lowered = body.lower()
    for needle in ("<script", "<svg", "<img", "<a ", "<iframe", "<style", "<math"):
        assert needle not in lowered, (needle, body)  # escaped text reads "&lt;script": only real tags match
    markup = " ".join(re.findall(r"<[^>]*>", lowered))  # words in text are harmless; inside a tag they are not
    for needle in (" on", "hx-", "style=", "javascript:", "data:", "href", "src"):
        assert needle not in markup, (needle, body)
