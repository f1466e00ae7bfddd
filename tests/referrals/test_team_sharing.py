"""Team Navigation/Sharing (seed 004): by default only the referrer works an outbound referral and only the
program's claimers its inbound ones; the agency's "Team referral sharing" and a program's "Team sharing" let
anyone in the agency / the program's organization see, note and update them. Decided in policy.py only."""
from __future__ import annotations

import pytest

from portal_app.errors import Forbidden
from portal_app.extensions import db
from portal_app.referrals import services
from portal_app.referrals.policy import parties
from portal_app.referrals.statuses import CLAIMER, HELPER
from portal_app.referrals.team import set_agency_team_sharing, set_program_team_sharing
from tests import factories
from tests.conftest import Auth, csrf_token
from tests.sites.staff.admin.helpers import SETTINGS, submit


@pytest.fixture
def colleagues(ref):
    """Jordan, another case manager of the agency; Quinn, a partner user of the program's organization who
    is not one of its claimers."""
    jordan = factories.user(ref.client.organization, "case_manager", email="jordan@agency.test")
    quinn = factories.user(ref.claimer.organization, "partner", email="quinn@partner.test")
    db.session.commit()
    return jordan, quinn


def _signed_in(app, person):
    http = app.test_client()
    Auth(http).login(person)
    return http


def test_by_default_only_the_referrer_and_the_claimers_work_the_referral(app, ref, colleagues):
    jordan, quinn = colleagues
    assert parties(ref.helper, ref.referral) == {HELPER} and parties(ref.claimer, ref.referral) == {CLAIMER}
    assert parties(jordan, ref.referral) == set() and parties(quinn, ref.referral) == set()
    with pytest.raises(Forbidden):
        services.add_note(jordan, ref.referral, "Me too")
    assert services.allowed_actions(jordan, ref.referral) == []
    staff = _signed_in(app, jordan)
    assert "Lopez" not in staff.get("/staff/referrals/people").get_data(as_text=True)
    page = staff.get(f"/staff/referrals/{ref.referral.id}").get_data(as_text=True)  # the agency's record: read only
    assert "You have no status change to make" in page and "Add Note" not in page
    partner = _signed_in(app, quinn)
    assert partner.get(f"/partner/referrals/{ref.referral.id}").status_code == 404
    assert "Lopez" not in partner.get("/partner/referrals").get_data(as_text=True)


def test_agency_team_referral_sharing_lets_anyone_in_the_agency_work_its_outbound_referrals(app, ref, colleagues,
                                                                                               people):
    jordan, _ = colleagues
    admin = _signed_in(app, people["admin"])
    settings = admin.get(SETTINGS).get_data(as_text=True)
    assert "Team referral sharing: anyone in the agency may see, note and update" in settings
    assert submit(admin, SETTINGS, {"module_referrals": "y", "referral_team_sharing": "y"}).status_code == 302
    db.session.expire_all()
    assert ref.client.organization.referral_team_sharing
    assert parties(jordan, ref.referral) == {HELPER}
    staff = _signed_in(app, jordan)
    assert "Lopez" in staff.get("/staff/referrals/people").get_data(as_text=True)
    url = f"/staff/referrals/{ref.referral.id}"
    resp = staff.post(f"{url}/notes", data={"body": "I called her too", "csrf_token": csrf_token(staff, url)})
    assert resp.status_code == 302
    resp = staff.post(f"{url}/status", data={"action": "cancel", "reason": "Moved", "outcome": "referred_elsewhere",
                                             "csrf_token": csrf_token(staff, url)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert ref.referral.status == "cancelled"
    set_agency_team_sharing(people["admin"], ref.client.organization, False)
    assert parties(jordan, ref.referral) == set()


def test_program_team_sharing_lets_anyone_in_the_organization_work_its_inbound_referrals(app, ref, colleagues):
    _, quinn = colleagues
    partner = _signed_in(app, ref.claimer)  # a member manages the program on the partner site
    url = f"/partner/programs/{ref.program.id}"
    page = partner.get(url).get_data(as_text=True)
    assert f"Team sharing: anyone in {ref.claimer.organization.name} may see, note and update" in page
    resp = partner.post(url, data={"csrf_token": csrf_token(partner, url), "name": ref.program.name,
                                   "capacity": "accepting", "team_sharing": "y",
                                   "version_id": str(ref.program.version_id)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.expire_all()
    assert ref.program.team_sharing and parties(quinn, ref.referral) == {CLAIMER}
    colleague = _signed_in(app, quinn)
    assert "Lopez" in colleague.get("/partner/referrals").get_data(as_text=True)
    detail = f"/partner/referrals/{ref.referral.id}"
    resp = colleague.post(f"{detail}/status", data={"action": "accept", "csrf_token": csrf_token(colleague, detail)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert ref.referral.status == "accepted"


def test_only_managers_switch(ref, colleagues, people):
    jordan, quinn = colleagues
    other = factories.partner_organization("Elsewhere")
    stranger = factories.user(other, "partner", email="stranger@elsewhere.test")
    with pytest.raises(Forbidden):
        set_program_team_sharing(stranger, ref.program, True)
    with pytest.raises(Forbidden):
        set_agency_team_sharing(jordan, ref.client.organization, True)
    assert set_program_team_sharing(quinn, ref.program, True) is True  # a member of the organization manages it
    assert set_program_team_sharing(quinn, ref.program, True) is False
