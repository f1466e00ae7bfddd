"""S6/S7 on the partner site: nothing outside the organization's active shares, and 404 rather than 403.

Every partner route that takes an id is tried against four kinds of object out of scope: another
partner organization's shared client (and its contact), a client never shared, a share that was
revoked, and a partner organization whose sharing was switched off.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.sharing import services
from portal_app.sharing.models import Contact
from tests import factories
from tests.conftest import csrf_token
from tests import factories as pf

CLIENT_NAME = ("Quintessa", "Moravec")


def _contact_form() -> dict:
    when = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return {"occurred_at": when, "method": "phone", "location": "Office", "notes": "Should never be saved."}


def _scenario(kind: str, people: dict):
    """(client, contact) outside the signed-in partner's scope, in the way `kind` names."""
    staff, partner_user = people["admin"], people["partner"]
    person = pf.client(staff.organization, first_name=CLIENT_NAME[0], last_name=CLIENT_NAME[1], photo=pf.photo())
    if kind == "other_org":
        other_org = factories.partner_organization()
        pf.share(person, other_org, staff)
        author = factories.user(other_org, role="partner")
    elif kind == "unshared":
        author = partner_user  # a contact of ours exists, yet the client is not shared with us
    elif kind == "revoked":
        share = pf.share(person, partner_user.organization, staff)
        services.revoke_share(staff, share)
        author = partner_user
    elif kind == "sharing_off":
        pf.share(person, partner_user.organization, staff)
        partner_user.organization.sharing_enabled = False
        author = partner_user
    contact = pf.contact(person, author, notes="Original notes.")
    db.session.commit()
    return person, contact


ROUTES = [
    ("GET", "/partner/clients/{client}"),
    ("GET", "/partner/clients/{client}/photo"),
    ("GET", "/partner/clients/{client}/contacts/new"),
    ("POST", "/partner/clients/{client}/contacts/new"),
    ("GET", "/partner/contacts/{contact}/edit"),
    ("POST", "/partner/contacts/{contact}/edit"),
]
SCENARIOS = ["other_org", "unshared", "revoked", "sharing_off"]


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_out_of_scope_is_not_found(partner, people, scenario, method, route):
    person, contact = _scenario(scenario, people)
    url = route.format(client=person.id, contact=contact.id)
    contacts_before = db.session.scalar(select(func.count(Contact.id)))
    if method == "GET":
        resp = partner.get(url)
    else:
        token = csrf_token(partner, "/partner/")
        data = {**_contact_form(), "version_id": str(contact.version_id), "csrf_token": token}
        resp = partner.post(url, data=data)
    assert resp.status_code == 404
    body = resp.get_data(as_text=True)
    assert CLIENT_NAME[1] not in body and "Original notes." not in body
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Contact.id))) == contacts_before
    assert db.session.get(Contact, contact.id).notes == "Original notes."
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied")).all()
    assert denied and denied[-1].actor_id == people["partner"].id


def test_missing_ids_are_not_found(partner):
    for url in ("/partner/clients/999999", "/partner/clients/999999/photo",
                "/partner/clients/999999/contacts/new", "/partner/contacts/999999/edit"):
        assert partner.get(url).status_code == 404, url


def test_staff_contact_of_a_shared_client_cannot_be_edited(partner, people, shared):
    """A contact the agency recorded is not the partner's, even for a client shared with it."""
    contact = pf.contact(shared.client, people["admin"], notes="Agency only.")
    db.session.commit()
    assert partner.get(f"/partner/contacts/{contact.id}/edit").status_code == 404


def test_revoking_a_share_takes_effect_on_the_very_next_request(partner, people, shared):
    profile = f"/partner/clients/{shared.client_id}"
    assert partner.get(profile).status_code == 200
    services.revoke_share(people["admin"], shared)
    db.session.commit()
    assert partner.get(profile).status_code == 404
    assert shared.client.last_name not in partner.get("/partner/").get_data(as_text=True)


def test_switching_sharing_off_takes_effect_on_the_very_next_request(partner, people, shared):
    contact = pf.contact(shared.client, people["partner"])
    db.session.commit()
    edit = f"/partner/contacts/{contact.id}/edit"
    assert partner.get(edit).status_code == 200
    people["partner"].organization.sharing_enabled = False
    db.session.commit()
    assert partner.get(edit).status_code == 404
    assert "No clients are shared" in partner.get("/partner/").get_data(as_text=True)


def test_a_client_shared_again_is_visible_again(partner, people, shared):
    """Revoke, then share anew: access follows the current share, not the old one."""
    services.revoke_share(people["admin"], shared)
    pf.share(shared.client, people["partner"].organization, people["admin"], note="Shared again.")
    db.session.commit()
    page = partner.get(f"/partner/clients/{shared.client_id}").get_data(as_text=True)
    assert "Shared again." in page


def test_disabled_partner_account_is_signed_out(partner, people, shared):
    people["partner"].enabled = False
    db.session.commit()
    resp = partner.get(f"/partner/clients/{shared.client_id}")
    assert resp.status_code == 302 and "/partner/login" in resp.headers["Location"]
