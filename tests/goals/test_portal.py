"""My goals on the portal: the acted-for client's open goals, read-only, in English and Spanish."""
from __future__ import annotations

from datetime import date

from portal_app.extensions import db
from tests import factories
from tests.factories.goals import goal as make_goal
from tests.sites.portal.helpers import portal_login, portal_post


def _family(agency, case_manager):
    """A mother acting for two children: Sam with goals, Lucía with one of her own."""
    sam = factories.client(agency, first_name="Sam", last_name="Goalkid")
    lucia = factories.client(agency, first_name="Lucia", last_name="Goalkid")
    mother = factories.account("goalmom")
    factories.access(mother, sam, label="mother")
    factories.access(mother, lucia, label="mother")
    make_goal(sam, case_manager, "Go to school every day", domain="education", target_date=date(2099, 6, 1),
              description="Bus pass sorted.")
    make_goal(sam, case_manager, "Old goal", domain="health", status="withdrawn")
    make_goal(lucia, case_manager, "Learn to swim", domain="health")
    db.session.commit()
    return sam, lucia


def test_my_goals_lists_only_the_acted_for_clients_open_goals(client, agency, case_manager):
    sam, lucia = _family(agency, case_manager)
    assert portal_login(client, "goalmom").status_code == 302
    assert 'href="/portal/goals"' in client.get("/portal/").get_data(as_text=True)
    portal_post(client, "/portal/acting-for", {"client_id": str(sam.id)})
    page = client.get("/portal/goals").get_data(as_text=True)
    assert "Go to school every day" in page and "Education" in page and "Bus pass sorted." in page
    assert "Old goal" not in page and "Learn to swim" not in page
    assert "Mark met" not in page and "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    portal_post(client, "/portal/acting-for", {"client_id": str(lucia.id)})
    page = client.get("/portal/goals").get_data(as_text=True)
    assert "Learn to swim" in page and "Go to school every day" not in page


def test_my_goals_in_spanish(client, agency, case_manager):
    sam, _ = _family(agency, case_manager)
    portal_login(client, "goalmom")
    portal_post(client, "/portal/acting-for", {"client_id": str(sam.id)})
    portal_post(client, "/portal/language", {"lang": "es", "next": "/portal/goals"})
    page = client.get("/portal/goals").get_data(as_text=True)
    assert "Mis metas" in page and "Educación" in page and "Fecha objetivo:" in page
    assert "My goals" not in page


def test_no_goals_says_so(client, agency):
    me = factories.client(agency, first_name="Nogoals")
    factories.access(factories.account("nogoals"), me, relationship="self")
    db.session.commit()
    portal_login(client, "nogoals")
    assert "No open goals right now." in client.get("/portal/goals").get_data(as_text=True)
