"""Accessibility seeds of the later domains: goals, releases of information, referrals, appointments."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from portal_app.extensions import db


def seed_domains(user: dict, jamie, avery, programs: dict, consent) -> dict:
    """Objects every page of these domains needs to show something; returns the ids the URL table uses."""
    from portal_app.programs import services as program_services
    from tests.factories.goals import (
        goal as make_goal,  # the profile's Goals section shows open and closed goals
    )

    goal = make_goal(jamie, user["case_manager"], "Move into a two-bedroom apartment", description="Near school.")
    make_goal(jamie, user["case_manager"], "Enroll in evening English classes", domain="education", status="met")
    from tests.roi.helpers import signed_roi

    rois = {who: signed_roi(user["case_manager"], child, [], other="Lane County Court").id  # an active ROI each
            for who, child in (("portal_self", jamie), ("guardian_es", avery))}
    import re

    from portal_app.outbox import OutboxEmail
    from portal_app.referrals import services as referral_services

    program_services.add_claimer(user["partner"], programs["partner"], user["partner"])
    referral = referral_services.send_referral(user["case_manager"], jamie, programs["partner"],
                                               contact_name="Jamie Rivera", contact_phone="541-555-0100")
    referral_services.add_note(user["partner"], referral, "Called, left a message.")
    referral_services.change_status(user["partner"], referral, "accept")
    referral_services.change_status(user["partner"], referral, "hold", reason="Waiting for a call back")
    mail = db.session.scalar(select(OutboxEmail.body_text).where(OutboxEmail.to_address == user["case_manager"].email)
                             .order_by(OutboxEmail.id.desc()))
    from portal_app.appointments import availability, previsit
    from portal_app.appointments import services as appointments
    from portal_app.clock import utcnow
    from portal_app.timefmt import to_local, to_utc

    casey = user["case_manager"]  # works every day, 8:00-18:00; Jamie and Avery have an appointment tomorrow
    availability.set_weekly_hours(user["admin"], casey, {d: availability.parse_ranges("8:00-18:00") for d in range(7)})
    tomorrow = to_local(utcnow()).date().toordinal() + 1
    visits = {}
    from portal_app.appointments import kiosk_links
    from portal_app.kiosk import devices

    office = devices.create_location(user["admin"], name="Appointments office", address="1 Main St, Riverside")
    devices.add_kiosk(user["admin"], name="Appointments tablet", location=office).secret_hash = "a" * 64  # paired
    for n, (who, child) in enumerate((("portal_self", jamie), ("guardian_es", avery))):
        start = to_utc(datetime.combine(date.fromordinal(tomorrow), time(10 + n)))
        visits[who] = appointments.book_appointment(casey, child, casey, start, 45, place="Room 2",
                                                    location_id=office.id)
    link = previsit.add_form_at_home(casey, visits["portal_self"], consent.id)
    # The appointment panel with its kiosk part: the "on kiosk" form and a hand-off listed with its status.
    kiosk_links.hand_off_for(casey, visits["portal_self"], document=link.document, location=office)
    return {
        "goal_id": goal.id,
        "roi:portal_self": rois["portal_self"], "roi:guardian_es": rois["guardian_es"],
        "referral_id": referral.id, "referral_token": re.search(r"/links/referral/(\S+)", mail).group(1),
        "appointment_id": visits["portal_self"].id,
        "appointment:portal_self": visits["portal_self"].id, "appointment:guardian_es": visits["guardian_es"].id,
        "appointment_guardian": visits["guardian_es"].id,
    }
