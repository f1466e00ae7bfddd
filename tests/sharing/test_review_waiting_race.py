"""A partner records a contact while a colleague joins the client's care team, in two transactions at once:
the newcomer's Needs Review has the contact all the same (on a scratch database of the current backend, with
real commits; on PostgreSQL the two would otherwise each miss what the other had not yet committed)."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select

from portal_app import create_app
from portal_app.accounts.models import User
from portal_app.clients.models import CareTeamMember, Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.sharing import services
from portal_app.sharing.models import ReviewWaiting
from tests import factories
from tests.scratch_databases import scratch_database


def test_a_contact_recorded_while_a_colleague_joins_the_care_team_waits_for_them(tmp_path, own_database):
    with scratch_database(tmp_path, "review_race") as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                                  "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints")})
        try:
            with app.app_context():
                db.create_all()
                agency = factories.agency("Riverside Race")
                partner_org = factories.partner_organization("Hope Race", agency=agency)
                partner = factories.user(partner_org, role="partner", email="pat@race.test")
                current = factories.user(agency, role="case_manager", email="current@race.test")
                joining = factories.user(agency, role="case_manager", email="joining@race.test")
                client = factories.client(agency, care_team=((current, "Case manager"),))
                db.session.commit()
                ids = {"client": client.id, "partner": partner.id, "current": current.id, "joining": joining.id}

            recorded: dict = {}

            def record_contact() -> None:
                """The partner's transaction, in its own thread and app context (its own session)."""
                try:
                    with app.app_context():
                        person = db.session.get(Client, ids["client"])
                        author = db.session.get(User, ids["partner"])
                        contact = services.record_contact(author, person, occurred_at=utcnow() - timedelta(hours=1),
                                                          method="phone", notes="Came to group.")
                        db.session.commit()
                        recorded["id"] = contact.id
                        db.session.remove()
                except Exception as err:  # noqa: BLE001  (the main thread reports it)
                    recorded["error"] = repr(err)

            with app.app_context():
                db.session.add(CareTeamMember(client_id=ids["client"], user_id=ids["joining"]))
                db.session.flush()  # the newcomer's row is written, not yet committed
                other = threading.Thread(target=record_contact)
                other.start()
                time.sleep(0.5)  # the partner's transaction reaches its entries meanwhile
                db.session.commit()
                other.join(timeout=30)
                assert not other.is_alive() and "id" in recorded, recorded
                waiting = set(db.session.execute(select(ReviewWaiting.user_id).where(
                    ReviewWaiting.contact_id == recorded["id"])).scalars())
                assert waiting == {ids["current"], ids["joining"]}
                db.session.remove()
        finally:
            with app.app_context():
                db.engine.dispose()
