"""URL builders of the later domains (goals, releases of information, referrals, appointments, requests) for
the authorization matrix; `tests/authz_objects.py` loads them into its URL_BUILDERS."""
from __future__ import annotations

from portal_app.extensions import db
from tests import factories
from tests.authz_objects import (
    PORTAL_ACTORS,
    URL_BUILDERS,
    _messaging,
    _portal_manager_client,
)


def _goal(people: dict) -> dict:
    """An open goal of a client of the people's agency."""
    from tests.factories.goals import goal

    return {"goal_id": goal(factories.client(people["admin"].organization), people["case_manager"]).id}


URL_BUILDERS.update({
    "staff.goal_new": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.goal_edit": _goal,
    "staff.goal_status": _goal,
})


def _roi(people: dict, portal: bool = False) -> dict:
    """An active release of information of a client of the admin's agency (for a portal actor: of the client
    the signed-in portal actor acts for), naming the partner's organization."""
    from portal_app.portal_access.queries import accesses_of
    from tests.roi.helpers import signed_roi

    if portal:
        actor = people.get("actor")
        client = accesses_of(people[actor if actor in PORTAL_ACTORS else "portal"])[0].client
    else:
        client = factories.client(people["admin"].organization)
    return {"roi_id": signed_roi(people["admin"], client, [people["partner"].organization]).id}


URL_BUILDERS.update({
    "staff.client_roi_history": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.client_roi_send": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.roi_revoke": _roi,
    "portal.roi_revoke": lambda people: _roi(people, portal=True),
})


def _referral(people: dict) -> dict:
    """A referral by the case manager of a client of the people's agency to a program the partner claims for
    (admins and supervisors of the agency see it too; any portal actor gets a referral of its own client)."""
    from portal_app.portal_access.queries import accesses_of
    from tests.referrals.conftest import make_program, send

    actor = people.get("actor")
    program = make_program(people["admin"], people["partner"].organization, claimers=[people["partner"]])
    if actor in PORTAL_ACTORS:
        client = accesses_of(people[actor])[0].client
    else:
        client = factories.client(people["admin"].organization)
    return {"referral_id": send(people["case_manager"], client, program).id}


def _referral_link(people: dict) -> dict:
    """The one-tap link emailed to the claimer about a new referral."""
    import re

    from sqlalchemy import select

    from portal_app.outbox import OutboxEmail

    _referral(people)
    body = db.session.scalar(select(OutboxEmail.body_text).order_by(OutboxEmail.id.desc()))
    return {"token": re.search(r"/links/referral/(\S+)", body).group(1)}


def _refer_to(people: dict) -> dict:
    from tests.referrals.conftest import make_program

    program = make_program(people["admin"], people["partner"].organization, name="Refer here")
    return {"client_id": factories.client(people["admin"].organization, zip_code="97401").id,
            "program_id": program.id}


URL_BUILDERS.update({
    "staff.client_referrals": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.referral_search": lambda people: {"client_id": factories.client(people["admin"].organization,
                                                                           zip_code="97401").id},
    "staff.referral_new": _refer_to,
    "staff.referral_detail": _referral,
    "partner.referral_detail": _referral,
    "links.referral_action": _referral_link,
})


def _appointment_for(people: dict, client) -> dict:
    """An appointment of `client` with the case manager, two days from now (a row: the rules are tested elsewhere)."""
    from datetime import timedelta

    from portal_app.appointments.models import Appointment
    from portal_app.clock import utcnow

    start = utcnow() + timedelta(days=2)
    appointment = Appointment(organization_id=client.organization_id, client=client, staff=people["case_manager"],
                              starts_at=start, ends_at=start + timedelta(hours=1))
    db.session.add(appointment)
    db.session.flush()
    return {"appointment_id": appointment.id}


def _portal_appointment(people: dict) -> dict:
    """An appointment of the client the signed-in portal actor acts for (any portal actor's for the others)."""
    from portal_app.portal_access.queries import accesses_of

    actor = people.get("actor")
    return _appointment_for(people, accesses_of(people[actor if actor in PORTAL_ACTORS else "portal"])[0].client)


def _own_availability(people: dict) -> dict:
    """The signed-in staff member's own hours (a case manager may edit only their own)."""
    actor = people.get("actor")
    return {"user_id": people[actor if actor in ("admin", "supervisor", "case_manager") else "case_manager"].id}


URL_BUILDERS.update({
    "staff.client_appointments": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.client_appointment_new": lambda people: {"client_id": factories.client(people["admin"].organization).id},
    "staff.appointment_detail": lambda people: _appointment_for(people, factories.client(people["admin"].organization)),
    "staff.availability_edit": _own_availability,
    "portal.appointment_reschedule": _portal_appointment,
})


def _portal_request(people: dict, kind: str = "location") -> dict:
    """A request (sent by the case manager) to the client the signed-in portal actor acts for (any portal
    actor's client for the other actors): an assessment of the GAD-7, a document, or the location."""
    from portal_app.portal_access.queries import accesses_of
    from portal_app.requests import services as request_services
    from tests.requests.helpers import category, gad7

    actor = people.get("actor")
    client = accesses_of(people[actor if actor in PORTAL_ACTORS else "portal"])[0].client
    _portal_manager_client(people)  # the staff people hold the "Client Portal" permission
    data = {"kind": kind}
    if kind == "assessment":
        data["template_id"] = gad7(people["admin"]).id
    elif kind == "document":
        ident = category(client.organization, "Identification")
        data.update(category_id=ident.id, name_id=str(ident.names[0].id))
    elif kind == "roi":
        from tests.roi.helpers import roi_form

        roi_form(people["admin"])
    return {"request_id": request_services.send_request(people["case_manager"], client, data).id}


def _received_document(people: dict) -> dict:
    """A document request of a client of the people's agency, fulfilled with one page."""
    from portal_app.requests import portal_services
    from portal_app.requests.models import PortalRequest
    from tests.requests.helpers import png_bytes

    args = _portal_request(people, "document")
    request = db.session.get(PortalRequest, args["request_id"])
    from portal_app.portal_access.queries import readable_accesses

    access = readable_accesses(request.client)[0]
    portal_services.fulfil_document(access.account, access, request, [png_bytes()])
    return args


def _requests_permission(people: dict) -> dict:
    """The staff people hold the "Client Portal" permission (and Messaging, for mass sending); no URL arguments."""
    _portal_manager_client(people)
    return _messaging(people)


URL_BUILDERS.update({
    "staff.client_requests_page": lambda people: {"client_id": _portal_manager_client(people).id},
    "staff.request_new": lambda people: {"client_id": _portal_manager_client(people).id},
    "staff.request_packet": lambda people: {"client_id": _portal_manager_client(people).id},
    "staff.request_mass_new": _requests_permission,
    "staff.request_file": _received_document,
    "portal.request_assessment": lambda people: _portal_request(people, "assessment"),
    "portal.request_document": lambda people: _portal_request(people, "document"),
    "portal.request_location": _portal_request,
    "portal.request_cant": _portal_request,
    "portal.request_roi": lambda people: _portal_request(people, "roi"),
})
