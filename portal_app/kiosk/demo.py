"""Demo kiosks: two locations per demo agency and, where its Kiosk module is on (Riverside; Northside shows
the module off), one kiosk left unpaired so a newcomer can pair a second browser window as the tablet
(Account Administration › Kiosks, then /kiosk/ in that window)."""
from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import Organization, Role, User
from ..extensions import db
from .devices import add_kiosk, create_location

DEMO_LOCATIONS = {
    "Riverside Community Services": (("Riverside main office", "100 Main St, Riverside, OR 97401"),
                                     ("Westside clinic", "2200 W 11th Ave, Riverside, OR 97402")),
}
DEFAULT_LOCATIONS = (("Main office", ""), ("Family center", ""))
DEMO_KIOSK_NAME = "Front desk tablet"


def load_kiosks(admin: User) -> None:
    """The agency's two locations and, with its Kiosk module on, an unpaired kiosk at the first one."""
    agency = admin.organization
    specs = DEMO_LOCATIONS.get(agency.name) or tuple(
        (name, agency.address if n == 0 else address) for n, (name, address) in enumerate(DEFAULT_LOCATIONS))
    places = [create_location(admin, name=name, address=address) for name, address in specs]
    if agency.module_kiosk:
        add_kiosk(admin, name=DEMO_KIOSK_NAME, location=places[0])


def load_demo_kiosks(*agencies: Organization) -> None:
    for agency in agencies:
        load_kiosks(db.session.scalar(select(User).where(User.organization_id == agency.id, User.role == Role.ADMIN)
                                      .order_by(User.id).limit(1)))
