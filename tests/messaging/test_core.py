"""The core path of every message: sanitized body stored, read state, audience, throttled notifications."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.messaging import core
from portal_app.messaging.models import Conversation, ConversationRecipient, ReadState
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.models import HiddenItem
from tests import factories as pf


@pytest.fixture
def family(case_manager):
    child = pf.client(case_manager.organization)
    mother, father = pf.account("mum", email="mum@family.test"), pf.account("dad", email="dad@family.test")
    return child, pf.access(mother, child, label="mother"), pf.access(father, child, label="father")


def conversation(staff, client, audience_all=True) -> Conversation:
    row = Conversation(client=client, staff=staff, subject="Appointments", audience_all=audience_all)
    db.session.add(row)
    db.session.flush()
    return row


def emails_to(address: str) -> int:
    return len(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == address)).all())


def test_staff_message_reaches_every_account_once_per_hour(case_manager, family, frozen_clock):
    child, mother, father = family
    conv = conversation(case_manager, child)
    core.append_message(conv, "<p>Hello</p>", staff=case_manager)
    core.append_message(conv, "<p>Again</p>", staff=case_manager)
    assert emails_to("mum@family.test") == 1 and emails_to("dad@family.test") == 1
    frozen_clock.advance(timedelta(hours=1, minutes=1))
    core.append_message(conv, "<p>Later</p>", staff=case_manager)
    assert emails_to("mum@family.test") == 2
    body = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == "mum@family.test")).first()
    assert child.first_name not in body.body_text and "Hello" not in body.body_text  # S14


def test_hidden_and_unchosen_accounts_are_not_readers(case_manager, family):
    child, mother, father = family
    conv = conversation(case_manager, child)
    db.session.add(HiddenItem(access=father, item_type="conversation", item_id=conv.id, hidden_by=case_manager))
    db.session.flush()
    assert [a.username for a in core.portal_readers(conv)] == ["mum"]
    chosen = conversation(case_manager, child, audience_all=False)
    db.session.add(ConversationRecipient(conversation=chosen, account_id=father.account_id))
    db.session.flush()
    assert [a.username for a in core.portal_readers(chosen)] == ["dad"]


def test_portal_reply_notifies_the_staff_member_and_marks_sender_read(case_manager, family):
    child, mother, _ = family
    conv = conversation(case_manager, child)
    first = core.append_message(conv, "<p>Hi</p>", staff=case_manager)
    reply = core.append_message(conv, "<p>Thanks</p>", account=mother.account)
    assert emails_to(case_manager.email) == 1
    states = {(s.reader_kind, s.reader_id): s.last_read_message_id for s in db.session.scalars(select(ReadState))}
    assert states[("staff", case_manager.id)] == first.id and states[("portal", mother.account_id)] == reply.id


@pytest.mark.parametrize("body", ["", "<p> </p>", "<p><br></p>"])
def test_empty_messages_are_refused(case_manager, family, body):
    with pytest.raises(core.EmptyMessage):
        core.append_message(conversation(case_manager, family[0]), body, staff=case_manager)


def test_staff_can_hide_a_conversation_from_one_representative(case_manager, family):
    """The Client Portal Manager lists conversations as hideable items; hiding one removes a reader."""
    from portal_app.portal_access import hiding
    from portal_app.portal_access.visibility import hideable_items

    child, mother, father = family
    conv = conversation(case_manager, child)
    assert ("conversation", conv.id) in {(kind, item) for kind, item, _ in hideable_items(child, father)}
    hiding.hide_item(case_manager, father, "conversation", conv.id)
    assert [a.username for a in core.portal_readers(conv)] == ["mum"]
