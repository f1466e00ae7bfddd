"""One request to many clients on the mass-send machinery: queued by the page, delivered by the worker in
batches (clients without portal access skipped), progress on the messaging's progress page."""
from __future__ import annotations

from sqlalchemy import func, select

from portal_app.extensions import db
from portal_app.messaging.models import MassSend
from portal_app.requests.models import PortalRequest
from portal_app.worker import run_mass_sends
from tests import factories
from tests.conftest import csrf_token
from tests.requests.helpers import category, portal_client


def test_a_request_sent_to_many_clients_by_the_worker(client, auth, people):
    cm = people["case_manager"]
    cm.perm_messaging = cm.perm_client_portal = True
    agency = cm.organization
    with_portal = [portal_client(agency, username=f"mass{n}")[0] for n in range(3)]
    without = factories.client(agency)
    for person in (*with_portal, without):
        factories.care_team(person, cm)
    ident = category(agency, "Income")
    db.session.commit()
    assert auth.login(cm).status_code == 302
    url = "/staff/requests/mass"
    page = client.get(url).get_data(as_text=True)
    assert "(no portal access)" not in page and with_portal[0].display_name in page  # portal clients only
    resp = client.post(url, data={"csrf_token": csrf_token(client, url), "select_all": "y", "kind": "document",
                                  "category_id": str(ident.id), "name_id": "other", "other_name": ""})
    assert resp.status_code == 422 and "Type the name of the document" in resp.get_data(as_text=True)
    ids = [str(p.id) for p in with_portal] + [str(without.id)]
    resp = client.post(url, data={"csrf_token": csrf_token(client, url), "client_ids": ids, "kind": "document",
                                  "category_id": str(ident.id), "name_id": str(ident.names[0].id)})
    assert resp.status_code == 302 and "/staff/messages/mass/" in resp.headers["Location"]
    job = db.session.scalar(select(MassSend))
    assert job.request_spec["kind"] == "document" and job.status == "queued"
    assert run_mass_sends(batch_size=2) == 1 and run_mass_sends(batch_size=2) == 1
    db.session.refresh(job)
    assert (job.status, job.processed, job.delivered, job.skipped) == ("done", 4, 3, 1)
    sent = db.session.scalar(select(func.count()).select_from(PortalRequest).where(PortalRequest.kind == "document"))
    assert sent == 3
    progress = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Delivered 3, skipped 1" in progress
