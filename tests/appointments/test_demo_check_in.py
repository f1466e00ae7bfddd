"""The demo (issue 12, items 5 and 6): in-person demo appointments are at the demo locations, and one today
at the Front desk tablet's location waits to be checked in with a kiosk-fillable form still to sign."""
from __future__ import annotations

from sqlalchemy import select

from portal_app.accounts.models import User
from portal_app.appointments import kiosk_links
from portal_app.appointments.models import Appointment
from portal_app.demo import load_demo
from portal_app.extensions import db
from portal_app.kiosk.models import KioskDevice
from portal_app.timefmt import to_local


def test_demo_appointment_to_check_in_goes_to_the_front_desk_tablet(frozen_clock):  # a Sunday
    assert load_demo() is True
    in_person = db.session.scalars(select(Appointment).where(Appointment.mode == "in_person")).all()
    assert in_person and all(a.location is not None for a in in_person)
    demo = db.session.scalars(select(Appointment).where(Appointment.notes == "Demo: check the client in.")).all()
    riverside = next(a for a in demo if a.client.first_name == "María")
    assert to_local(riverside.starts_at).date() == to_local(frozen_clock.utcnow()).date()
    assert riverside.status == "booked" and kiosk_links.may_check_in(riverside)
    tablet = db.session.scalar(select(KioskDevice).where(KioskDevice.organization_id == riverside.organization_id,
                                                         KioskDevice.name == "Front desk tablet"))
    assert riverside.location_id == tablet.location_id
    casey = db.session.scalar(select(User).where(User.email == "casey@riverside.example"))
    queued = kiosk_links.check_in(casey, riverside).queued
    assert [h.document.template_version.template.name for h in queued] == ["Release of information"]
    assert queued[0].location_id == tablet.location_id and queued[0].device_id is None
