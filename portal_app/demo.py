"""The demo network (`flask demo`): one agency, its staff, two partners and a dozen fictional clients."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import click
from sqlalchemy import func, select

from . import audit
from .accounts.models import ROLE_LABELS, AgencyPartner, Organization, OrganizationKind, Role, User
from .clients.avatars import generate_avatar
from .clients.models import (
    CASE_MANAGER,
    PRIMARY_CASE_MANAGER,
    SUPERVISOR,
    CareTeamMember,
    Client,
)
from .clock import utcnow
from .demo_northside import NORTHSIDE_LOGINS, NORTHSIDE_NAME, OPERATOR_LOGINS, load_northside, load_operator
from .extensions import db
from .files import store_bytes
from .messaging.models import ITEM_TYPE as CONVERSATION_ITEM
from .messaging.models import Conversation, Message, ReadState
from .messaging.unread import recount_all
from .passwords import hash_password
from .portal_access.models import (
    ClientAccess,
    HiddenItem,
    Invitation,
    PortalAccount,
    Relationship,
)
from .sharing.models import (
    ClientShare,
    Contact,
    ContactMethod,
    ContactSource,
    ServiceProvider,
)

DEMO_PASSWORD = "caseport-demo-2026"
AGENCY_NAME = "Riverside Community Services"


@dataclass(frozen=True)
class Person:
    email: str
    first: str
    last: str
    role: Role


STAFF = (
    Person("admin@riverside.example", "Alex", "Rivera", Role.ADMIN),
    Person("supervisor@riverside.example", "Sam", "Okafor", Role.SUPERVISOR),
    Person("casey@riverside.example", "Casey", "Morgan", Role.CASE_MANAGER),
    Person("jordan@riverside.example", "Jordan", "Lee", Role.CASE_MANAGER),
)

# (organization name, phone, address, contact person)
PARTNERS = (
    ("Hope Counseling Center", "(541) 555-0142", "88 Willow Lane, Riverside, OR 97401",
     Person("partner@hope.example", "Dana", "Whitfield", Role.PARTNER)),
    ("Bridgeway Recovery Program", "(541) 555-0177", "410 Mill Street, Suite 2, Riverside, OR 97402",
     Person("partner@bridgeway.example", "Morgan", "Reyes", Role.PARTNER)),
)

# (email, role label, site) — printed by `flask demo` and `flask welcome`.
DEMO_LOGINS = [(p.email, ROLE_LABELS[p.role], "staff") for p in STAFF] + [
    (contact.email, ROLE_LABELS[Role.PARTNER], "partner") for *_, contact in PARTNERS
] + NORTHSIDE_LOGINS + OPERATOR_LOGINS

# Client portal accounts: (username, email, [(client position, relationship label or "" for self, may sign)])
PORTAL_ACCOUNTS = (
    ("maria", "maria.gonzalez@example.org", [(0, "", True)]),
    ("guardian", "ana.delgado@example.org", [(10, "mother", True), (11, "mother", True)]),
    ("rdelgado", "ruben.delgado@example.org", [(10, "father", False)]),
)
FULL_NAMES = {"maria": "María González", "guardian": "Ana Delgado", "rdelgado": "Rubén Delgado"}
# (username, "<for>"): Sam's father does not see that his mother also acts for Sam (the custody case).
HIDDEN_FROM = (("rdelgado", "guardian"),)
# A pending invitation: James Whitaker is invited to the portal and has not registered yet.
PENDING_INVITATION = (1, "james.whitaker@example.org")

DEMO_PORTAL_LOGINS = [
    ("maria", "client: María González", "portal"),
    ("guardian", "mother of Sam and Lucía Delgado", "portal"),
    ("rdelgado", "father of Sam Delgado (one item hidden)", "portal"),
]

# Fictional people: 555-01xx phone numbers, example.org addresses.
# (first, middle, last, date of birth, phone, email, address, ZIP, language, Part 2, case manager)
CLIENTS = (
    ("María", "Elena", "González", date(1986, 3, 14), "(541) 555-0101", "maria.gonzalez@example.org",
     "1423 Alder Street, Apt 4, Riverside, OR 97401", "97401", "es", False, "casey"),
    ("James", "", "Whitaker", date(1979, 11, 2), "(541) 555-0102", "james.whitaker@example.org",
     "77 Cedar Court, Riverside, OR 97402", "97402", "en", False, "jordan"),
    ("Aaliyah", "Rose", "Brooks", date(2001, 6, 21), "(541) 555-0103", "aaliyah.brooks@example.org",
     "305 Pine Avenue, Riverside, OR 97401", "97401", "en", False, "casey"),
    ("Roberto", "", "Álvarez Ruiz", date(1968, 9, 30), "(541) 555-0104", "roberto.alvarez@example.org",
     "1890 River Road, Unit B, Riverside, OR 97403", "97403", "es", False, "jordan"),
    ("Tyler", "", "Nguyen", date(1995, 1, 8), "(541) 555-0105", "tyler.nguyen@example.org",
     "62 Maple Drive, Riverside, OR 97402", "97402", "en", False, "casey"),
    ("Denise", "Marie", "Carter", date(1983, 4, 17), "(541) 555-0106", "denise.carter@example.org",
     "940 Birch Street, Riverside, OR 97401", "97401", "en", True, "jordan"),
    ("Marcus", "", "Bell", date(1990, 12, 5), "(541) 555-0107", "marcus.bell@example.org",
     "15 Harbor View Lane, Riverside, OR 97404", "97404", "en", False, "casey"),
    ("Priya", "", "Raman", date(1998, 7, 29), "(541) 555-0108", "priya.raman@example.org",
     "2210 Orchard Way, Riverside, OR 97403", "97403", "en", False, "jordan"),
    ("Kevin", "Patrick", "O'Connell", date(1975, 2, 11), "(541) 555-0109", "kevin.oconnell@example.org",
     "503 Elm Street, Apt 12, Riverside, OR 97401", "97401", "en", False, "casey"),
    ("Latoya", "", "Jenkins", date(1988, 10, 23), "(541) 555-0110", "latoya.jenkins@example.org",
     "1177 Sunset Boulevard, Riverside, OR 97402", "97402", "en", False, "jordan"),
    ("Sam", "", "Delgado", date(2014, 5, 3), "(541) 555-0111", "",
     "48 Spruce Circle, Riverside, OR 97404", "97404", "en", False, "casey"),
    ("Lucía", "", "Delgado", date(2017, 8, 16), "(541) 555-0111", "",
     "48 Spruce Circle, Riverside, OR 97404", "97404", "es", False, "casey"),
)

# Clients (by position in CLIENTS) whose care team also includes the supervisor.
SUPERVISED = (0, 3, 5, 8)
# Clients whose care team also includes the other case manager, covering.
COVERED = {2: "jordan", 7: "casey"}


class DemoConflict(Exception):
    """Some demo people or partners already exist without the demo agency."""


def _existing(column, values) -> list[str]:
    """Which of `values` the column already holds (case-insensitive)."""
    lowered = [v.lower() for v in values]
    return list(db.session.scalars(select(column).where(func.lower(column).in_(lowered))))


def _user(person: Person, org: Organization, password_hash: str) -> User:
    staff = person.role != Role.PARTNER
    user = User(
        email=person.email, password_hash=password_hash, first_name=person.first, last_name=person.last,
        organization=org, role=person.role, perm_client_portal=staff, perm_messaging=staff,
    )
    db.session.add(user)
    return user


def _load_people(password_hash: str) -> tuple[Organization, dict[str, User], list[User]]:
    admin = STAFF[0]
    agency = Organization(
        name=AGENCY_NAME, kind=OrganizationKind.AGENCY, phone="(541) 555-0100",
        address="200 River Road, Suite 3, Riverside, OR 97401",
        contact_name=f"{admin.first} {admin.last}", contact_email=admin.email,
        module_client_portal=True, module_messaging=True, module_kiosk=True, module_referrals=True,
    )
    db.session.add(agency)
    staff = {p.email.split("@")[0]: _user(p, agency, password_hash) for p in STAFF}
    partners = []
    db.session.flush()
    for name, phone, address, contact in PARTNERS:  # Riverside manages its two partners and works with them
        org = Organization(
            name=name, kind=OrganizationKind.PARTNER, phone=phone, address=address, sharing_enabled=True,
            contact_name=f"{contact.first} {contact.last}", contact_email=contact.email,
            managing_agency_id=agency.id,
        )
        db.session.add(org)
        db.session.flush()
        db.session.add(AgencyPartner(agency_id=agency.id, partner_id=org.id))
        partners.append(_user(contact, org, password_hash))
    return agency, staff, partners


def _load_clients(agency: Organization, staff: dict[str, User]) -> list[Client]:
    clients = []
    for n, (first, middle, last, born, phone, email, address, zip_code, lang, part2, manager) in enumerate(CLIENTS):
        client = Client(
            organization=agency, first_name=first, middle_name=middle, last_name=last, date_of_birth=born,
            phone=phone, email=email, address=address, zip_code=zip_code, preferred_language=lang,
            part2_protected=part2,
        )
        client.photo = store_bytes(
            generate_avatar(client.initials, seed=n), "image/png", f"{client.initials.lower()}-photo.png"
        )
        client.care_team.append(CareTeamMember(user=staff[manager], role=PRIMARY_CASE_MANAGER))
        if n in COVERED:
            client.care_team.append(CareTeamMember(user=staff[COVERED[n]], role=CASE_MANAGER))
        if n in SUPERVISED:
            client.care_team.append(CareTeamMember(user=staff["supervisor"], role=SUPERVISOR))
        db.session.add(client)
        clients.append(client)
    return clients


# Client plans: (client position, partner position, service, shared?, share note)
PLANS = (
    (0, 0, "Individual counseling", True, "María prefers Spanish-speaking counselors and morning appointments."),
    (2, 0, "Anger management group", True, "Referred after intake; please confirm attendance weekly."),
    (5, 0, "Trauma-informed counseling", True, "Please coordinate any schedule change with Jordan first."),
    (3, 1, "Outpatient recovery program", True, "Roberto starts the evening group; transport is arranged."),
    (9, 1, "Relapse prevention group", True, "Weekly attendance report requested."),
    (6, 0, "Family counseling", False, ""),
)

# Contacts: (client position, partner position or None for staff, days ago, method, location, notes, reviewed)
CONTACTS = (
    (0, 0, 2, ContactMethod.IN_PERSON, "Hope Counseling Center, room 2",
     "Attended the first individual session. Engaged and on time; next session booked.", False),
    (2, 0, 1, ContactMethod.PHONE, "",
     "Called to confirm group start date. Will attend Thursday's session.", False),
    (3, 1, 3, ContactMethod.IN_PERSON, "Bridgeway, evening group",
     "Attended the evening group and completed the intake paperwork.", False),
    (9, 1, 9, ContactMethod.VIDEO, "", "Completed a video check-in; attendance on track.", True),
    (0, None, 6, ContactMethod.IN_PERSON, "Riverside office", "Monthly check-in; discussed the counseling referral.", False),
    (3, None, 4, ContactMethod.HOME_VISIT, "Client's home", "Home visit: housing stable, transport arranged.", False),
)


def _load_sharing(staff: dict[str, User], partners: list[User], clients: list[Client]) -> None:
    """Plans and shares with both partners, and partner contacts waiting in Needs Review."""
    now = utcnow()
    for n, p, service, shared, note in PLANS:
        org = partners[p].organization
        manager = clients[n].care_team[0].user
        db.session.add(ServiceProvider(client=clients[n], organization=org, service=service, added_by=manager))
        if shared:
            db.session.add(ClientShare(client=clients[n], organization=org, note=note,
                                       shared_by=manager, shared_at=now - timedelta(days=14)))
    for n, p, days, method, location, notes, reviewed in CONTACTS:
        author = partners[p] if p is not None else clients[n].care_team[0].user
        contact = Contact(
            client=clients[n], author=author, organization=author.organization,
            occurred_at=now - timedelta(days=days, hours=3), method=method, location=location, notes=notes,
            source=ContactSource.THIRD_PARTY if p is not None else ContactSource.STAFF,
        )
        if reviewed:
            contact.reviewed_at = now - timedelta(days=days - 1)
            contact.reviewed_by = clients[n].care_team[0].user
        db.session.add(contact)


def _load_portal(password_hash: str, staff: dict[str, User], clients: list[Client]) -> None:
    """María's own account, a guardian acting for two children, a second representative, an invitation."""
    now = utcnow()
    accounts: dict[str, PortalAccount] = {}
    sam_accesses: dict[str, ClientAccess] = {}
    for username, email, links in PORTAL_ACCOUNTS:
        account = PortalAccount(username=username, full_name=FULL_NAMES[username], email=email,
                                password_hash=password_hash,
                                language="es" if username == "maria" else "en")
        db.session.add(account)
        accounts[username] = account
        for n, label, can_sign in links:
            access = ClientAccess(
                account=account, client=clients[n], can_sign=can_sign, relationship_label=label,
                relationship_kind=Relationship.REPRESENTATIVE if label else Relationship.SELF,
                granted_by=clients[n].care_team[0].user,
            )
            db.session.add(access)
            if n == 10:
                sam_accesses[username] = access
    db.session.flush()
    for hidden_from, item_owner in HIDDEN_FROM:
        db.session.add(HiddenItem(access=sam_accesses[hidden_from], item_type="client_access",
                                  item_id=sam_accesses[item_owner].id, hidden_by=staff["casey"]))
    n, email = PENDING_INVITATION
    db.session.add(Invitation(
        client=clients[n], email=email, relationship_kind=Relationship.SELF, nonce=secrets.token_hex(16),
        invited_by=staff["jordan"], created_at=now - timedelta(days=1), last_sent_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=6),
    ))


# Conversations: (client position, staff, subject, [(from "staff" | portal username, hours ago, body)],
#                 read by staff up to message #, read by portal up to message #, hidden from)
CONVERSATIONS = (
    (0, "casey", "Your counseling referral", [
        ("staff", 30, "<p>Hola María, your first session at <strong>Hope Counseling Center</strong> is booked.</p>"
                      "<ul><li>Tuesday at 10:00</li><li>Bring your ID card</li></ul>"),
        ("maria", 20, "<p>Gracias. Can I bring my sister with me?</p>"),
    ], 1, 2, None),
    (0, "casey", "Monthly check-in", [
        ("staff", 2, "<p>Please call me this week to set up our <em>monthly check-in</em>.</p>"),
    ], 1, 0, None),
    (10, "casey", "School meeting for Sam", [
        ("staff", 50, "<p>The school meeting for Sam is on <strong>Friday at 3 pm</strong>.</p>"),
        ("guardian", 40, "<p>Thank you, I will be there.</p>"),
    ], 2, 2, None),
    (10, "casey", "Pick-up arrangements", [
        ("staff", 5, "<p>Sam's pick-up after the session will be at the front desk.</p>"),
    ], 1, 0, "rdelgado"),
)


def _load_conversations(staff: dict[str, User], clients: list[Client]) -> None:
    """Portal conversations with unread messages on both sides; one hidden from Sam's father."""
    now = utcnow()
    staff["jordan"].allow_client_contact = False  # Jordan does not take client-initiated messages
    accounts = {a.username: a for a in db.session.scalars(select(PortalAccount))}
    for n, author, subject, messages, staff_read, portal_read, hidden_from in CONVERSATIONS:
        conversation = Conversation(client=clients[n], staff=staff[author], subject=subject,
                                    created_at=now - timedelta(hours=messages[0][1]),
                                    last_message_at=now - timedelta(hours=messages[-1][1]))
        db.session.add(conversation)
        rows = []
        for sender, hours, body in messages:
            rows.append(Message(conversation=conversation, body_html=body, created_at=now - timedelta(hours=hours),
                                sender_staff=staff[author] if sender == "staff" else None,
                                sender_account=accounts.get(sender)))
        db.session.add_all(rows)
        db.session.flush()
        accesses = db.session.scalars(select(ClientAccess).where(ClientAccess.client_id == clients[n].id)).all()
        readers = [("staff", staff[author].id, staff_read)] + [
            ("portal", access.account_id, portal_read) for access in accesses
        ]
        for kind, reader_id, upto in readers:
            db.session.add(ReadState(conversation_id=conversation.id, reader_kind=kind, reader_id=reader_id,
                                     last_read_message_id=rows[upto - 1].id if upto else 0,
                                     took_part=kind == "staff"))  # every demo conversation has a staff message
        if hidden_from:
            access = db.session.scalar(select(ClientAccess).where(
                ClientAccess.client_id == clients[n].id, ClientAccess.account_id == accounts[hidden_from].id))
            db.session.add(HiddenItem(access=access, item_type=CONVERSATION_ITEM, item_id=conversation.id,
                                      hidden_by=staff[author]))


def _load_forms(riverside_admin: User, northside: Organization) -> None:
    """Each agency's forms (intake, consent, release of information, PHQ-9, GAD-7, a paper-only notice)."""
    from .documents.demo import load_forms

    load_forms(riverside_admin)
    load_forms(db.session.scalar(select(User).where(User.organization_id == northside.id, User.role == Role.ADMIN)))


def _demo_agency_exists() -> bool:
    return db.session.scalar(
        select(Organization.id).where(func.lower(Organization.name) == AGENCY_NAME.lower())
    ) is not None


def load_demo(password: str = DEMO_PASSWORD) -> bool:
    """Load the demo network; False (and nothing added) when it is already there. Flushes, never commits."""
    if _demo_agency_exists():
        return False
    taken = _existing(User.email, [email for email, _, _ in DEMO_LOGINS]) + _existing(
        Organization.name, [name for name, *_ in PARTNERS] + [NORTHSIDE_NAME]
    )
    if taken:
        raise DemoConflict(f"These already exist, so the demo was not loaded: {', '.join(taken)}.")
    password_hash = hash_password(password)  # argon2 is slow: one hash shared by every demo person
    agency, staff, partners = _load_people(password_hash)
    clients = _load_clients(agency, staff)
    db.session.flush()
    _load_sharing(staff, partners, clients)
    _load_portal(password_hash, staff, clients)
    db.session.flush()
    _load_conversations(staff, clients)
    northside = load_northside(password_hash, partners[0])
    load_operator(password_hash)
    db.session.flush()
    _load_forms(staff["admin"], northside)
    from .documents.demo_documents import load_documents  # María: a completed consent and a draft intake
    load_documents(staff["casey"], clients[0])
    from .kiosk.demo import load_demo_kiosks  # two locations and an unpaired kiosk per agency
    load_demo_kiosks(agency, northside)
    from .programs.demo import load_programs
    load_programs(staff["admin"])
    recount_all()  # the demo's rows were added directly, not through the services that keep the badges
    audit.record("demo.loaded", obj=agency, site="cli")
    return True


def database_is_empty() -> bool:
    """No organization yet: a fresh install that the demo may fill."""
    return db.session.scalar(select(Organization.id).limit(1)) is None


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only into a database without any organization (make run).")
def demo_command(if_empty: bool) -> None:
    """Load the demo network (idempotent)."""
    if if_empty and not database_is_empty() and not _demo_agency_exists():
        click.echo("The database already holds organizations; the demo network was not loaded.")
        return
    try:
        loaded = load_demo()
    except DemoConflict as err:
        raise click.ClickException(str(err)) from err
    db.session.commit()
    if loaded:
        click.echo(
            f"Loaded the demo network: {AGENCY_NAME} with {len(STAFF)} staff, "
            f"{len(PARTNERS)} partner organizations and {len(CLIENTS)} clients; {NORTHSIDE_NAME}, "
            "which works with Hope Counseling Center too; and the deployment operator."
        )
    else:
        click.echo(f"The demo network ({AGENCY_NAME}) is already loaded; nothing was added.")
    click.echo(f"\nDemo logins (password {DEMO_PASSWORD}):")
    for login, role, site in DEMO_LOGINS + DEMO_PORTAL_LOGINS:
        click.echo(f"  {login:<30} {role:<40} /{site}/login")
