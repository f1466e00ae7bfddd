"""Portal messages: the acted-for client's conversations only, per-representative visibility, reading,
replying, writing to the care team, module switch, bad input in the visitor's language, bounded queries."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.messaging import core, unread
from portal_app.messaging.models import Conversation, ConversationRecipient, Message
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.models import HiddenItem
from tests import factories
from tests.factories import care_team
from tests import factories as pf
from tests.conftest import csrf_token
from tests.sites.portal.helpers import portal_login, portal_post
from tests.sql import count_statements
from tests.test_i18n import spanish  # noqa: F401  (the compiled Spanish catalogue)


@pytest.fixture
def family():
    """A mother acting for Amy and Ben, a father acting for Amy; Carla (Amy) and Diego (Ben) use messaging."""
    agency = factories.agency(phone="541-555-0100", address="1 Main St")
    amy = pf.client(agency, first_name="Amy", last_name="Alvarez")
    ben = pf.client(agency, first_name="Ben", last_name="Alvarez")
    carla = factories.user(agency, first_name="Carla", last_name="Amycase", email="carla@agency.test",
                           perm_messaging=True)
    diego = factories.user(agency, first_name="Diego", last_name="Bencase", perm_messaging=True)
    care_team(amy, carla)
    care_team(ben, diego)
    mother, father = pf.account("mother"), pf.account("father")
    return {"agency": agency, "amy": amy, "ben": ben, "carla": carla, "diego": diego,
            "mother_amy": pf.access(mother, amy, label="mother"), "mother_ben": pf.access(mother, ben, label="mother"),
            "father_amy": pf.access(father, amy, label="father")}


def conversation(staff, client, subject, *, to=(), body="<p>Hello <strong>there</strong></p>") -> Conversation:
    row = Conversation(client=client, staff=staff, subject=subject, audience_all=not to)
    row.recipients.extend(ConversationRecipient(account_id=access.account_id) for access in to)
    db.session.add(row)
    db.session.flush()
    core.append_message(row, body, staff=staff)
    return row


def page(client, url: str = "/portal/messages") -> str:
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)


def switch_to(client, client_id):
    return portal_post(client, "/portal/acting-for", {"client_id": client_id}, token_from="/portal/switch")


def reply(client, conv_id, body):
    return portal_post(client, f"/portal/messages/{conv_id}", {"body": body}, token_from="/portal/messages/new")


def test_list_shows_the_acted_for_clients_conversations_and_follows_the_switch(client, family):
    f = family
    conversation(f["carla"], f["amy"], "Amy's appointment")
    conversation(f["diego"], f["ben"], "Ben's school form")
    portal_login(client, "mother")
    html = page(client)
    assert "Amy&#39;s appointment" in html and "Carla Amycase" in html and "Ben&#39;s school form" not in html
    assert 'href="/portal/messages/new"' in html and "Write to your care team" in html
    switch_to(client, f["ben"].id)
    html = page(client)
    assert "Ben&#39;s school form" in html and "Diego Bencase" in html and "Amy&#39;s appointment" not in html


def test_representative_sees_only_what_is_addressed_to_them_and_not_hidden(client, family):
    f = family
    conversation(f["carla"], f["amy"], "To all of Amy's people")
    conversation(f["carla"], f["amy"], "Mother only", to=[f["mother_amy"]])
    conversation(f["carla"], f["amy"], "Father only", to=[f["father_amy"]])
    hidden = conversation(f["carla"], f["amy"], "Hidden from father")
    db.session.add(HiddenItem(access=f["father_amy"], item_type="conversation", item_id=hidden.id,
                              hidden_by=f["carla"]))
    db.session.flush()
    portal_login(client, "father")
    html = page(client)
    assert "To all of Amy" in html and "Father only" in html
    assert "Mother only" not in html and "Hidden from father" not in html
    assert client.get(f"/portal/messages/{hidden.id}").status_code == 404
    assert reply(client, hidden.id, "Let me in").status_code == 404
    assert db.session.scalar(select(Message).where(Message.conversation_id == hidden.id,
                                                   Message.sender_account_id.is_not(None))) is None


def test_another_familys_conversation_is_404(client, family):
    f = family
    stranger = pf.client(f["agency"], first_name="Stranger")
    theirs = conversation(f["carla"], stranger, "Not yours")
    bens = conversation(f["diego"], f["ben"], "Ben's, while acting for Amy")
    portal_login(client, "mother")
    for conv in (theirs, bens):
        assert client.get(f"/portal/messages/{conv.id}").status_code == 404
        assert reply(client, conv.id, "Hello?").status_code == 404
    assert client.get("/portal/messages/999999").status_code == 404
    assert "Not yours" not in page(client)


def test_opening_marks_read_and_the_unread_marker_goes(client, family):
    f = family
    conv = conversation(f["carla"], f["amy"], "Please call")
    portal_login(client, "mother")
    html = page(client)
    assert 'class="new"' in html and re.search(r'Messages <span class="count">1<', html)
    html = page(client, f"/portal/messages/{conv.id}")
    assert "Hello <strong>there</strong>" in html and "Carla Amycase" in html  # sanitized at write time
    html = page(client)
    assert 'class="new"' not in html and 'class="count"' not in html and ">Messages</a>" in html


def test_the_messages_badge_comes_with_the_accesses_and_follows_the_page_s_own_mark_read(client, family):
    f = family
    first = conversation(f["carla"], f["amy"], "Please call")
    conversation(f["carla"], f["amy"], "Your appointment")
    unread.recount_all()  # the counters known, as the services keep them in a running deployment
    db.session.commit()
    portal_login(client, "mother")
    with count_statements() as statements:
        html = page(client, "/portal/")
    assert re.search(r'Messages <span class="count">2<', html)
    # A read-only page reads each access's kept count in the statement that loads the accesses.
    [badge] = [s for s in statements if "unread_counter" in s]
    assert "FROM client_access" in badge
    # Opening a conversation marks it read in that request: its own page shows the count after the mark-read.
    html = page(client, f"/portal/messages/{first.id}")
    assert re.search(r'Messages <span class="count">1<', html)


def test_reply_is_stored_escaped_shown_escaped_and_emailed_without_text(client, family):
    f = family
    conv = conversation(f["carla"], f["amy"], "Please call")
    portal_login(client, "mother")
    resp = reply(client, conv.id, "<script>alert(1)</script>\n\nCall me after 5")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/portal/messages/{conv.id}"
    stored = db.session.scalar(select(Message).where(Message.sender_account_id == f["mother_amy"].account_id))
    assert stored.body_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>Call me after 5</p>"
    html = page(client, f"/portal/messages/{conv.id}")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Your reply was sent." in html and ">You</strong>" in html
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == "carla@agency.test")).all()
    assert len(mail) == 1
    assert "Call me" not in mail[0].body_text and "script" not in mail[0].body_text and "Amy" not in mail[0].body_text


def test_other_representatives_are_named_by_their_relationship(client, family):
    f = family
    conv = conversation(f["carla"], f["amy"], "Both parents")
    core.append_message(conv, "<p>From dad</p>", account=f["father_amy"].account)
    portal_login(client, "mother")
    html = page(client, f"/portal/messages/{conv.id}")
    assert ">father</strong>" in html and "From dad" in html


def test_only_contactable_staff_are_offered_and_a_forged_choice_is_refused(client, family):
    f = family
    quiet = factories.user(f["agency"], first_name="Quinn", last_name="Quiet", perm_messaging=True,
                           allow_client_contact=False)
    care_team(f["amy"], quiet)
    portal_login(client, "mother")
    html = page(client, "/portal/messages/new")
    assert f'value="{f["carla"].id}"' in html and "Carla Amycase" in html
    assert "Quinn Quiet" not in html and f'value="{quiet.id}"' not in html
    for forged in (quiet.id, f["diego"].id):  # contact off; on another child's care team
        resp = portal_post(client, "/portal/messages/new",
                           {"staff_id": forged, "subject": "Hi", "body": "Hello"}, token_from="/portal/messages/new")
        assert resp.status_code == 422
        assert "does not take messages through the portal" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Conversation).where(Conversation.started_by_account_id.is_not(None))) is None
    resp = portal_post(client, "/portal/messages/new", {"staff_id": f["carla"].id, "subject": "Friday",
                                                        "body": "Can we move it?"}, token_from="/portal/messages/new")
    assert resp.status_code == 302
    started = db.session.scalar(select(Conversation).where(Conversation.started_by_account_id.is_not(None)))
    assert resp.headers["Location"] == f"/portal/messages/{started.id}"
    assert started.staff_id == f["carla"].id and not started.audience_all
    assert "Can we move it?" in page(client, resp.headers["Location"])


def test_with_nobody_contactable_the_page_shows_how_to_reach_the_agency(client, family):
    f = family
    f["carla"].allow_client_contact = False
    db.session.flush()
    portal_login(client, "mother")
    html = page(client, "/portal/messages/new")
    assert "No one on your care team takes messages through the portal" in html
    assert 'href="tel:541-555-0100"' in html and "1 Main St" in html and "<textarea" not in html
    resp = portal_post(client, "/portal/messages/new", {"staff_id": f["carla"].id, "subject": "Hi", "body": "Hello"},
                       token_from="/portal/messages")
    assert resp.status_code == 422


def test_module_off_hides_messages_and_answers_404(client, family):
    f = family
    conv = conversation(f["carla"], f["amy"], "Before the switch")
    f["agency"].module_messaging = False
    db.session.flush()
    portal_login(client, "mother")
    assert 'href="/portal/messages"' not in page(client, "/portal/")
    for url in ("/portal/messages", f"/portal/messages/{conv.id}", "/portal/messages/new"):
        assert client.get(url).status_code == 404
    resp = portal_post(client, f"/portal/messages/{conv.id}", {"body": "Hello"}, token_from="/portal/account")
    assert resp.status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "english", "spanish_text"),
    [
        ({"subject": "Hi", "body": "   "}, "body", "Write a message before sending.",
         "Escriba un mensaje antes de enviarlo."),
        ({"subject": "x" * 201, "body": "Hello"}, "subject", "Use at most 200 characters.",
         "Use como máximo 200 caracteres."),
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.usefixtures("spanish")
def test_bad_input_is_422_beside_the_field_in_the_visitors_language(client, family, data, field, english,
                                                                   spanish_text, language):
    f = family
    portal_login(client, "mother")
    portal_post(client, "/portal/language", {"lang": language, "next": "/portal/messages/new"})
    resp = portal_post(client, "/portal/messages/new", {"staff_id": f["carla"].id, **data},
                       token_from="/portal/messages/new")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    expected = spanish_text if language == "es" else english
    assert f'<p class="error" id="{field}-error">{expected}</p>' in html.replace("&#39;", "'")
    assert db.session.scalar(select(Conversation).where(Conversation.started_by_account_id.is_not(None))) is None


def test_empty_reply_is_422_and_nothing_is_stored(client, family):
    conv = conversation(family["carla"], family["amy"], "Please call")
    portal_login(client, "mother")
    resp = reply(client, conv.id, "  ")
    assert resp.status_code == 422 and 'id="body-error"' in resp.get_data(as_text=True)
    assert db.session.scalar(select(Message).where(Message.sender_account_id.is_not(None))) is None


def _messages(f, conversations: int, per_conversation: int) -> None:
    for n in range(conversations):
        conv = Conversation(client=f["amy"], staff=f["carla"], subject=f"Subject {n}")
        db.session.add(conv)
        db.session.flush()
        db.session.add_all(Message(conversation_id=conv.id, sender_staff_id=f["carla"].id, body_html=f"<p>{i}</p>")
                           for i in range(per_conversation))
    db.session.flush()


def test_list_page_queries_do_not_grow_with_messages(client, family):
    """P3: 10 messages in 2 conversations, then 1,000 messages in 40: the same statements."""
    f = family
    portal_login(client, "mother")
    _messages(f, 2, 5)
    with count_statements() as few:
        page(client)
    _messages(f, 38, 25)
    with count_statements() as many:
        html = page(client)
    assert html.count('class="new"') == 25  # the newest 25 of 40; "Older conversations" for the rest
    assert 'href="/portal/messages?page=2"' in html
    assert len(few) == len(many), (few, many)


def _thread_items(html: str) -> list[str]:
    return re.findall(r'<li class="msg[^"]*">.*?</li>', html, re.S)


def test_a_sender_hidden_from_the_reader_is_not_named_and_only_own_messages_look_own(client, family):
    """The mother's access is hidden from the father: her message never says "mother" to him (defect 1)."""
    f = family
    conv = conversation(f["carla"], f["amy"], "To all of Amy's people")
    core.append_message(conv, "<p>From the mother</p>", account=f["mother_amy"].account)
    core.append_message(conv, "<p>From the father</p>", account=f["father_amy"].account)
    db.session.add(HiddenItem(access=f["father_amy"], item_type="client_access", item_id=f["mother_amy"].id,
                              hidden_by=f["carla"]))
    db.session.flush()
    portal_login(client, "father")
    staff_msg, mothers, fathers = _thread_items(page(client, f"/portal/messages/{conv.id}"))
    assert "mother" not in mothers.replace("From the mother", "") and "Someone else" in mothers
    assert "mine" not in staff_msg and "mine" not in mothers
    assert 'class="msg mine"' in fathers and "You" in fathers
    client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/account")})
    portal_login(client, "mother")
    staff_msg, mothers, fathers = _thread_items(page(client, f"/portal/messages/{conv.id}"))
    assert 'class="msg mine"' in mothers and "mine" not in fathers and "father" in fathers


def test_a_revoked_sender_is_not_named(client, family):
    f = family
    conv = conversation(f["carla"], f["amy"], "To all of Amy's people")
    core.append_message(conv, "<p>Old note</p>", account=f["mother_amy"].account)
    f["mother_amy"].revoked_at = f["mother_amy"].granted_at
    db.session.flush()
    portal_login(client, "father")
    _staff, mothers = _thread_items(page(client, f"/portal/messages/{conv.id}"))
    assert "Someone else" in mothers and "mother" not in mothers.replace("Old note", "")
