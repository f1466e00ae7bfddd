"""Acting for: one family login, a switcher that never mixes two clients' data, per-representative visibility."""
from __future__ import annotations

import pytest

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.portal_access.models import HiddenItem
from tests import factories
from tests import factories as partner_factories
from tests import factories as pf
from tests.sites.portal.helpers import portal_login, portal_post


@pytest.fixture
def guardian_family():
    """A guardian acting for Amy and Ben (two clients of one agency), each with their own case manager."""
    agency = factories.agency(phone="541-555-0100", address="1 Main St")
    amy = pf.client(agency, first_name="Amy", last_name="Alvarez")
    ben = pf.client(agency, first_name="Ben", last_name="Alvarez")
    partner_factories.care_team(amy, factories.user(agency, first_name="Carla", last_name="Amycase"))
    partner_factories.care_team(ben, factories.user(agency, first_name="Diego", last_name="Bencase"))
    guardian = pf.account("guardian")
    access_amy = pf.access(guardian, amy, label="mother")
    access_ben = pf.access(guardian, ben, label="mother")
    return {"agency": agency, "amy": amy, "ben": ben, "guardian": guardian,
            "access_amy": access_amy, "access_ben": access_ben}


def switch_to(client, client_id):
    return portal_post(client, "/portal/acting-for", {"client_id": client_id}, token_from="/portal/switch")


def test_first_client_by_default_then_switch(client, guardian_family):
    f = guardian_family
    portal_login(client, "guardian")
    html = client.get("/portal/").get_data(as_text=True)
    assert "Amy Alvarez" in html and "Carla Amycase" in html and "Diego Bencase" not in html
    assert 'action="/portal/acting-for"' in html and f'value="{f["ben"].id}"' in html  # no-JS switcher
    resp = switch_to(client, f["ben"].id)
    assert resp.status_code == 302 and resp.headers["Location"] == "/portal/"
    html = client.get("/portal/").get_data(as_text=True)
    assert "Ben Alvarez" in html and "Diego Bencase" in html
    assert "Amy Alvarez" not in html and "Carla Amycase" not in html
    assert "Ben Alvarez" in client.get("/portal/account").get_data(as_text=True)  # choice kept
    with client.session_transaction("/portal/") as sess:
        assert sess["acting_for"] == f["ben"].id


def test_switch_page_lists_every_client(client, guardian_family):
    portal_login(client, "guardian")
    html = client.get("/portal/switch").get_data(as_text=True)
    assert "Amy Alvarez" in html and "Ben Alvarez" in html and "mother" in html


def test_another_familys_client_is_404_and_nothing_changes(client, guardian_family):
    f = guardian_family
    stranger = pf.client(f["agency"], first_name="Stranger")
    pf.access(pf.account(), stranger, "self")
    portal_login(client, "guardian")
    assert switch_to(client, stranger.id).status_code == 404
    assert switch_to(client, 999999).status_code == 404
    assert switch_to(client, "abc").status_code == 404
    html = client.get("/portal/").get_data(as_text=True)
    assert "Amy Alvarez" in html and "Stranger" not in html


def test_revoked_access_disappears_at_once(client, guardian_family):
    f = guardian_family
    portal_login(client, "guardian")
    switch_to(client, f["ben"].id)
    f["access_ben"].revoked_at = utcnow()
    db.session.flush()
    html = client.get("/portal/").get_data(as_text=True)
    assert "Amy Alvarez" in html and "Ben Alvarez" not in html
    assert 'action="/portal/acting-for"' not in html  # one access left: no switcher
    assert switch_to(client, f["ben"].id).status_code == 404


def test_no_access_left_shows_how_to_reach_the_agency(client, guardian_family):
    f = guardian_family
    portal_login(client, "guardian")
    for key in ("access_amy", "access_ben"):
        f[key].revoked_at = utcnow()
    db.session.flush()
    html = client.get("/portal/").get_data(as_text=True)
    assert "Nothing to show yet" in html and "541-555-0100" in html and "Alvarez" not in html
    assert client.get("/portal/account").status_code == 200


def test_self_account_says_your_record_and_self_comes_first(client, guardian_family):
    f = guardian_family
    me = pf.client(f["agency"], first_name="Zoe", last_name="Guardian")
    pf.access(f["guardian"], me, "self")
    portal_login(client, "guardian")
    html = client.get("/portal/").get_data(as_text=True)
    assert "Zoe Guardian" in html and "Your record" in html


def test_who_else_respects_per_representative_visibility(app, client, guardian_family, case_manager):
    """The custody case: rep1 (mother) has the father's access hidden; the client and the father see all."""
    f = guardian_family
    amy = f["amy"]
    own = pf.access(pf.account("amy.self"), amy, "self")
    father = pf.access(pf.account("amy.father"), amy, label="father")
    db.session.add(HiddenItem(access_id=f["access_amy"].id, item_type="client_access", item_id=father.id,
                              hidden_by_id=case_manager.id))
    db.session.flush()
    portal_login(client, "guardian")
    html = client.get("/portal/").get_data(as_text=True)
    assert "the client themself" in html and "father" not in html
    for name, expected in (("amy.self", ["father", "mother"]), ("amy.father", ["the client themself", "mother"])):
        other = app.test_client()
        portal_login(other, name)
        html = other.get("/portal/").get_data(as_text=True)
        assert all(word in html for word in expected), name
    assert own.id and "amy.father" not in html and "guardian" not in html  # usernames never shown


def test_module_switched_off_hides_the_client(client, guardian_family):
    portal_login(client, "guardian")
    guardian_family["agency"].module_client_portal = False
    db.session.flush()
    assert "Nothing to show yet" in client.get("/portal/").get_data(as_text=True)
