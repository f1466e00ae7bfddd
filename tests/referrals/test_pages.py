"""The referral pages on the three sites and the one-tap links, through HTTP (htmx and plain forms)."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.referrals.models import Referral, ReferralEvent, ReferralLink
from tests.conftest import csrf_token
from tests.sites.portal.helpers import portal_login

from .conftest import send

HX = {"HX-Request": "true"}


def _post(http, url, data, token_from, headers=None):
    return http.post(url, data={**data, "csrf_token": csrf_token(http, token_from)}, headers=headers or {})


def test_start_a_referral_searches_the_clients_zip_and_prefills_the_connect_form(client, auth, ref, people):
    auth.login(ref.helper)
    tab = client.get(f"/staff/clients/{ref.client.id}/referrals").get_data(as_text=True)
    assert "Start a Referral" in tab and "Rent Help" in tab and "Requested" in tab
    page = client.get(f"/staff/clients/{ref.client.id}/referrals/search").get_data(as_text=True)
    assert "Searching for" in page and "Maria Lopez" in page and 'value="97401"' in page
    refer_url = f"/staff/clients/{ref.client.id}/referrals/new?program_id={ref.program.id}"
    assert refer_url.replace("&", "&amp;") in page
    form = client.get(refer_url).get_data(as_text=True)
    assert 'value="Maria Lopez"' in form and 'value="541-555-0100"' in form
    before = db.session.scalar(select(OutboxEmail.id).order_by(OutboxEmail.id.desc()))
    resp = _post(client, refer_url, {"contact_name": "Maria Lopez", "contact_phone": "541-555-0100",
                                     "contact_language": "es", "best_way": "text", "comment": "Evenings"}, refer_url)
    assert resp.status_code == 302
    referral = db.session.scalar(select(Referral).order_by(Referral.id.desc()))
    assert (referral.status, referral.best_way, referral.contact_language) == ("requested", "text", "es")
    emails = list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.id > (before or 0))))
    assert [e.to_address for e in emails] == [ref.claimer.email]
    assert "Maria" not in emails[0].body_text and "Lopez" not in emails[0].body_text
    assert "/links/referral/" in emails[0].body_text


def test_bad_input_on_the_connect_form_is_a_field_message(client, auth, ref):
    auth.login(ref.helper)
    url = f"/staff/clients/{ref.client.id}/referrals/new?program_id={ref.program.id}"
    resp = _post(client, url, {"contact_name": "", "best_way": "fax", "contact_language": "xx"}, url)
    assert resp.status_code == 422
    assert "Enter the person&#39;s name." in resp.get_data(as_text=True)
    resp = _post(client, url, {"contact_name": "M", "best_way": "email", "contact_language": "en"}, url)
    assert resp.status_code == 422 and "Enter an email address" in resp.get_data(as_text=True)
    assert client.get(f"/staff/clients/{ref.client.id}/referrals/new?program_id=99999999999999999999").status_code == 404


def test_claimer_accepts_inline_and_the_history_names_first_l_and_organization(client, auth, ref, people):
    auth.login(ref.claimer)
    inbound = client.get("/partner/referrals").get_data(as_text=True)
    assert "Inbound Referrals" in inbound and "Maria Lopez" in inbound
    url = f"/partner/referrals/{ref.referral.id}"
    resp = _post(client, f"{url}/status", {"action": "accept"}, url, HX)
    assert resp.status_code == 200 and 'id="referral-panel"' in resp.get_data(as_text=True)
    assert "<html" not in resp.get_data(as_text=True)
    assert ref.referral.status == "accepted"
    page = client.get(url).get_data(as_text=True)
    casey = f"{ref.helper.first_name} {ref.helper.last_name[0]}. ({ref.helper.organization.name})"
    pat = f"{ref.claimer.first_name} {ref.claimer.last_name[0]}. ({ref.claimer.organization.name})"
    assert casey in page and pat in page and "from Requested to Accepted" in page


def test_reason_is_required_to_reject_without_js(client, auth, ref):
    auth.login(ref.claimer)
    url = f"/partner/referrals/{ref.referral.id}"
    resp = _post(client, f"{url}/status", {"action": "reject", "reason": ""}, url)
    assert resp.status_code == 422 and "Say why" in resp.get_data(as_text=True)
    assert ref.referral.status == "requested"
    resp = _post(client, f"{url}/status", {"action": "start"}, url)  # not a choice while requested
    assert resp.status_code == 422 and ref.referral.status == "requested"
    resp = _post(client, f"{url}/status", {"action": "reject", "reason": "Full", "outcome": "no_capacity"}, url)
    assert resp.status_code == 302 and ref.referral.status == "rejected" and ref.referral.outcome == "no_capacity"


def test_notes_are_added_and_deleted_by_their_author_only_leaving_a_tombstone(client, auth, ref, people):
    auth.login(ref.claimer)
    url = f"/partner/referrals/{ref.referral.id}"
    _post(client, f"{url}/notes", {"body": "Called twice"}, url)
    note_id = int(re.search(r"/notes/(\d+)/delete", client.get(url).get_data(as_text=True)).group(1))
    auth.logout("partner")
    auth.login(ref.helper)
    staff_url = f"/staff/referrals/{ref.referral.id}"
    assert "Called twice" in client.get(staff_url).get_data(as_text=True)
    assert _post(client, f"{staff_url}/notes/{note_id}/delete", {}, staff_url).status_code == 403
    auth.logout("staff")
    auth.login(ref.claimer)
    assert _post(client, f"{url}/notes/{note_id}/delete", {}, url).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Called twice" not in page and "Note deleted by" in page


def test_the_seeker_reports_got_help_on_the_portal(client, ref):
    ref.referral.status = "accepted"
    db.session.flush()
    portal_login(client, ref.seeker.username)
    page = client.get("/portal/referrals").get_data(as_text=True)
    assert "Rent Help" in page and "I got help" in page and 'value="accept"' not in page
    resp = _post(client, f"/portal/referrals/{ref.referral.id}/status", {"action": "got_help"}, "/portal/referrals", HX)
    assert resp.status_code == 200 and "Got help" in resp.get_data(as_text=True)
    assert (ref.referral.status, ref.referral.outcome) == ("accepted", "got_help")
    resp = _post(client, f"/portal/referrals/{ref.referral.id}/status", {"action": "accept"}, "/portal/referrals")
    assert resp.status_code == 302 and ref.referral.status == "accepted"


def _one_tap(referral, user) -> str:
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == user.email)
                              .order_by(OutboxEmail.id.desc()))
    return re.search(r"/links/referral/\S+", email.body_text).group(0)


def test_one_tap_link_get_changes_nothing_confirm_changes_once_second_use_refused(client, ref):
    link = _one_tap(ref.referral, ref.claimer)
    page = client.get(link)
    assert page.status_code == 200 and "Nothing has changed yet" in page.get_data(as_text=True)
    assert ref.referral.status == "requested"
    resp = _post(client, link, {"action": "accept"}, link)
    assert resp.status_code == 200 and "Referral updated" in resp.get_data(as_text=True)
    assert ref.referral.status == "accepted"
    event = db.session.scalar(select(ReferralEvent).order_by(ReferralEvent.id.desc()))
    assert event.via == "email" and event.to_status == "accepted"
    again = client.get(link)
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)
    assert client.post(link, data={"action": "accept"}).status_code == 400


def test_one_tap_link_tampered_or_expired_is_refused(client, ref, frozen_clock):

    from tests.factories import tampered

    link = _one_tap(ref.referral, ref.claimer)
    assert client.get(tampered(link)).status_code == 400
    row = db.session.scalar(select(ReferralLink).order_by(ReferralLink.id.desc()))
    row.expires_at = row.created_at
    db.session.flush()
    resp = client.get(link)
    assert resp.status_code == 400 and "expired" in resp.get_data(as_text=True)


def test_status_change_emails_the_other_parties_with_their_links(ref, people):
    from portal_app.referrals import services

    services.change_status(ref.claimer, ref.referral, "accept")
    helper_mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == ref.helper.email))
    seeker_mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == ref.seeker.email))
    assert "/links/referral/" in helper_mail.body_text and "/links/referral/" in seeker_mail.body_text
    assert "Maria" not in helper_mail.body_text + seeker_mail.body_text


def test_pages_keep_a_bounded_query_count(client, auth, ref, people):
    from tests.sql import count_statements

    def counts():
        result = {}
        for who, urls in ((ref.helper, [f"/staff/clients/{ref.client.id}/referrals"]),
                          (ref.claimer, ["/partner/referrals"])):
            auth.login(who)
            for url in urls:
                with count_statements() as statements:
                    assert client.get(url).status_code == 200
                result[url] = len(statements)
            auth.logout(who.site)
        portal_login(client, ref.seeker.username)
        with count_statements() as statements:
            assert client.get("/portal/referrals").status_code == 200
        result["portal"] = len(statements)
        auth.logout("portal")
        return result

    for _ in range(4):
        send(ref.helper, ref.client, ref.program)
    small = counts()
    for _ in range(45):
        send(ref.helper, ref.client, ref.program)
    assert counts() == small
