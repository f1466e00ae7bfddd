"""No English left on Spanish pages (issue 10, item 14): care-team roles, relationships, emails through the
catalogue, the /links/ pages following the portal's language, lang on staff-written words."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.messaging import services as messaging
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.relationships import relationship_name
from tests import factories
from tests.conftest import csrf_token
from tests import factories as partner_factories
from tests import factories as pf
from tests.sites.portal.helpers import portal_login, portal_post

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def html(resp) -> str:
    return resp.get_data(as_text=True)


def emails() -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


@pytest.fixture
def family():
    """María (Spanish) with her own account; her mother, and an aunt typed as "tía" (free text)."""
    agency = factories.agency(name="Riverside", phone="541-555-0100")
    maria = pf.client(agency, first_name="María", last_name="González", preferred_language="en")
    staff = factories.user(agency, first_name="Casey", last_name="Case", perm_messaging=True)
    partner_factories.care_team(maria, staff, role="Primary case manager")
    own = pf.access(pf.account("maria", language="es", email="maria@home.test"), maria, "self")
    mother = pf.access(pf.account("mama"), maria, label="mother")
    aunt = pf.access(pf.account("tia"), maria, label="tía")
    db.session.commit()
    return {"agency": agency, "client": maria, "staff": staff, "own": own, "mother": mother, "aunt": aunt}


def spanish(client) -> None:
    assert portal_post(client, "/portal/language", {"lang": "es", "next": "/portal/login"},
                       token_from="/portal/login").status_code == 302


def test_care_team_role_and_relationship_in_spanish(client, family):
    spanish(client)
    portal_login(client, "mama")
    page = html(client.get("/portal/", headers=ENGLISH))
    assert "Administrador/a de caso principal" in page and "Primary case manager" not in page
    banner = page[page.index('class="acting"'):page.index("</div>", page.index('class="acting"'))]
    assert "madre" in banner and "mother" not in banner
    assert "(tía)" not in page  # the aunt is listed among the others as typed
    assert "tía" in page


@pytest.mark.parametrize(("stored", "es"), [("mother", "madre"), ("Mother ", "madre"), ("spouse/partner", "cónyuge o pareja"),
                                            ("foster parent", "padre o madre de acogida"), ("tía", "tía"),
                                            ("", "representante")])
def test_stored_relationships_read_in_spanish_old_free_text_included(app, stored, es):
    from flask_babel import force_locale

    with app.test_request_context("/portal/"), force_locale("es"):
        assert relationship_name(stored) == es


def test_portal_emails_use_the_catalogue_in_the_accounts_language(client, family):
    token = csrf_token(client, "/portal/password/forgot")
    client.post("/portal/password/forgot", data={"username": "maria", "csrf_token": token})
    [reset] = emails()
    assert reset.subject == "Elija una contraseña nueva"
    assert "Caseport envió este mensaje automáticamente" in reset.body_text
    assert "Caseport sent this message" not in reset.body_text and "Someone asked" not in reset.body_text
    messaging.start_conversation(family["staff"], family["client"], subject="Cita", body_html="<p>Hola</p>",
                                 account_ids=None)
    db.session.commit()
    notices = {e.to_address: e for e in emails()[1:]}
    assert notices["maria@home.test"].subject == "Tiene un mensaje nuevo de Riverside"
    english = [e for address, e in notices.items() if address != "maria@home.test"]
    assert english and all(e.subject == "You have a new message from Riverside" for e in english)
    assert all("Caseport sent this message automatically" in e.body_text for e in english)


def test_a_reset_link_from_a_spanish_email_opens_in_spanish(client, family):
    token = csrf_token(client, "/portal/password/forgot")
    client.post("/portal/password/forgot", data={"username": "maria", "csrf_token": token}, headers=ENGLISH)
    link = re.search(r"http://localhost(/links/reset/\S+)", emails()[0].body_text).group(1)
    resp = client.get(link, headers=ENGLISH)
    assert resp.status_code == 302 and any(c.startswith("cp_lang=es;") for c in resp.headers.getlist("Set-Cookie"))
    page = client.get("/portal/password/reset", headers=ENGLISH)
    assert '<html lang="es">' in html(page)


def test_links_pages_follow_the_portals_language_and_offer_the_switch(client, family):
    page = html(client.get("/links/", headers=ENGLISH))
    assert '<html lang="en">' in page and 'action="/links/language"' in page and 'value="es"' in page
    spanish(client)  # chosen on the portal
    page = html(client.get("/links/", headers=ENGLISH))
    assert '<html lang="es">' in page and "Abra el enlace de su correo electrónico" in page
    resp = portal_post(client, "/links/language", {"lang": "en", "next": "/links/"}, token_from="/links/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/links/"
    assert '<html lang="en">' in html(client.get("/portal/login", headers={"Accept-Language": "es"}))


def test_the_invitation_speaks_the_clients_language_and_so_does_its_page(client, family):
    from portal_app.portal_access import invitations as portal

    family["client"].preferred_language = "es"
    portal.invite(family["staff"], family["client"], email="primo@home.test", relationship="representative",
                  relationship_label="other words")
    db.session.commit()
    [invitation] = [e for e in emails() if e.to_address == "primo@home.test"]
    assert invitation.subject == "Su invitación al portal para clientes de Riverside"
    assert "Hola:" in invitation.body_text and "Hello" not in invitation.body_text
    assert '<html lang="es">' in invitation.body_html and "Cree su cuenta" in invitation.body_html
    link = re.search(r"http://localhost(/links/invite/\S+)", invitation.body_text).group(1)
    cookies = client.get(link, headers=ENGLISH).headers.getlist("Set-Cookie")
    assert any(c.startswith("cp_lang=es;") for c in cookies)


def test_staff_written_words_carry_lang_when_the_page_speaks_another(client, family):
    conversation = messaging.start_conversation(family["staff"], family["client"], subject="Your visit",
                                                body_html="<p>See you Tuesday</p>", account_ids=None)
    db.session.commit()
    portal_login(client, "maria")  # her account speaks Spanish; her record says staff write to her in English
    listing = html(client.get("/portal/messages"))
    assert '<strong lang="en">Your visit</strong>' in listing and "Hoy, " in listing
    thread = html(client.get(f"/portal/messages/{conversation.id}"))
    assert '<h1 lang="en">Your visit</h1>' in thread and '<div class="body" lang="en"><p>See you Tuesday</p>' in thread
    assert portal_post(client, "/portal/language", {"lang": "en", "next": "/portal/messages"},
                       token_from="/portal/messages").status_code == 302
    assert '<strong>Your visit</strong>' in html(client.get("/portal/messages"))


def test_signing_in_to_a_spanish_account_sets_the_language_of_link_pages(client, family):
    portal_login(client, "maria")  # no language chosen before: the account's own (Spanish)
    assert '<html lang="es">' in html(client.get("/portal/", headers=ENGLISH))
    assert '<html lang="es">' in html(client.get("/links/", headers=ENGLISH))
