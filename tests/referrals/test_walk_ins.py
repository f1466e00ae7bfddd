"""Walk-in entry on Inbound Referrals: a claimer records a person who came to the program themselves (no agency
client record); it is listed, follows the same statuses, shows only to the program's side; bad input answers 422
beside the field."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_app.extensions import db
from portal_app.referrals.models import Referral
from tests.conftest import Auth, csrf_token

URL = "/partner/referrals/walk-in"


def _signed_in(app, person):
    http = app.test_client()
    Auth(http).login(person)
    return http


def _form(program, **overrides) -> dict:
    return {"program_id": str(program.id), "contact_name": "Walter Inn", "contact_phone": "541-555-0199",
            "contact_email": "", "contact_language": "es", "best_way": "text", "comment": "Came in Tuesday", **overrides}


def test_a_claimer_records_a_walk_in_which_then_follows_the_statuses(app, ref, people):
    partner = _signed_in(app, ref.claimer)
    assert "Record a walk-in" in partner.get("/partner/referrals").get_data(as_text=True)
    resp = partner.post(URL, data={**_form(ref.program), "csrf_token": csrf_token(partner, URL)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    walk_in = db.session.scalar(select(Referral).where(Referral.walk_in.is_(True)))
    assert (walk_in.client_id, walk_in.status, walk_in.contact_name, walk_in.best_way) == (
        None, "requested", "Walter Inn", "text")
    page = partner.get(resp.headers["Location"]).get_data(as_text=True)
    assert "recorded a walk-in (Requested)" in page and "Came in Tuesday" in page
    assert "Walter Inn" in partner.get("/partner/referrals").get_data(as_text=True)
    detail = resp.headers["Location"]
    for action in ("accept", "start"):
        assert partner.post(f"{detail}/status", data={"action": action,
                                                      "csrf_token": csrf_token(partner, detail)}).status_code == 302
    db.session.expire_all()
    assert walk_in.status == "in-progress"
    staff = _signed_in(app, people["case_manager"])  # the agency has nothing to do with it
    assert staff.get(f"/staff/referrals/{walk_in.id}").status_code == 404
    assert "Walter Inn" not in staff.get("/staff/referrals/people").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"contact_name": ""}, "Enter the person&#39;s name."),
    ({"contact_phone": "", "best_way": "phone"}, "Enter a phone number or an email address"),
    ({"contact_email": "nope"}, "Enter a valid email address"),
    ({"best_way": "pigeon"}, "Not a valid choice"),
    ({"contact_name": "x" * 201}, "200"),
    ({"contact_name": "Bad\x00name"}, "control"),
])
def test_bad_input_answers_422_beside_the_field(app, ref, overrides, message):
    partner = _signed_in(app, ref.claimer)
    resp = partner.post(URL, data={**_form(ref.program, **overrides), "csrf_token": csrf_token(partner, URL)})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(select(Referral).where(Referral.walk_in.is_(True))) is None


def test_only_programs_the_person_claims_for(app, ref, people):
    from tests.referrals.conftest import make_program

    other = make_program(people["admin"], ref.claimer.organization, name="Not Mine")
    db.session.commit()
    partner = _signed_in(app, ref.claimer)
    assert "Not Mine" not in partner.get(URL).get_data(as_text=True)
    resp = partner.post(URL, data={**_form(other), "csrf_token": csrf_token(partner, URL)})
    assert resp.status_code == 422 and "Not a valid choice" in resp.get_data(as_text=True)
