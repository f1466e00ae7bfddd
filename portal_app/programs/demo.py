"""Demo programs: both demo partners' and a few more organizations' around Riverside (97401-97404)."""
from __future__ import annotations

from sqlalchemy import func, select

from ..accounts.models import AgencyPartner, Organization, OrganizationKind, Role, User
from ..extensions import db
from . import services

# (organization, program, categories, languages, capacity, note, [(address, ZIP)], description)
DEMO_PROGRAMS = (
    ("Hope Counseling Center", "Individual and Family Counseling", ["mental_health"], ["en", "es"], "accepting", "",
     [("88 Willow Lane", "97401")], "Weekly counseling for adults, teens and families; sliding-scale fees."),
    ("Hope Counseling Center", "Crisis Support Group", ["mental_health"], ["en"], "assessment_required",
     "A 20-minute phone screening first", [("88 Willow Lane", "97401")], "Evening support group after a crisis."),
    ("Bridgeway Recovery Program", "Outpatient Recovery", ["substance_use", "health"], ["en"], "waitlist",
     "About 15 waiting, 4-6 weeks", [("410 Mill Street, Suite 2", "97402")], "Outpatient treatment and peer support."),
    ("Riverside Food Bank", "Community Pantry", ["food"], ["en", "es"], "accepting", "",
     [("12 Market Street", "97401"), ("700 Garden Way", "97404")], "Groceries every week for any household."),
    ("Lane Family Shelter", "Family Shelter Beds", ["housing"], ["en", "es"], "not_accepting",
     "Full until the winter beds open", [("1200 Main Street", "97477")], "Emergency shelter for families with children."),
    ("Willamette Legal Aid", "Tenant Legal Help", ["legal", "housing"], ["en", "es", "vi"], "assessment_required",
     "Intake call first", [("501 Oak Street", "97403")], "Free advice and representation for eviction cases."),
    ("Riverside Job Center", "Job Search Coaching", ["work", "education"], ["en"], "waitlist", "About 2 weeks",
     [("33 Commerce Ave", "97402")], "Resume help, interview practice and job leads."),
    ("Open Door Counseling", "Walk-in Counseling", ["mental_health"], ["en", "es"], "accepting", "",
     [("15 Elm Street", "97403")], "Short-term counseling; walk in or call for a first visit this week."),
    ("Riverside Community Services", "Rent Assistance", ["money", "housing"], ["en", "es"], "accepting", "",
     [("200 River Road, Suite 3", "97401")], "One-time help with rent or deposits for clients of the agency."),
)


def _organization(name: str, agency: Organization) -> Organization:
    org = db.session.scalar(select(Organization).where(func.lower(Organization.name) == name.lower()))
    if org is None:
        org = Organization(name=name, kind=OrganizationKind.PARTNER, managing_agency_id=agency.id, phone="(541) 555-0199")
        db.session.add(org)
        db.session.flush()
        db.session.add(AgencyPartner(agency_id=agency.id, partner_id=org.id))
    return org


def load_programs(admin: User) -> None:
    """The demo directory, managed by the demo agency's administrator; partner users become claimers."""
    for org_name, name, categories, languages, capacity, note, places, description in DEMO_PROGRAMS:
        org = _organization(org_name, admin.organization)
        program = services.create_program(admin, org, name=name, categories=categories, languages=languages,
                                          capacity=capacity, capacity_note=note, description=description,
                                          phone=org.phone, schedule="Mon-Fri 9-5")
        for address, zip_code in places:
            services.add_location(admin, program, postal_code=zip_code, address_1=address)
        for user in db.session.scalars(select(User).where(User.organization_id == org.id, User.role == Role.PARTNER)):
            services.add_claimer(admin, program, user)
