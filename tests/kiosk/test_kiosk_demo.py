"""The demo network has two locations per agency, an unpaired kiosk in each agency using kiosks (Northside
has its Kiosk module off: no kiosk), and forms fillable on kiosks."""
from sqlalchemy import select

from portal_app.accounts.models import Organization, User
from portal_app.demo import load_demo
from portal_app.documents.queries import offered_versions
from portal_app.extensions import db
from portal_app.kiosk.models import AgencyLocation, KioskDevice


def test_demo_agencies_have_locations_an_unpaired_kiosk_and_kiosk_forms():
    assert load_demo() is True
    agencies = db.session.scalars(select(Organization).where(Organization.kind == "agency")).all()
    assert len(agencies) == 2 and sorted(a.module_kiosk for a in agencies) == [False, True]
    for agency in agencies:
        places = db.session.scalars(select(AgencyLocation).where(AgencyLocation.organization_id == agency.id)).all()
        kiosks = db.session.scalars(select(KioskDevice).where(KioskDevice.organization_id == agency.id)).all()
        assert len(places) == 2 and len(kiosks) == (1 if agency.module_kiosk else 0)
        assert not any(k.paired for k in kiosks)
        admin = db.session.scalar(select(User).where(User.organization_id == agency.id, User.role == "admin"))
        assert {v.template.name for v in offered_versions(admin, "fillable_kiosk")} >= {"Intake form",
                                                                                         "Consent for services"}
