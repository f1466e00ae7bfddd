"""Inbound Referrals: only the claimer's programs, the "Not updated" count (no status change in 7 days), filters."""
from __future__ import annotations

from datetime import timedelta

from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.referrals import queries
from tests import factories

from .conftest import make_program, send


def test_not_updated_counts_open_referrals_unchanged_for_seven_days(ref, people):
    old, fresh, closed = ref.referral, send(ref.helper, ref.client, ref.program), send(ref.helper, ref.client, ref.program)
    old.status_changed_at = utcnow() - timedelta(days=8)
    closed.status, closed.status_changed_at = "completed", utcnow() - timedelta(days=30)
    db.session.flush()
    assert queries.not_updated_count(ref.claimer) == (1, False)
    assert [r.id for r in queries.inbound_referrals(ref.claimer, age="7")] == [closed.id, old.id]
    assert [r.id for r in queries.inbound_referrals(ref.claimer, status="requested")] == [old.id, fresh.id]
    assert [r.id for r in queries.inbound_referrals(ref.claimer, status="nonsense", age="nonsense")] == [
        closed.id, old.id, fresh.id]


def test_a_partner_user_who_is_not_a_claimer_sees_nothing(client, auth, ref, people):
    colleague = factories.user(ref.claimer.organization, role="partner", email="colleague@partner.test")
    other = make_program(people["admin"], ref.claimer.organization, name="Other", claimers=[colleague])
    assert queries.inbound_referrals(colleague).items == []
    auth.login(colleague)
    assert client.get(f"/partner/referrals/{ref.referral.id}").status_code == 404
    page = client.get("/partner/referrals").get_data(as_text=True)
    assert "Maria Lopez" not in page and other.name not in page


def test_the_filters_on_the_page(client, auth, ref):
    ref.referral.status_changed_at = utcnow() - timedelta(days=10)
    db.session.flush()
    auth.login(ref.claimer)
    page = client.get("/partner/referrals").get_data(as_text=True)
    assert "<strong>1</strong> Not updated" in page
    assert "Maria Lopez" in client.get("/partner/referrals?age=7&status=requested").get_data(as_text=True)
    assert "Maria Lopez" not in client.get("/partner/referrals?status=accepted").get_data(as_text=True)
    assert client.get("/partner/referrals?status=%00&age=99999999999999999999&page=x").status_code == 200


def test_staff_claimers_of_an_agency_program_work_its_referrals_on_the_staff_site(client, auth, ref, people):
    """An agency's own program: its claimers are staff; the history names the program for a later claimer."""
    from portal_app.referrals import services

    own = make_program(people["admin"], people["admin"].organization, name="Agency Rent Help",
                       claimers=[people["supervisor"]])
    referral = send(ref.helper, ref.client, own)
    auth.login(people["supervisor"])
    page = client.get("/staff/referrals/inbound").get_data(as_text=True)
    assert "Agency Rent Help" in page and "Rent Help</td>" not in page.replace("Agency Rent Help", "")
    services.change_status(people["supervisor"], referral, "accept")
    events = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    sup = people["supervisor"]
    assert f"{sup.first_name} {sup.last_name[0]}. ({sup.organization.name})" in events  # worker there first
