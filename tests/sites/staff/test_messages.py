"""Messaging on the staff site: Send Message, the composer and S9, Inbox, Send Response, mass sending, My Info."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from portal_app import worker
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.messaging import services
from portal_app.messaging.models import Conversation, MassSend, Message
from portal_app.outbox import OutboxEmail
from tests import factories
from tests.conftest import csrf_token
from tests.messaging.helpers import (
    allow_messaging,
    assert_inert,
    bulk_conversations,
    bulk_messages,
    family,
)
from tests import factories as sf


def html(resp) -> str:
    return resp.get_data(as_text=True)


def post(http, url: str, data: dict | None = None, **kw):
    return http.post(url, data={**(data or {}), "csrf_token": csrf_token(http, "/staff/account")}, **kw)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def message_bodies(page: str) -> list[str]:
    return re.findall(r'<div class="message-body">(.*?)</div>\s*</li>', page, re.DOTALL)


@pytest.fixture
def setup(people):
    """Staff with the Messaging permission; a client on the case manager's care team with two accounts (committed)."""
    allow_messaging(people["admin"], people["supervisor"], people["case_manager"])
    client, own, mother = family(people["admin"].organization, care_team_member=people["case_manager"])
    db.session.commit()
    return {**people, "client": client, "own": own, "mother": mother}


@pytest.fixture
def cm_http(client, auth, setup):
    assert auth.login(setup["case_manager"]).status_code == 302
    return client


def send(http, client_id: int, body: str = "", *, rich: bool = False, subject: str = "Visit", **extra):
    data = {"subject": subject, "audience": "all", **extra}
    data.update({"body_html": body, "rich": "1"} if rich else {"body": body})
    return post(http, f"/staff/clients/{client_id}/messages/new", data)


# -- Entry points and permissions --------------------------------------------------------------


@pytest.mark.parametrize("switch_off", ["permission", "module"])
def test_without_messaging_buttons_are_hidden_and_endpoints_403(client, auth, setup, switch_off):
    cm = setup["case_manager"]
    if switch_off == "permission":
        cm.perm_messaging = False
    else:
        cm.organization.module_messaging = False
    db.session.commit()
    assert auth.login(cm).status_code == 302
    cid = setup["client"].id
    page = html(client.get(f"/staff/clients/{cid}"))
    assert "messages/new" not in page and 'href="/staff/messages"' not in page
    for url in (f"/staff/clients/{cid}/messages/new", "/staff/messages", "/staff/messages/mass"):
        assert client.get(url).status_code == 403
    assert send(client, cid, "Hi").status_code == 403


def test_another_agencys_client_and_conversation_are_404(cm_http, setup):
    other_agency = factories.agency()
    other_staff = factories.user(other_agency, role="supervisor", perm_messaging=True)
    stranger, _, _ = family(other_agency)
    conv = services.start_conversation(other_staff, stranger, subject="x", body_html="<p>x</p>", account_ids=None)
    db.session.commit()
    assert cm_http.get(f"/staff/clients/{stranger.id}/messages/new").status_code == 404
    assert cm_http.get(f"/staff/messages/{conv.id}").status_code == 404
    assert post(cm_http, f"/staff/messages/{conv.id}/reply", {"body": "hi"}).status_code == 404


# -- Composer ----------------------------------------------------------------------------------


def test_composer_page_has_toolbar_textarea_and_accounts(cm_http, setup):
    page = html(cm_http.get(f"/staff/clients/{setup['client'].id}/messages/new"))
    assert "/static/js/composer.js" in page and 'data-cmd="insertOrderedList"' in page
    assert '<textarea' in page and 'name="body_html"' in page and 'name="rich"' in page
    assert "Mother of " in page and "(the client)" in page
    assert "composer.js" not in html(cm_http.get("/staff/messages"))  # only on composer pages


def test_plain_text_without_javascript_becomes_paragraphs(cm_http, setup):
    resp = send(cm_http, setup["client"].id, "Hello <b>there</b>\n\nSecond & last")
    assert resp.status_code == 302
    conv = db.session.scalar(select(Conversation))
    assert resp.headers["Location"].endswith(f"/staff/messages/{conv.id}")
    assert conv.messages[0].body_html == "<p>Hello &lt;b&gt;there&lt;/b&gt;</p><p>Second &amp; last</p>"


def test_chosen_representative_only(cm_http, setup):
    mother = setup["mother"]
    resp = send(cm_http, setup["client"].id, "<p>Only you</p>", rich=True, audience="chosen",
                account_ids=str(mother.account_id))
    assert resp.status_code == 302
    conv = db.session.scalar(select(Conversation))
    assert not conv.audience_all and [r.account_id for r in conv.recipients] == [mother.account_id]


@pytest.mark.parametrize(("data", "message"), [
    ({"body": ""}, "Write a message before sending."),
    ({"body": "x", "subject": ""}, "Enter a subject."),
    ({"body": "x", "audience": "chosen"}, "Choose one or more of the people"),
    ({"body": "x", "audience": "chosen", "account_ids": "abc"}, "could not be coerced"),
])
def test_bad_input_gets_a_field_message_and_422(cm_http, setup, data, message):
    resp = post(cm_http, f"/staff/clients/{setup['client'].id}/messages/new",
                {"subject": "S", "audience": "all", **data})
    assert resp.status_code == 422 and message in html(resp)
    assert count(Conversation) == 0


def test_client_without_portal_access_is_told_so(cm_http, setup):
    lonely = sf.client(setup["admin"].organization)
    db.session.commit()
    assert "No one can read messages" in html(cm_http.get(f"/staff/clients/{lonely.id}/messages/new"))
    resp = send(cm_http, lonely.id, "Hi")
    assert resp.status_code == 422 and "No one can read messages" in html(resp)


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<p hx-get="/staff/account" hx-trigger="load" hx-post="/x">htmx</p>',
    '<strong style="position:fixed;background:url(javascript:alert(1))">styled</strong>',
    "<svg onload=alert(1)><circle/></svg>",
    "<p>unclosed <em>tags <ol><li>one",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<<img src=x onerror=alert(1)//>',
    '<iframe src="javascript:alert(1)"></iframe><object data="x"></object>',
    '<p onmouseover="alert(1)" class="x" id="y">attrs</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div><form action="/staff/logout"><button>go</button></form></div>',
    "<!--<img src=x onerror=alert(1)>-->",
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_corpus_through_the_composer_leaves_nothing_executable(cm_http, setup, payload):
    body = f"<p><strong>Bold</strong> <em>italic</em></p><ol><li>one</li></ol><ul><li>two</li></ul>{payload}"
    assert send(cm_http, setup["client"].id, body, rich=True).status_code == 302
    conv = db.session.scalar(select(Conversation))
    [rendered] = message_bodies(html(cm_http.get(f"/staff/messages/{conv.id}")))
    assert_inert(rendered)
    for kept in ("<strong>Bold</strong>", "<em>italic</em>", "<ol><li>one</li></ol>", "<ul><li>two</li></ul>"):
        assert kept in rendered


# -- Inbox and conversations -------------------------------------------------------------------


def test_inbox_latest_activity_first_unread_bold_with_count_and_reading(cm_http, setup):
    cm, client = setup["case_manager"], setup["client"]
    older = services.start_conversation(setup["admin"], client, subject="Older", body_html="<p>a</p>",
                                        account_ids=None)
    newer = services.start_conversation(cm, client, subject="Newer", body_html="<p>b</p>", account_ids=None)
    db.session.commit()
    page = html(cm_http.get("/staff/messages"))
    assert page.count("PORTAL") == 2
    assert page.index("Newer") < page.index("Older")  # latest activity first, read or not (issue 10 item 7)
    unread_row = re.search(r'<tr class="unread">(.*?)</tr>', page, re.DOTALL).group(1)
    assert "<strong>Older</strong>" in unread_row and 'badge-count">1<span class="vh"> unread' in unread_row
    assert f'href="/staff/clients/{client.id}"' in unread_row  # the client's name leads to the client
    assert page.count('badge badge-count">1<') == 2  # the row and the nav badge
    cm_http.get(f"/staff/messages/{older.id}")
    page = html(cm_http.get("/staff/messages"))
    assert 'class="unread"' not in page and page.index("Newer") < page.index("Older")
    assert newer.id


def test_every_read_is_audited(cm_http, setup):
    conv = services.start_conversation(setup["admin"], setup["client"], subject="S", body_html="<p>a</p>",
                                       account_ids=None)
    db.session.commit()
    for _ in range(2):
        assert cm_http.get(f"/staff/messages/{conv.id}").status_code == 200
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "conversation.viewed")).all()
    assert len(views) == 2 and {v.actor_id for v in views} == {setup["case_manager"].id}


def test_portal_sender_is_named_with_relationship(cm_http, setup):
    from portal_app.messaging import core

    conv = services.start_conversation(setup["admin"], setup["client"], subject="S", body_html="<p>a</p>",
                                       account_ids=None)
    core.append_message(conv, "<p>Thanks</p>", account=setup["mother"].account)
    db.session.commit()
    page = html(cm_http.get(f"/staff/messages/{conv.id}"))
    assert f"Client portal: Mother of {setup['client'].display_name}" in page  # by who they are, not username
    assert setup["mother"].account.username not in page
    assert page.index("<p>a</p>") < page.index("<p>Thanks</p>")


def test_reply_with_htmx_returns_only_the_new_message(cm_http, setup):
    conv = services.start_conversation(setup["admin"], setup["client"], subject="S", body_html="<p>a</p>",
                                       account_ids=None)
    db.session.commit()
    resp = post(cm_http, f"/staff/messages/{conv.id}/reply", {"body_html": "<p><em>On it</em></p>", "rich": "1"},
                headers={"HX-Request": "true"})
    body = html(resp)
    assert resp.status_code == 200 and "<html" not in body and body.strip().startswith("<li")
    assert "<em>On it</em>" in body and "HX-Request" in resp.headers["Vary"]
    refused = post(cm_http, f"/staff/messages/{conv.id}/reply", {"body": " "}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "<html" not in html(refused) and "Write a message" in html(refused)


def test_reply_without_javascript_redirects_back(cm_http, setup):
    conv = services.start_conversation(setup["admin"], setup["client"], subject="S", body_html="<p>a</p>",
                                       account_ids=None)
    db.session.commit()
    resp = post(cm_http, f"/staff/messages/{conv.id}/reply", {"body": "Plain reply"})
    assert resp.status_code == 302 and f"/staff/messages/{conv.id}#message-" in resp.headers["Location"]
    assert "<p>Plain reply</p>" in html(cm_http.get(resp.headers["Location"]))
    refused = post(cm_http, f"/staff/messages/{conv.id}/reply", {"body": ""})
    assert refused.status_code == 422 and "Write a message before sending." in html(refused)


def test_notification_email_has_no_message_text_or_client_name(cm_http, setup):
    assert send(cm_http, setup["client"].id, "Your appointment moved to Tuesday", subject="Court date").status_code == 302
    emails = db.session.scalars(select(OutboxEmail)).all()
    assert len(emails) == 2
    for email in emails:
        text = " ".join([email.subject, email.body_text, email.body_html or ""])
        for secret in ("Tuesday", "Court date", setup["client"].first_name, setup["client"].last_name):
            assert secret not in text


# -- P3: fixed query counts --------------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def queries_of(http, url: str) -> int:
    counter = QueryCounter()
    connection = db.session.connection()
    event.listen(connection, "before_cursor_execute", counter)
    try:
        assert http.get(url).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", counter)
    return counter.count


def test_inbox_query_count_does_not_grow(cm_http, setup):
    cm, client = setup["case_manager"], setup["client"]
    bulk_conversations(client, cm, 10, portal_account_id=setup["own"].account_id)
    db.session.commit()
    small = queries_of(cm_http, "/staff/messages")
    bulk_conversations(client, setup["admin"], 990)
    db.session.commit()
    large = queries_of(cm_http, "/staff/messages")
    assert small == large, (small, large)
    print(f"inbox queries at 10 and 1,000 conversations: {small}, {large}")


def test_conversation_query_count_does_not_grow(cm_http, setup):
    cm, client = setup["case_manager"], setup["client"]
    small_conv, large_conv = (Conversation(client=client, staff=cm, subject=s) for s in ("small", "large"))
    db.session.add_all([small_conv, large_conv])
    db.session.flush()
    bulk_messages(small_conv, cm, 10, setup["mother"].account_id)
    bulk_messages(large_conv, cm, 1000, setup["own"].account_id)
    db.session.commit()
    small = queries_of(cm_http, f"/staff/messages/{small_conv.id}")
    large = queries_of(cm_http, f"/staff/messages/{large_conv.id}")
    assert small == large, (small, large)
    print(f"conversation queries at 10 and 1,000 messages: {small}, {large}")


# -- Mass sending ------------------------------------------------------------------------------


def test_mass_send_page_filters(cm_http, setup):
    lonely = sf.client(setup["admin"].organization, first_name="Lonely")
    sf.care_team(lonely, setup["case_manager"])
    sf.client(setup["admin"].organization, first_name="Notmine")
    db.session.commit()
    page = html(cm_http.get("/staff/messages/mass"))
    assert "Lonely" in page and setup["client"].first_name in page and "Notmine" not in page
    page = html(cm_http.get("/staff/messages/mass?portal_only=1"))
    assert "Lonely" not in page and setup["client"].first_name in page
    assert "Select all shown" in page


def test_mass_send_request_only_queues_then_worker_delivers(cm_http, setup):
    lonely = sf.client(setup["admin"].organization, first_name="Lonely")
    sf.care_team(lonely, setup["case_manager"])
    db.session.commit()
    resp = post(cm_http, "/staff/messages/mass", {"select_all": "y", "subject": "Closed", "body": "Office closed"})
    assert resp.status_code == 302
    job = db.session.scalar(select(MassSend))
    assert resp.headers["Location"].endswith(f"/staff/messages/mass/{job.id}")
    assert count(Conversation) == 0 and job.status == "queued" and job.total == 1  # "all shown" that can receive

    page = html(cm_http.get(f"/staff/messages/mass/{job.id}"))
    assert 'hx-trigger="every 1s"' in page and '"X-Background-Poll": "1"' in page and ">Refresh</a>" in page
    worker.run_mass_sends()
    fragment = html(cm_http.get(f"/staff/messages/mass/{job.id}", headers={"HX-Request": "true"}))
    assert "<html" not in fragment and "hx-trigger" not in fragment and "Refresh" not in fragment
    assert "Delivered 1, skipped 0 (no portal access)" in fragment
    assert count(Conversation, Conversation.mass_send_id == job.id) == 1


def test_mass_send_lists_clients_without_portal_access_but_they_cannot_be_ticked(cm_http, setup):
    lonely = sf.client(setup["admin"].organization, first_name="Lonely")
    sf.care_team(lonely, setup["case_manager"])
    db.session.commit()
    page = html(cm_http.get("/staff/messages/mass"))
    boxes = {m.group(2): m.group(1) for m in re.finditer(r'<input([^>]*)value="(\d+)"', page)}
    assert "disabled" in boxes[str(lonely.id)] and "(no portal access)" in page
    assert "disabled" not in boxes[str(setup["client"].id)]


def test_mass_send_of_another_case_manager_is_404(client, auth, setup):
    other = factories.user(setup["admin"].organization, role="case_manager", perm_messaging=True)
    job = services.create_mass_send(setup["supervisor"], [setup["client"].id], "S", "<p>x</p>")
    db.session.commit()
    assert auth.login(other).status_code == 302
    assert client.get(f"/staff/messages/mass/{job.id}").status_code == 404
    assert count(Message) == 0


def test_mass_send_needs_a_client(cm_http, setup):
    resp = post(cm_http, "/staff/messages/mass", {"subject": "S", "body": "x"})
    assert resp.status_code == 422 and "Choose at least one client." in html(resp)


# -- My Info -----------------------------------------------------------------------------------


def test_allow_client_initiated_contact_toggle(cm_http, setup):
    cm = setup["case_manager"]
    page = html(cm_http.get("/staff/account"))
    assert "Allow Client Initiated Contact" in page and 'name="allow" value="y" aria-describedby="client-contact-hint" checked' in page
    assert post(cm_http, "/staff/account/client-contact", {}).status_code == 302
    db.session.refresh(cm)
    assert cm.allow_client_contact is False
    assert "checked" not in html(cm_http.get("/staff/account")).split("Allow Client Initiated Contact")[0][-200:]
    assert post(cm_http, "/staff/account/client-contact", {"allow": "y"}).status_code == 302
    db.session.refresh(cm)
    assert cm.allow_client_contact is True
    assert count(AuditEvent, AuditEvent.action == "account.client_contact_changed") == 2


def test_client_toolbar_offers_send_message_and_client_portal_once(cm_http, setup):
    setup["case_manager"].perm_client_portal = True
    db.session.commit()
    client_id = setup["client"].id
    page = html(cm_http.get(f"/staff/clients/{client_id}"))
    menu = re.search(r'<details class="overflow-menu">(.*?)</details>', page, re.S).group(1)
    assert "Send Message" not in menu and f"/staff/clients/{client_id}/portal" not in menu
    assert page.count(f'href="/staff/clients/{client_id}/messages/new"') == 1  # under the photo
    assert 'href="/staff/messages"' in page  # the Inbox link in the nav
    assert page.count(f'href="/staff/clients/{client_id}/portal"') == 1  # the Client Portal tab
