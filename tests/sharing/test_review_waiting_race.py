"""A client's contacts and care team change in two transactions at once, with real commits on a scratch
database of the current backend: the Needs Review entries end as if the two had run one after the other. On
PostgreSQL each would otherwise miss what the other had not yet committed (the client's row lock makes them
take turns; SQLite's writers already do)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal_app import create_app
from portal_app.accounts.models import User
from portal_app.clients.models import CareTeamMember, Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.sharing import services
from portal_app.sharing.models import Contact, ReviewWaiting
from tests import factories
from tests.scratch_databases import scratch_database


def _record(ids: dict) -> None:
    """The partner records a contact with the client."""
    services.record_contact(db.session.get(User, ids["partner"]), db.session.get(Client, ids["client"]),
                            occurred_at=utcnow() - timedelta(hours=1), method="phone", notes="Came to group.")


def _review(ids: dict) -> None:
    """The current case manager reviews the client's waiting contact."""
    services.mark_contact_reviewed(db.session.get(User, ids["current"]), db.session.get(Contact, ids["contact"]))


def _join(ids: dict) -> None:
    db.session.add(CareTeamMember(client_id=ids["client"], user_id=ids["joining"]))


def _leave(ids: dict) -> None:
    db.session.delete(db.session.scalar(select(CareTeamMember).where(CareTeamMember.client_id == ids["client"],
                                                                     CareTeamMember.user_id == ids["current"])))


RACES = {
    # (first, flushed and held; second, in another transaction meanwhile; who the new contact waits for)
    "record while one joins": (_join, _record, {"current", "joining"}),
    "review while one joins": (_join, _review, set()),
    "record while one leaves": (_leave, _record, set()),
}


@pytest.mark.parametrize("race", list(RACES))
def test_two_changes_of_one_clients_needs_review_at_once_end_as_one_after_the_other(tmp_path, own_database, race):
    first, second, expected = RACES[race]
    with scratch_database(tmp_path, "review_race") as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                                  "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints")})
        try:
            with app.app_context():
                db.create_all()
                agency = factories.agency("Riverside Race")
                partner = factories.user(factories.partner_organization("Hope Race", agency=agency), role="partner",
                                         email="pat@race.test")
                current = factories.user(agency, role="case_manager", email="current@race.test")
                joining = factories.user(agency, role="case_manager", email="joining@race.test")
                client = factories.client(agency, care_team=((current, "Case manager"),))
                waiting = services.record_contact(partner, client, occurred_at=utcnow() - timedelta(days=1),
                                                  method="phone", notes="Missed the group.")
                db.session.commit()
                ids = {"client": client.id, "partner": partner.id, "current": current.id, "joining": joining.id,
                       "contact": waiting.id}
                names = {current.id: "current", joining.id: "joining"}
                db.session.remove()
            done = _race(app, ids, first, second)
            assert done == {"ok": True}, done
            with app.app_context():
                rows = db.session.execute(select(ReviewWaiting.contact_id, ReviewWaiting.user_id)).all()
                newest = db.session.scalar(select(Contact.id).order_by(Contact.id.desc()).limit(1))
                waiting_for = {names[user] for contact, user in rows if contact == newest}
                if second is _review:
                    assert rows == []  # reviewed: it waits for nobody, the newcomer included
                else:
                    assert waiting_for == expected
                db.session.remove()
        finally:
            with app.app_context():
                db.engine.dispose()


def _race(app, ids: dict, first: Callable, second: Callable) -> dict:
    """`first` flushes and holds its transaction; `second` runs in another thread and app context (its own
    session and connection) meanwhile; then `first` commits and `second` finishes."""
    done: dict = {}

    def other() -> None:
        try:
            with app.app_context():
                second(ids)
                db.session.commit()
                db.session.remove()
            done["ok"] = True
        except Exception as err:  # noqa: BLE001  (the main thread reports it)
            done["error"] = repr(err)

    with app.app_context():
        first(ids)
        db.session.flush()
        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)  # the other transaction reaches its entries meanwhile (and waits, where it must)
        db.session.commit()
        thread.join(timeout=30)
        db.session.remove()
    return done if not thread.is_alive() else {"error": "the second transaction never finished"}
