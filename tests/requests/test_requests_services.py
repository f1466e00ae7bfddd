"""Requests end to end at the service level: send (one, a packet), fulfil each kind, Inbox items, accept,
return and send again, cancel, "I can't provide this", hiding from one representative, private results,
reminders, and the uploads' checks (S11)."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal_app.authz import Permission, can
from portal_app.extensions import db
from portal_app.messaging.models import Conversation, Message
from portal_app.outbox import OutboxEmail
from portal_app.portal_access.hiding import hide_item
from portal_app.requests import errors, portal_services, reminders, services, uploads
from portal_app.requests.models import ITEM_TYPE, RequestStatus
from portal_app.requests.queries import bundle_progress, portal_requests
from tests import factories
from tests.requests.helpers import (
    answers_for,
    category,
    gad7,
    grant_portal,
    jpeg_with_gps,
    png_bytes,
    portal_client,
)

S = RequestStatus


@pytest.fixture
def setup(agency, admin, case_manager, supervisor, partner_user):
    grant_portal({"admin": admin, "supervisor": supervisor, "case_manager": case_manager})
    client, account, access = portal_client(agency)
    template = gad7(admin)
    ident = category(agency, "Identification")
    return {"client": client, "account": account, "access": access, "template": template, "ident": ident}


def _document_data(ident, **kw):
    return {"kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id), **kw}


def _emails_to(address: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == address)))


def test_a_packet_is_one_email_and_its_progress_follows_each_fulfilment(setup, case_manager):
    s = setup
    bundle = services.send_bundle(case_manager, s["client"], "Intake packet", [
        {"kind": "assessment", "template_id": s["template"].id},
        _document_data(s["ident"]), {"kind": "location"}])
    assert len(_emails_to("maria@example.test")) == 1
    body = _emails_to("maria@example.test")[0].body_text
    assert "/portal/requests" in body and "Maria" not in body  # a link, no client details (S14)
    assessment, document, location = bundle.requests
    assert bundle_progress([bundle.id]) == {bundle.id: (0, 3)}

    version = assessment.document.template_version
    portal_services.fulfil_assessment(s["account"], s["access"], assessment, answers_for(version), submit=True)
    portal_services.fulfil_document(s["account"], s["access"], document, [png_bytes(), png_bytes(color=(0, 0, 0))])
    portal_services.fulfil_location(s["account"], s["access"], location, "12 Oak Street, Springfield")
    assert bundle_progress([bundle.id]) == {bundle.id: (3, 3)}
    assert assessment.document.status == "completed" and assessment.status == S.FULFILLED
    assert document.received_pages == 2
    assert len(PdfReader(io.BytesIO(portal_services.received_bytes(document))).pages) == 2
    assert location.location_text == "12 Oak Street, Springfield"


def test_fulfilment_is_an_inbox_item_for_the_staff_member_who_asked(setup, case_manager):
    s = setup
    request = services.send_request(case_manager, s["client"], {"kind": "location"})
    portal_services.fulfil_location(s["account"], s["access"], request, "", "45.5", "-122.6")
    conversation = db.session.get(Conversation, request.conversation_id)
    assert conversation.staff_id == case_manager.id and not conversation.audience_all
    message = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    assert message.sender_account_id == s["account"].id  # from the portal: the PORTAL label in the Inbox
    staff_mail = _emails_to(case_manager.email)
    assert len(staff_mail) == 1 and f"/staff/messages/{conversation.id}" in staff_mail[0].body_text
    assert (request.latitude, request.longitude) == (45.5, -122.6)


def test_returned_with_a_reason_then_sent_again_then_accepted(setup, case_manager):
    s = setup
    request = services.send_request(case_manager, s["client"], _document_data(s["ident"]))
    portal_services.fulfil_document(s["account"], s["access"], request, [png_bytes()])
    with pytest.raises(errors.ReasonRequired):
        services.return_result(case_manager, request, " ")
    services.return_result(case_manager, request, "The photo is blurry.")
    assert request.status == S.RETURNED
    [row] = portal_requests(s["access"])
    assert row.return_reason == "The photo is blurry." and row.waiting_for_client
    portal_services.add_pages(s["account"], s["access"], request, [png_bytes()])
    portal_services.fulfil_document(s["account"], s["access"], request, [png_bytes(color=(1, 2, 3))])
    assert request.status == S.FULFILLED and request.received_pages == 2
    services.accept_result(case_manager, request)
    assert request.status == S.ACCEPTED
    with pytest.raises(errors.WrongStatus):
        services.cancel_request(case_manager, request)


def test_cant_provide_reaches_the_inbox_and_the_client_can_still_send_it(setup, case_manager):
    s = setup
    request = services.send_request(case_manager, s["client"], _document_data(s["ident"]))
    with pytest.raises(errors.ReasonRequired):
        portal_services.cant_provide(s["account"], s["access"], request, "other", "")
    portal_services.cant_provide(s["account"], s["access"], request, "lost", "It was stolen.")
    assert request.status == S.CANT_PROVIDE
    message = db.session.scalar(select(Message).where(Message.conversation_id == request.conversation_id))
    assert "I lost it: It was stolen." in message.body_html
    portal_services.fulfil_document(s["account"], s["access"], request, [png_bytes()])
    assert request.status == S.FULFILLED


def test_cancelled_requests_leave_the_client_list(setup, case_manager):
    s = setup
    request = services.send_request(case_manager, s["client"], {"kind": "location"})
    services.cancel_request(case_manager, request)
    assert portal_requests(s["access"]) == []
    with pytest.raises(errors.WrongStatus):
        portal_services.fulfil_location(s["account"], s["access"], request, "1 Main St")


def test_other_name_is_required_when_other_is_chosen(setup, case_manager):
    s = setup
    with pytest.raises(errors.OtherNameRequired):
        services.send_request(case_manager, s["client"], _document_data(s["ident"], name_id="other"))
    request = services.send_request(case_manager, s["client"],
                                    _document_data(s["ident"], name_id="other", other_name="Passport"))
    assert request.what() == "Passport (Identification)"


def test_refusals_when_sending(setup, case_manager, admin):
    s = setup
    with pytest.raises(errors.UnknownKind):
        services.send_request(case_manager, s["client"], {"kind": "telegram"})
    with pytest.raises(errors.AssessmentNotOffered):  # the intake form is not a portal assessment
        from tests.documents.documents_helpers import form
        services.send_request(case_manager, s["client"], {"kind": "assessment",
                                                          "template_id": form(admin, "Intake form").id})
    other_agency_category = category(factories.agency(), "Income")
    with pytest.raises(errors.CategoryRequired):
        services.send_request(case_manager, s["client"], {"kind": "document", "category_id": other_agency_category.id,
                                                          "name_id": str(other_agency_category.names[0].id)})
    with pytest.raises(errors.NameRequired):  # a name of another category
        income = category(s["client"].organization, "Income")
        services.send_request(case_manager, s["client"], _document_data(s["ident"], name_id=str(income.names[0].id)))
    with pytest.raises(errors.DueDateInPast):
        services.send_request(case_manager, s["client"], {"kind": "location", "due_date": date(2000, 1, 1)})
    lonely = factories.client(s["client"].organization)
    with pytest.raises(errors.NoPortalAccount):
        services.send_request(case_manager, lonely, {"kind": "location"})
    with pytest.raises(errors.NotYourAgency):
        services.send_request(factories.user(factories.agency(), perm_client_portal=True), s["client"],
                              {"kind": "location"})
    case_manager.perm_client_portal = False
    with pytest.raises(errors.NotYourAgency):  # without the "Client Portal" permission
        services.send_request(case_manager, s["client"], {"kind": "location"})


def test_a_request_hidden_from_one_representative_is_absent_for_them_only(agency, case_manager):
    case_manager.perm_client_portal = True
    client, account, access = portal_client(agency)
    mother = factories.account("mother", email="mother@example.test")
    mother_access = factories.access(mother, client, label="mother")
    request = services.send_request(case_manager, client, {"kind": "location"})
    hide_item(case_manager, mother_access, ITEM_TYPE, request.id)
    assert portal_requests(mother_access) == [] and portal_requests(access) == [request]
    assert services.portal_recipients([request]) == [account]
    assert not can(mother, Permission.PORTAL_REQUESTS, (mother_access, request))
    assert can(account, Permission.PORTAL_REQUESTS, (access, request))


def test_a_private_result_stays_inside_the_agency(setup, case_manager, partner_user, admin):
    s = setup
    factories.share(s["client"], partner_user.organization, admin)
    open_request = services.send_request(case_manager, s["client"], {"kind": "location"})
    private = services.send_request(case_manager, s["client"], {"kind": "location", "private": True})
    assert can(case_manager, Permission.REQUEST_RESULT, private)
    assert can(partner_user, Permission.REQUEST_RESULT, open_request)
    assert not can(partner_user, Permission.REQUEST_RESULT, private)
    stranger = factories.user(factories.partner_organization(), role="partner")
    assert not can(stranger, Permission.REQUEST_RESULT, open_request)  # not shared with their organization
    other_staff = factories.user(factories.agency())
    assert not can(other_staff, Permission.REQUEST_RESULT, private)


def test_reminders_three_days_before_and_on_the_day_once_each(setup, case_manager, frozen_clock):
    s = setup
    due = services.today() + timedelta(days=3)
    services.send_request(case_manager, s["client"], {"kind": "location", "due_date": due})
    before = len(_emails_to("maria@example.test"))
    assert reminders.send_reminders() == 1
    assert reminders.send_reminders() == 0  # idempotent
    frozen_clock.advance(timedelta(days=3))
    assert reminders.send_reminders() == 1
    assert reminders.send_reminders() == 0
    mails = _emails_to("maria@example.test")[before:]
    assert len(mails) == 2 and all("/portal/requests" in m.body_text for m in mails)
    frozen_clock.advance(timedelta(days=1))
    [row] = portal_requests(s["access"])
    assert row.is_overdue(services.today())


# --- uploads (S11) ----------------------------------------------------------------------------------------

def test_a_photo_loses_its_exif_and_becomes_a_pdf_page():
    pdf = uploads.check_page(jpeg_with_gps())
    assert pdf.startswith(b"%PDF-") and b"SecretPhone" not in pdf
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("data, error", [
    (b"<html><script>alert(1)</script></html>", errors.UploadRejected),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", errors.UploadRejected),
    (b"%PDF-1.4 not really a pdf", errors.UploadRejected),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, errors.UploadRejected),
    (b"", errors.UploadRejected),
])
def test_files_that_are_not_photos_or_pdfs_are_refused(data, error):
    with pytest.raises(error):
        uploads.check_page(data)


def test_heic_is_refused_with_its_own_sentence():
    with pytest.raises(errors.UploadRejected, match="HEIC"):
        uploads.check_page(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")


def test_a_20000_by_20000_image_is_refused_from_its_header():
    from tests.requests.helpers import huge_png

    with pytest.raises(errors.UploadTooLarge) as refused:
        uploads.check_page(huge_png())
    assert refused.value.status == 413 and "40 megapixels" in str(refused.value)


def test_a_new_kind_is_one_registration(app, setup, case_manager):
    """The extension point the release of information uses: a kind registered is offered, sent, fulfilled."""
    from forms.staff.requests import RequestForm
    from portal_app.requests.kinds import KINDS, KindHandler, register_kind

    register_kind("probe", KindHandler("Probe", lambda actor, request, data: None,
                                       portal_services.mark_fulfilled, "portal.request_location"))
    try:
        with app.test_request_context():
            assert ("probe", "Probe") in [(c.value, c.label) for c in RequestForm([], [], meta={"csrf": False}).kind.choices]
        request = services.send_request(case_manager, setup["client"], {"kind": "probe"})
        KINDS["probe"].fulfil(setup["account"], setup["access"], request, note="signed")
        assert request.status == S.FULFILLED and request.conversation_id is not None
    finally:
        KINDS.pop("probe")
