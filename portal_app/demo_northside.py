"""The second demo agency, Northside Family Services, and the deployment operator (`flask demo`).

Northside works with Hope Counseling Center too (Riverside manages Hope): a newcomer sees two
agencies sealed off from each other, and Hope's partner user sees both agencies' shared clients.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from .accounts.models import ROLE_LABELS, AgencyPartner, Organization, OrganizationKind, Role, User
from .clients.avatars import generate_avatar
from .clients.models import PRIMARY_CASE_MANAGER, CareTeamMember, Client
from .clock import utcnow
from .extensions import db
from .files import store_bytes
from .sharing.models import ClientShare, Contact, ContactMethod, ContactSource, ServiceProvider

NORTHSIDE_NAME = "Northside Family Services"
OPERATORS_NAME = "Deployment operators"


@dataclass(frozen=True)
class Login:
    email: str
    first: str
    last: str
    role: Role


NORTHSIDE_STAFF = (
    Login("admin@northside.example", "Robin", "Hale", Role.ADMIN),
    Login("sam@northside.example", "Sam", "Patel", Role.CASE_MANAGER),
)
OPERATOR = Login("operator@caseport.example", "Olive", "Grant", Role.OPERATOR)

# (first, last, date of birth, phone, email, address, ZIP, language)
NORTHSIDE_CLIENTS = (
    ("Noah", "Fischer", date(1992, 2, 19), "(541) 555-0131", "noah.fischer@example.org",
     "18 Northgate Road, Northside, OR 97408", "97408", "en"),
    ("Grace", "Okoye", date(1984, 9, 7), "(541) 555-0132", "grace.okoye@example.org",
     "702 Hillcrest Avenue, Northside, OR 97408", "97408", "en"),
    ("Valeria", "Soto", date(1999, 12, 1), "(541) 555-0133", "valeria.soto@example.org",
     "45 Quarry Lane, Northside, OR 97409", "97409", "es"),
)
SHARED_WITH_HOPE = 0  # Noah Fischer: on his plan and shared with Hope Counseling Center
SHARE_NOTE = "Noah asks for evening sessions; Sam at Northside coordinates."

NORTHSIDE_LOGINS = [(p.email, f"{ROLE_LABELS[p.role]}, {NORTHSIDE_NAME}", "staff") for p in NORTHSIDE_STAFF]
OPERATOR_LOGINS = [(OPERATOR.email, f"{ROLE_LABELS[Role.OPERATOR]}, no client data", "staff")]


def _user(login: Login, org: Organization, password_hash: str) -> User:
    staff = login.role in (Role.ADMIN, Role.SUPERVISOR, Role.CASE_MANAGER)
    user = User(email=login.email, password_hash=password_hash, first_name=login.first, last_name=login.last,
                organization=org, role=login.role, perm_client_portal=staff, perm_messaging=staff)
    db.session.add(user)
    return user


def load_operator(password_hash: str) -> User:
    """The operator, in the operators' own organization (no clients, no seats)."""
    home = db.session.scalar(select(Organization).where(Organization.kind == OrganizationKind.OPERATOR))
    if home is None:
        home = Organization(name=OPERATORS_NAME, kind=OrganizationKind.OPERATOR)
        db.session.add(home)
    return _user(OPERATOR, home, password_hash)


def load_northside(password_hash: str, hope_user: User) -> Organization:
    """Northside with its administrator, a case manager, three clients and one share with Hope."""
    admin = NORTHSIDE_STAFF[0]
    agency = Organization(
        name=NORTHSIDE_NAME, kind=OrganizationKind.AGENCY, phone="(541) 555-0130",
        address="9 Northgate Road, Northside, OR 97408", contact_name=f"{admin.first} {admin.last}",
        contact_email=admin.email, module_client_portal=True, module_messaging=True, licence_seats=10,
    )
    db.session.add(agency)
    staff = [_user(login, agency, password_hash) for login in NORTHSIDE_STAFF]
    case_manager = staff[1]
    clients = []
    for n, (first, last, born, phone, email, address, zip_code, lang) in enumerate(NORTHSIDE_CLIENTS):
        client = Client(organization=agency, first_name=first, last_name=last, date_of_birth=born, phone=phone,
                        email=email, address=address, zip_code=zip_code, preferred_language=lang)
        client.photo = store_bytes(generate_avatar(client.initials, seed=40 + n), "image/png",
                                   f"{client.initials.lower()}-photo.png")
        client.care_team.append(CareTeamMember(user=case_manager, role=PRIMARY_CASE_MANAGER))
        db.session.add(client)
        clients.append(client)
    db.session.flush()
    hope = hope_user.organization
    db.session.add(AgencyPartner(agency_id=agency.id, partner_id=hope.id))
    noah, now = clients[SHARED_WITH_HOPE], utcnow()
    db.session.add(ServiceProvider(client=noah, organization=hope, service="Individual counseling",
                                   added_by=case_manager))
    db.session.add(ClientShare(client=noah, organization=hope, note=SHARE_NOTE, shared_by=case_manager,
                               shared_at=now - timedelta(days=5)))
    db.session.add(Contact(client=noah, author=hope_user, organization=hope,
                           occurred_at=now - timedelta(days=1, hours=2), method=ContactMethod.IN_PERSON,
                           location="Hope Counseling Center, room 1", source=ContactSource.THIRD_PARTY,
                           notes="First evening session; goals agreed for the next four weeks."))
    return agency
