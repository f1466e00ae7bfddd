"""The agency's Referrals module (Account Administration › Settings): switched off, its staff get no referral
navigation and every referral page answers 403 (or 404 for a referral); the program's side keeps working."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from portal_app.referrals.policy import parties
from tests.conftest import Auth, csrf_token

PAGES = ["/staff/referrals/people", "/staff/referrals/inbound", "/staff/clients/{client}/referrals",
         "/staff/clients/{client}/referrals/search", "/staff/referrals/{referral}"]


def _signed_in(app, person):
    http = app.test_client()
    Auth(http).login(person)
    return http


@pytest.mark.parametrize("on", [True, False], ids=["on", "off"])
def test_the_referrals_module_switch(app, ref, on):
    ref.client.organization.module_referrals = on
    db.session.commit()
    staff = _signed_in(app, ref.helper)
    home = staff.get("/staff/").get_data(as_text=True)
    tab = staff.get(f"/staff/clients/{ref.client.id}").get_data(as_text=True)
    assert ("People I'm Helping" in home and "Inbound Referrals" in home) is on
    assert (f"/staff/clients/{ref.client.id}/referrals" in tab) is on
    for page in PAGES:
        url = page.format(client=ref.client.id, referral=ref.referral.id)
        status = staff.get(url).status_code
        assert status == 200 if on else status in (403, 404), (url, status)
    post = staff.post(f"/staff/referrals/{ref.referral.id}/status",
                      data={"action": "cancel", "csrf_token": csrf_token(staff, "/staff/")})
    assert post.status_code == (422 if on else 403)  # on: a reason is missing; off: refused
    assert bool(parties(ref.helper, ref.referral)) is on
    partner = _signed_in(app, ref.claimer)  # the program's claimers still see and work it
    assert partner.get(f"/partner/referrals/{ref.referral.id}").status_code == 200
