"""Kiosk test helpers: a location, a kiosk paired through the real pairing pages, a hand-off."""
from __future__ import annotations

import re

from portal_app.kiosk import devices, handoffs
from portal_app.kiosk.models import KioskDevice
from tests.conftest import csrf_token
from tests.documents.documents_helpers import form

CODE_RE = re.compile(r'id="pairing-code"[^>]*>([A-Z0-9]{6})<')


def location(admin, name: str = "Main office"):
    return devices.create_location(admin, name=name, address="100 Main St")


def kiosk(admin, name: str = "Front desk tablet", place=None) -> KioskDevice:
    return devices.add_kiosk(admin, name=name, location=place or location(admin))


def show_code(client) -> str:
    """The tablet asks for a pairing code and shows it (the real pages)."""
    token = csrf_token(client, "/kiosk/login")
    assert client.post("/kiosk/pair", data={"csrf_token": token}).status_code == 302
    match = CODE_RE.search(client.get("/kiosk/login").get_data(as_text=True))
    assert match, "no pairing code shown"
    return match.group(1)


def pair_response(client, admin, device: KioskDevice | None = None):
    """Pair the test client's browser as `device` (a new kiosk by default): code shown, claimed, finished.
    Returns the tablet's last answer (the redirect to its home, carrying the device cookie)."""
    device = device or kiosk(admin)
    code = show_code(client)
    devices.claim_pairing(admin, device, code)
    resp = client.get("/kiosk/login")
    resp.device = device
    return resp


def pair(client, admin, device: KioskDevice | None = None) -> KioskDevice:
    resp = pair_response(client, admin, device)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/kiosk/"), resp.status_code
    return resp.device


def handoff(admin, staff, client_record, *, device: KioskDevice | None = None, place=None, name: str = "Intake form",
            template=None):
    """A blank demo form (installed by `admin` unless `template` is given) handed by `staff` to `device`, or to
    any tablet at `place`, for `client_record`."""
    template = template or form(admin, name)
    return handoffs.hand_off(staff, client_record, template_version=template.versions[-1], device=device,
                             location=place)


def confirm_birth_date(tablet, waiting, person=None, token: str | None = None, birth_date: str | None = None):
    """The tablet's first step for the hand-off `waiting`: the client types their date of birth (right unless
    `birth_date` is given). The response, for the caller to check."""
    person = person or waiting.client
    typed = person.date_of_birth.isoformat() if birth_date is None else birth_date
    return tablet.post("/kiosk/verify", data={"csrf_token": token or csrf_token(tablet, "/kiosk/"),
                                              "handoff": str(waiting.id), "birth_date": typed})


def form_on_tablet(app, admin, staff, **client_fields):
    """A tablet (a test client) paired by `admin`, and a client's form handed to it by `staff`, committed:
    (tablet, device, client, hand-off)."""
    from portal_app.extensions import db
    from tests import factories

    tablet = app.test_client()
    device = pair(tablet, admin)
    person = factories.client(admin.organization, **client_fields)
    waiting = handoff(admin, staff, person, device=device)
    db.session.commit()
    return tablet, device, person, waiting
