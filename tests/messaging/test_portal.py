"""The portal's side of messaging: who sees which conversation, read state, replies, starting a conversation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.messaging import core, portal_queries, portal_services
from portal_app.messaging.models import Conversation, ConversationRecipient
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.models import HiddenItem
from tests import factories
from tests.factories import care_team
from tests import factories as pf


@pytest.fixture
def family(case_manager):
    """A child with a mother and a father acting for them; the case manager uses messaging."""
    case_manager.perm_messaging = True
    child = pf.client(case_manager.organization)
    care_team(child, case_manager)
    mother, father = pf.account("mum", email="mum@family.test"), pf.account("dad", email="dad@family.test")
    return {"child": child, "mother": pf.access(mother, child, label="mother"),
            "father": pf.access(father, child, label="father"), "staff": case_manager}


def conversation(staff, client, subject="Appointments", audience_all=True, to=()) -> Conversation:
    row = Conversation(client=client, staff=staff, subject=subject, audience_all=audience_all)
    row.recipients.extend(ConversationRecipient(account_id=access.account_id) for access in to)
    db.session.add(row)
    db.session.flush()
    core.append_message(row, f"<p>{subject}</p>", staff=staff)
    return row


def subjects(access) -> list[str]:
    return [row.conversation.subject for row in portal_queries.conversations_for(access)]


def test_representative_sees_all_and_own_never_the_other_parents_or_hidden(family):
    f = family
    conversation(f["staff"], f["child"], "To everyone")
    conversation(f["staff"], f["child"], "To mother", audience_all=False, to=[f["mother"]])
    conversation(f["staff"], f["child"], "To father", audience_all=False, to=[f["father"]])
    hidden = conversation(f["staff"], f["child"], "Hidden from father")
    db.session.add(HiddenItem(access=f["father"], item_type="conversation", item_id=hidden.id, hidden_by=f["staff"]))
    db.session.flush()
    assert sorted(subjects(f["mother"])) == ["Hidden from father", "To everyone", "To mother"]
    assert sorted(subjects(f["father"])) == ["To everyone", "To father"]
    assert portal_queries.conversation_for(f["father"], hidden.id) is None
    assert portal_queries.conversation_for(f["mother"], hidden.id) is not None


def test_other_clients_conversations_are_never_listed(family):
    f = family
    other = pf.client(f["staff"].organization)
    theirs = conversation(f["staff"], other, "Someone else")
    assert "Someone else" not in subjects(f["mother"])
    assert portal_queries.conversation_for(f["mother"], theirs.id) is None


def test_newest_first_and_unread_until_marked_read(family, frozen_clock):
    from datetime import timedelta

    f = family
    old = conversation(f["staff"], f["child"], "Old")
    frozen_clock.advance(timedelta(minutes=5))
    conversation(f["staff"], f["child"], "New")
    rows = portal_queries.conversations_for(f["mother"])
    assert [(r.conversation.subject, r.unread) for r in rows] == [("New", True), ("Old", True)]
    assert portal_queries.unread_count(f["mother"]) == 2
    portal_services.mark_read_by_portal(f["mother"], old)
    assert [r.unread for r in portal_queries.conversations_for(f["mother"])] == [True, False]
    assert portal_queries.unread_count(f["mother"]) == 1 and portal_queries.unread_count(f["father"]) == 2


def test_reply_is_escaped_paragraphs_and_notifies_the_staff_member(family):
    f = family
    conv = conversation(f["staff"], f["child"])
    message = portal_services.reply_as_portal(f["mother"], conv, "<script>alert(1)</script>\n\nThanks")
    assert message.body_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>Thanks</p>"
    assert message.sender_account_id == f["mother"].account_id
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == f["staff"].email)).all()
    assert len(mail) == 1 and "Thanks" not in mail[0].body_text and "script" not in mail[0].body_text
    assert portal_queries.conversations_for(f["mother"])[0].unread is False  # the sender has read their own reply


def test_empty_reply_is_refused(family):
    conv = conversation(family["staff"], family["child"])
    with pytest.raises(core.EmptyMessage):
        portal_services.reply_as_portal(family["mother"], conv, "  \n\n ")


def test_contactable_staff_needs_contact_on_permission_and_enabled(family):
    f = family
    agency = f["staff"].organization
    off = factories.user(agency, perm_messaging=True, allow_client_contact=False)
    no_perm = factories.user(agency)
    disabled = factories.user(agency, perm_messaging=True, enabled=False)
    not_on_team = factories.user(agency, perm_messaging=True)
    for person in (off, no_perm, disabled):
        care_team(f["child"], person)
    assert [m.user for m in portal_queries.contactable_staff(f["mother"])] == [f["staff"]]
    for person in (off, no_perm, disabled, not_on_team):
        with pytest.raises(portal_services.ClientContactOff) as refused:
            portal_services.start_conversation_from_portal(f["mother"], person.id, "Hello", "Hi")
        assert refused.value.status == 422 and refused.value.field == "staff_id"
    assert db.session.scalar(select(Conversation).where(Conversation.started_by_account_id.is_not(None))) is None


def test_started_conversation_is_addressed_to_the_starter_only(family):
    f = family
    conv = portal_services.start_conversation_from_portal(f["mother"], f["staff"].id, " Question ", "Can we move Friday?")
    assert conv.staff_id == f["staff"].id and conv.started_by_account_id == f["mother"].account_id
    assert conv.subject == "Question" and conv.audience_all is False
    assert [r.account_id for r in conv.recipients] == [f["mother"].account_id]
    assert [m.body_html for m in conv.messages] == ["<p>Can we move Friday?</p>"]
    assert subjects(f["mother"]) == ["Question"] and subjects(f["father"]) == []
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == f["staff"].email)) is not None


def test_overlong_subject_and_module_off_are_refused(family):
    f = family
    with pytest.raises(portal_services.SubjectTooLong):
        portal_services.start_conversation_from_portal(f["mother"], f["staff"].id, "x" * 201, "Hi")
    f["child"].organization.module_messaging = False
    db.session.flush()
    with pytest.raises(portal_services.MessagingOff):
        portal_services.start_conversation_from_portal(f["mother"], f["staff"].id, "Hello", "Hi")
