"""Sharing services: client plan, Share Client / Stop sharing, contacts and their review."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.sharing import queries
from portal_app.sharing import services as sharing
from portal_app.sharing.models import ClientShare, Contact, ServiceProvider
from portal_app.sharing.part2 import PART2_NOTICE
from tests import factories
from tests import factories as sf


def outbox() -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


# --- Service Providers ---------------------------------------------------------------------


def test_add_service_provider(case_manager, a_client, partner_org, audit_actions):
    provider = sharing.add_service_provider(case_manager, a_client, partner_org, "  Anger management  ")
    assert provider.service == "Anger management" and provider.added_by_id == case_manager.id
    assert provider.organization_id == partner_org.id and provider.client_id == a_client.id
    assert audit_actions() == ["sharing.provider_added"]


def test_eligible_organizations_are_sharing_partners_only(case_manager, agency, partner_org):
    off = factories.partner_organization("Zeta Rehab", agency=agency, sharing_enabled=False)
    alpha = factories.partner_organization("Alpha Counseling", agency=agency)
    elsewhere = factories.partner_organization("Beta Rehab", agency=factories.agency())
    eligible = queries.eligible_partner_organizations(case_manager)
    assert alpha in eligible and partner_org in eligible
    assert off not in eligible and agency not in eligible
    assert elsewhere not in eligible  # S15: another agency's partner is not offered
    assert eligible == sorted(eligible, key=lambda o: o.name)


def test_another_agencys_partner_cannot_be_added_to_a_plan(case_manager, a_client):
    """Before: any sharing partner of the deployment could be put on the plan and shared with."""
    elsewhere = factories.partner_organization("Beta Rehab", agency=factories.agency())
    with pytest.raises(sharing.NotEligibleOrganization):
        sharing.add_service_provider(case_manager, a_client, elsewhere, "Counseling")


@pytest.mark.parametrize("kind", ["agency", "sharing_off"])
def test_ineligible_organization_is_refused(case_manager, a_client, agency, kind):
    org = agency if kind == "agency" else factories.partner_organization(sharing_enabled=False)
    with pytest.raises(sharing.NotEligibleOrganization) as err:
        sharing.add_service_provider(case_manager, a_client, org, "Counseling")
    assert err.value.field == "organization_id" and err.value.status == 422


@pytest.mark.parametrize("service, message", [
    ("", "Enter the service this organization provides."),
    ("   ", "Enter the service this organization provides."),
    ("x" * 201, "Use at most 200 characters."),
    ("Coun\x00seling", "Remove the invisible control characters from this text."),
])
def test_service_text_is_checked(case_manager, a_client, partner_org, service, message):
    with pytest.raises(sharing.SharingError, match=message) as err:
        sharing.add_service_provider(case_manager, a_client, partner_org, service)
    assert err.value.field == "service"


def test_an_organization_is_on_the_plan_once(case_manager, a_client, partner_org):
    sharing.add_service_provider(case_manager, a_client, partner_org, "Counseling")
    with pytest.raises(sharing.AlreadyServiceProvider):
        sharing.add_service_provider(case_manager, a_client, partner_org, "Housing")


def test_remove_service_provider_stops_its_share(case_manager, a_client, partner_org, audit_actions):
    provider = sf.provider(a_client, partner_org)
    share = sf.share(a_client, partner_org, case_manager)
    sharing.remove_service_provider(case_manager, provider)
    assert db.session.get(ServiceProvider, provider.id) is None
    assert share.revoked_at is not None and share.revoked_by_id == case_manager.id
    assert audit_actions() == ["sharing.share_revoked", "sharing.provider_removed"]


# --- Share Client --------------------------------------------------------------------------


def test_shareable_providers_have_sharing_enabled(a_client, partner_org):
    on = sf.provider(a_client, partner_org)
    sf.provider(a_client, factories.partner_organization(sharing_enabled=False))
    assert queries.shareable_providers(a_client) == [on]


def test_share_client_notifies_the_primary_contact_without_client_details(case_manager, a_client, partner_org,
                                                                            audit_actions):
    sf.provider(a_client, partner_org)
    share = sharing.share_client(case_manager, a_client, partner_org, "  Weekly group, Tuesdays.  ")
    assert share.active and share.note == "Weekly group, Tuesdays." and share.shared_by_id == case_manager.id
    [email] = outbox()
    assert email.to_address == partner_org.contact_email
    assert "http://localhost/partner/" in email.body_text
    text = email.subject + email.body_text + (email.body_html or "")
    for secret in (a_client.first_name, a_client.last_name, a_client.phone, "1990", "Weekly group"):
        assert secret not in text  # S14: a link, never the client
    assert "42 CFR" not in text
    assert audit_actions() == ["sharing.client_shared"]


def test_share_of_a_part2_client_carries_the_notice(case_manager, agency, partner_org):
    protected = sf.client(agency, part2_protected=True)
    sf.provider(protected, partner_org)
    sharing.share_client(case_manager, protected, partner_org, "")
    [email] = outbox()
    assert PART2_NOTICE in email.body_text


def test_share_without_a_contact_email_sends_nothing(case_manager, a_client):
    org = factories.partner_organization(contact_email="")
    sf.provider(a_client, org)
    sharing.share_client(case_manager, a_client, org, "")
    assert outbox() == []
    details = db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "sharing.client_shared"))
    assert json.loads(details)["notified"] is False


@pytest.mark.parametrize("setup", ["not_on_plan", "sharing_off"])
def test_share_only_to_shareable_providers(case_manager, a_client, setup):
    org = factories.partner_organization(sharing_enabled=setup != "sharing_off")
    if setup == "sharing_off":
        sf.provider(a_client, org)
    with pytest.raises(sharing.NotAServiceProvider) as err:
        sharing.share_client(case_manager, a_client, org, "")
    assert err.value.status == 422 and err.value.field == "organization_id"
    assert db.session.scalar(select(func.count(ClientShare.id))) == 0 and outbox() == []


def test_share_twice_is_already_shared(case_manager, a_client, partner_org):
    sf.provider(a_client, partner_org)
    sharing.share_client(case_manager, a_client, partner_org, "")
    with pytest.raises(sharing.AlreadyShared) as err:
        sharing.share_client(case_manager, a_client, partner_org, "again")
    assert err.value.status == 409
    assert len(outbox()) == 1


def test_share_note_is_limited(case_manager, a_client, partner_org):
    sf.provider(a_client, partner_org)
    with pytest.raises(sharing.SharingError, match="at most 2000") as err:
        sharing.share_client(case_manager, a_client, partner_org, "n" * 2001)
    assert err.value.field == "note"


def test_revoke_is_idempotent_and_allows_sharing_again(case_manager, supervisor, a_client, partner_org,
                                                       audit_actions):
    sf.provider(a_client, partner_org)
    share = sharing.share_client(case_manager, a_client, partner_org, "")
    assert sharing.revoke_share(supervisor, share) is True
    revoked_at = share.revoked_at
    assert sharing.revoke_share(case_manager, share) is False
    assert share.revoked_at == revoked_at and share.revoked_by_id == supervisor.id
    assert audit_actions().count("sharing.share_revoked") == 1
    again = sharing.share_client(case_manager, a_client, partner_org, "new note")
    assert again.active and again.id != share.id


# --- Contacts --------------------------------------------------------------------------------


def contact_data(**overrides) -> dict:
    data = {"occurred_at": datetime.now(UTC) - timedelta(hours=2), "method": "in_person",
            "location": "Office", "notes": "Line one\nLine two"}
    return {**data, **overrides}


def test_staff_contact_is_actual(case_manager, a_client, audit_actions):
    contact = sharing.record_contact(case_manager, a_client, **contact_data())
    assert contact.source == "staff" and not contact.needs_review and contact.tags == ["Actual"]
    assert contact.organization_id == case_manager.organization_id and contact.notes == "Line one\nLine two"
    assert audit_actions() == ["contact.recorded"]


def test_partner_contact_needs_review(partner_user, a_client):
    contact = sharing.record_contact(partner_user, a_client, **contact_data())
    assert contact.is_third_party and contact.needs_review
    assert contact.tags == ["Needs Review", "Third-Party"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"occurred_at": None}, "occurred_at", "Enter the date and time"),
    ({"occurred_at": datetime.now(UTC) + timedelta(days=1)}, "occurred_at", "cannot be in the future"),
    ({"occurred_at": datetime(1999, 12, 31, tzinfo=UTC)}, "occurred_at", "after 1 January 2000"),
    ({"notes": ""}, "notes", "Enter notes about the contact."),
    ({"notes": "  \n "}, "notes", "Enter notes about the contact."),
    ({"notes": "n" * 10_001}, "notes", "Use at most 10,000 characters."),
    ({"notes": "bad\x00byte"}, "notes", "invisible control characters"),
    ({"method": "telepathy"}, "method", "Choose how the contact happened."),
    ({"method": ""}, "method", "Choose how the contact happened."),
    ({"location": "l" * 201}, "location", "Use at most 200 characters."),
    ({"location": "two\nlines"}, "location", "invisible control characters"),
])
def test_record_contact_validation(case_manager, a_client, overrides, field, message):
    with pytest.raises(sharing.InvalidContact, match=message) as err:
        sharing.record_contact(case_manager, a_client, **contact_data(**overrides))
    assert err.value.field == field and err.value.status == 422
    assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_a_few_minutes_of_clock_skew_are_not_the_future(case_manager, a_client):
    soon = datetime.now(UTC) + timedelta(minutes=2)
    assert sharing.record_contact(case_manager, a_client, **contact_data(occurred_at=soon)).occurred_at == soon


def test_partner_edits_until_reviewed_then_contact_is_locked(partner_user, supervisor, a_client, audit_actions):
    contact = sf.contact(a_client, partner_user)
    sharing.update_contact(partner_user, contact, contact.version_id, **contact_data(notes="Corrected"))
    assert contact.notes == "Corrected" and contact.needs_review
    sharing.mark_contact_reviewed(supervisor, contact)
    with pytest.raises(sharing.ContactLocked) as err:
        sharing.update_contact(partner_user, contact, contact.version_id, **contact_data(notes="Sneaky"))
    assert err.value.status == 409 and contact.notes == "Corrected"
    assert audit_actions() == ["contact.updated", "contact.reviewed"]


def test_staff_may_still_edit_a_reviewed_contact(partner_user, supervisor, a_client):
    contact = sf.contact(a_client, partner_user, reviewed_by=supervisor)
    sharing.update_contact(supervisor, contact, contact.version_id, **contact_data(notes="Clarified"))
    assert contact.notes == "Clarified"


@pytest.mark.parametrize("version", [None, 0, 99])
def test_stale_or_missing_version_is_stale_edit(case_manager, a_client, version):
    contact = sf.contact(a_client, case_manager, notes="Original")
    with pytest.raises(sharing.StaleEdit) as err:
        sharing.update_contact(case_manager, contact, version, **contact_data(notes="Mine"))
    assert err.value.status == 409 and contact.notes == "Original"


def test_update_without_changes_is_not_audited(case_manager, a_client, audit_actions):
    contact = sharing.record_contact(case_manager, a_client, **contact_data())
    sharing.update_contact(case_manager, contact, contact.version_id, **contact_data(occurred_at=contact.occurred_at))
    assert audit_actions() == ["contact.recorded"]


def test_update_with_mark_reviewed(partner_user, case_manager, a_client, audit_actions):
    contact = sf.contact(a_client, partner_user)
    sharing.update_contact(case_manager, contact, contact.version_id, mark_reviewed=True,
                           **contact_data(notes="Reviewed text"))
    assert contact.reviewed_by_id == case_manager.id and contact.tags == ["Actual", "Third-Party", "Reviewed"]
    assert audit_actions() == ["contact.updated", "contact.reviewed"]


def test_a_partner_cannot_mark_reviewed_through_an_edit(partner_user, a_client):
    contact = sf.contact(a_client, partner_user)
    sharing.update_contact(partner_user, contact, contact.version_id, mark_reviewed=True, **contact_data())
    assert contact.needs_review


def test_mark_reviewed_is_idempotent(partner_user, case_manager, supervisor, a_client, audit_actions):
    contact = sf.contact(a_client, partner_user)
    assert sharing.mark_contact_reviewed(case_manager, contact) is True
    first = contact.reviewed_at
    assert sharing.mark_contact_reviewed(supervisor, contact) is False
    assert contact.reviewed_at == first and contact.reviewed_by_id == case_manager.id
    assert audit_actions() == ["contact.reviewed"]


def test_only_third_party_contacts_are_reviewed(case_manager, a_client):
    contact = sf.contact(a_client, case_manager)
    with pytest.raises(sharing.SharingError, match="Only contacts recorded by a partner"):
        sharing.mark_contact_reviewed(case_manager, contact)


def test_partners_do_not_review(partner_user, a_client):
    contact = sf.contact(a_client, partner_user)
    with pytest.raises(sharing.SharingError, match="Only staff"):
        sharing.mark_contact_reviewed(partner_user, contact)
    assert contact.needs_review


def test_contact_views_are_audited_with_the_page(case_manager, a_client):
    contact = sf.contact(a_client, case_manager)
    sharing.record_contact_view(case_manager, contact, "staff.contact_detail")
    row = db.session.scalars(select(AuditEvent)).one()
    assert (row.action, row.client_id, row.object_id, json.loads(row.details)) == (
        "contact.viewed", a_client.id, str(contact.id), {"page": "staff.contact_detail"})


def test_a_share_saved_twice_at_once_is_refused_not_a_crash(people):
    """The unique index backs the check: a second active share that slips past it is AlreadyShared."""
    client = sf.client(people["case_manager"].organization)
    org = people["partner"].organization
    sf.provider(client, org)
    sharing.share_client(people["case_manager"], client, org, "first")
    duplicate = ClientShare(client=client, organization=org, note="second", shared_by_id=people["admin"].id)
    with pytest.raises(sharing.AlreadyShared):
        sharing._insert_or_refuse(duplicate, sharing.AlreadyShared)
    assert len(queries.shareable_providers(client)) == 1  # the session is still usable
