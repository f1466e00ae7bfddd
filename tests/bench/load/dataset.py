"""The 10k data set of issue 8, grown on top of the demo network through the project's models.

Rows go in with SQLAlchemy's ORM bulk INSERT (`session.execute(insert(Model), rows)`), in batches:
the models' defaults apply, and 450,000 rows take about a minute rather than hours.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import insert, select

from portal_app.accounts.models import Organization, Role, User
from portal_app.clients.models import PRIMARY_CASE_MANAGER, CareTeamMember, Client
from portal_app.clock import utcnow
from portal_app.demo import AGENCY_NAME
from portal_app.extensions import db
from portal_app.messaging import core, unread
from portal_app.messaging.models import Conversation, Message, ReadState
from portal_app.portal_access.models import ClientAccess, PortalAccount, Relationship
from portal_app.sharing.models import (
    ClientShare, Contact, ContactMethod, ContactSource, ServiceProvider, rebuild_review_waiting,
)


@dataclass(frozen=True)
class Size:
    """How much to add: totals of the issue (the demo's rows count towards them)."""

    clients: int = 10_000
    contacts: int = 200_000
    conversations: int = 40_000
    messages: int = 200_000
    shares: int = 1_500
    portal_accounts: int = 2_000
    big_log: int = 2_000  # contacts of the one heavy client (María, the demo's first client)
    long_conversation: int = 60  # messages in the conversations the portal pages open
    extra_staff: int = 16  # case managers beside the demo's (the licence has 25 seats)


# The 10k, and a tenth of it: at 1k every list the busy pages show is already a full page (the demo
# shows a few rows), so 10k against 1k compares the same rows on screen over ten times the data (P6).
SIZES = {
    "1k": Size(clients=1_000, contacts=20_000, conversations=4_000, messages=20_000, shares=150,
               portal_accounts=200),
    "10k": Size(),
}


@dataclass
class Grown:
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


FIRST = ("María", "José", "Lucía", "Ana", "Luis", "James", "Aaliyah", "Tyler", "Priya", "Kevin", "Latoya", "Sam",
         "Denise", "Marcus", "Nora", "Omar", "Chen", "Fatima", "Ivan", "Zoë", "Renée", "Andrés", "Ngozi", "Hana")
LAST = ("González", "Núñez", "Peña", "Álvarez", "Whitaker", "Brooks", "Nguyen", "Carter", "Bell", "Raman",
        "O'Connell", "Jenkins", "Delgado", "Smith", "Johnson", "García", "Martínez", "Kim", "Okafor", "Müller",
        "Søndergaard", "Walker", "Young", "Ibáñez", "Castro", "Dubois", "Rossi", "Kowalski", "Haddad", "Silva")
NOTES = ("Weekly check-in by phone; on track with the plan.", "Attended group session, engaged and on time.",
         "Home visit: housing stable, discussed transport to appointments.",
         "Missed appointment; left a voicemail and sent a reminder letter.")
BODY = "<p>Your next appointment is on <strong>Friday at 10</strong>. Please bring a photo ID.</p>"
BATCH = 5_000


def _bulk(model, rows: list[dict], counts: dict[str, int]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])
    counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)


def _ids(model, *where) -> list[int]:
    return list(db.session.scalars(select(model.id).where(*where).order_by(model.id)))


def grow(size: Size = Size(), seed: int = 8) -> Grown:
    """Add clients, contacts, shares, portal accounts and conversations to the demo agency; commits."""
    started, rng, now, counts = time.perf_counter(), random.Random(seed), utcnow(), {}
    agency = db.session.scalar(select(Organization).where(Organization.name == AGENCY_NAME))
    people = db.session.scalars(select(User).where(User.organization_id == agency.id))
    staff = {u.email.split("@")[0]: u for u in people}
    hash_ = staff["casey"].password_hash
    _bulk(User, [dict(email=f"cm{n:02}@riverside.example", password_hash=hash_, first_name="Case",
                      last_name=f"Manager {n}", organization_id=agency.id, role=Role.CASE_MANAGER,
                      perm_client_portal=True, perm_messaging=True)
                 for n in range(size.extra_staff)], counts)
    managers = [staff["casey"].id, staff["jordan"].id] + _ids(User, User.email.like("cm%@riverside.example"))
    first_new = (db.session.scalar(select(Client.id).order_by(Client.id.desc()).limit(1)) or 0) + 1
    existing = _ids(Client, Client.organization_id == agency.id)
    _bulk(Client, [dict(organization_id=agency.id, first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
                        date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(20_000)),
                        phone=f"(541) 555-{rng.randrange(10_000):04}", email=f"client{n}@example.org",
                        address=f"{rng.randrange(1, 9999)} Main Street, Riverside, OR 97401", zip_code="97401")
                   for n in range(size.clients - len(existing))], counts)
    new_clients = _ids(Client, Client.organization_id == agency.id, Client.id >= first_new)
    clients = existing + new_clients
    # Casey carries a tenth of the caseload; the others share the rest.
    manager_of = {c: (staff["casey"].id if rng.random() < 0.1 else rng.choice(managers)) for c in new_clients}
    _bulk(CareTeamMember, [dict(client_id=c, user_id=m, role=PRIMARY_CASE_MANAGER)
                           for c, m in manager_of.items()], counts)
    for c in existing:
        manager_of[c] = db.session.scalar(select(CareTeamMember.user_id).where(CareTeamMember.client_id == c).limit(1))
    big = existing[0]
    partners = {u.email: u for u in db.session.scalars(select(User).where(User.role == Role.PARTNER))}
    hope, bridgeway = partners["partner@hope.example"], partners["partner@bridgeway.example"]
    shared_now = {c for c, in db.session.execute(select(ClientShare.client_id))}
    to_share = [c for c in new_clients if c not in shared_now][: size.shares - len(shared_now)]
    share_org = {c: (hope if n < size.shares * 2 // 3 else bridgeway) for n, c in enumerate(to_share)}
    _bulk(ServiceProvider, [dict(client_id=c, organization_id=p.organization_id, service="Counseling",
                                 added_by_id=manager_of[c]) for c, p in share_org.items()], counts)
    _bulk(ClientShare, [dict(client_id=c, organization_id=p.organization_id, note="Weekly attendance report, please.",
                             shared_by_id=manager_of[c], shared_at=now - timedelta(days=30))
                        for c, p in share_org.items()],
          counts)
    _grow_contacts(size, rng, now, clients, big, manager_of, share_org, counts)
    accounts = _grow_portal(size, rng, hash_, existing, new_clients, manager_of, counts)
    _grow_conversations(size, rng, now, clients, manager_of, accounts, counts)
    # As the services would have kept them: each conversation's last message, then every reader's badge, and
    # what waits for review for each care-team member.
    core.catch_up_last_messages(_ids(Conversation))
    counts["unread_counter"] = unread.recount_all()
    counts["review_waiting"] = rebuild_review_waiting()
    db.session.commit()
    return Grown(seconds=time.perf_counter() - started, rows=counts)


def _grow_contacts(size, rng, now, clients, big, manager_of, share_org, counts) -> None:
    """Staff contacts for everyone, partner contacts (a few awaiting review) for shared clients, 2,000 on one."""
    shared = list(share_org)
    rows = []
    for n in range(size.contacts - size.big_log):
        c = rng.choice(clients)
        partner = share_org.get(c) if rng.random() < 0.3 else None
        if partner is None and n % 7 == 0 and shared:
            c = rng.choice(shared)
            partner = share_org[c]
        rows.append(_contact(rng, now, c, partner.id if partner else manager_of[c],
                             partner.organization_id if partner else None, manager_of[c]))
    rows += [_contact(rng, now, big, manager_of[big], None, None) for _ in range(size.big_log)]
    org_of = {u: o for u, o in db.session.execute(select(User.id, User.organization_id))}
    for row in rows:
        row["organization_id"] = row["organization_id"] or org_of[row["author_id"]]
    _bulk(Contact, rows, counts)


def _contact(rng, now, client_id, author_id, org_id, reviewer) -> dict:
    """A contact row; a partner's (org_id given) is reviewed by `reviewer` nine times in ten."""
    occurred = now - timedelta(minutes=rng.randrange(1, 60 * 24 * 730))
    third_party = org_id is not None
    reviewed = third_party and rng.random() < 0.9
    return dict(client_id=client_id, author_id=author_id, organization_id=org_id, occurred_at=occurred,
                method=rng.choice(list(ContactMethod)), notes=rng.choice(NOTES),
                source=ContactSource.THIRD_PARTY if third_party else ContactSource.STAFF,
                reviewed_at=occurred + timedelta(days=1) if reviewed else None,
                reviewed_by_id=reviewer if reviewed else None, created_at=occurred, updated_at=occurred)


def _grow_portal(size, rng, hash_, existing, new_clients, manager_of, counts) -> dict[int, list[int]]:
    """Self accounts for clients, the demo guardian acting for three more children; client -> account ids."""
    have = len(_ids(PortalAccount))
    selves = new_clients[: size.portal_accounts - have]
    _bulk(PortalAccount, [dict(username=f"bench{c}", email=f"client{c}@example.org", password_hash=hash_)
                          for c in selves], counts)
    account_of = {int(u.removeprefix("bench")): i for i, u in db.session.execute(
        select(PortalAccount.id, PortalAccount.username).where(PortalAccount.username.like("bench%"))).all()}
    rows = [dict(account_id=account_of[c], client_id=c, relationship_kind=Relationship.SELF, can_sign=True,
                 granted_by_id=manager_of[c]) for c in selves]
    guardian = db.session.scalar(select(PortalAccount.id).where(PortalAccount.username == "guardian"))
    rows += [dict(account_id=guardian, client_id=c, relationship_kind=Relationship.REPRESENTATIVE,
                  relationship_label="guardian", can_sign=True, granted_by_id=manager_of[c])
             for c in new_clients[-3:]]
    _bulk(ClientAccess, rows, counts)
    accounts: dict[int, list[int]] = {}
    for account_id, client_id in db.session.execute(select(ClientAccess.account_id, ClientAccess.client_id)):
        accounts.setdefault(client_id, []).append(account_id)
    return accounts


def _grow_conversations(size, rng, now, clients, manager_of, accounts, counts) -> None:
    """Conversations spread over clients; the demo's portal clients get long, recent ones."""
    have = len(_ids(Conversation))
    portal_clients = [c for c in clients[:12] if c in accounts]  # María, Sam, Lucía
    first_conv = (db.session.scalar(select(Conversation.id).order_by(Conversation.id.desc()).limit(1)) or 0) + 1
    owners = portal_clients + [rng.choice(clients) for _ in range(size.conversations - have - len(portal_clients))]
    rows = []
    for n, c in enumerate(owners):
        recent = n < len(portal_clients)
        at = now - timedelta(minutes=1 if recent else rng.randrange(60, 60 * 24 * 365))
        rows.append(dict(client_id=c, staff_id=manager_of[c], subject=f"Appointment and papers {n}",
                         created_at=at - timedelta(days=3), last_message_at=at))
    _bulk(Conversation, rows, counts)
    convs = _ids(Conversation, Conversation.id >= first_conv)
    have_messages = len(_ids(Message))
    next_id = (db.session.scalar(select(Message.id).order_by(Message.id.desc()).limit(1)) or 0) + 1
    budget = size.messages - have_messages - size.long_conversation * len(portal_clients)
    per, extra = divmod(budget, max(1, len(convs) - len(portal_clients)))
    messages, states = [], []
    for n, (conv, c) in enumerate(zip(convs, owners, strict=True)):
        count = size.long_conversation if n < len(portal_clients) else per + (n - len(portal_clients) < extra)
        start = rows[n]["last_message_at"] - timedelta(hours=count)
        for k in range(count):
            from_client = k % 2 == 1 and c in accounts
            messages.append(dict(conversation_id=conv, body_html=BODY, created_at=start + timedelta(hours=k),
                                 sender_staff_id=None if from_client else manager_of[c],
                                 sender_account_id=accounts[c][0] if from_client else None))
        # Ids follow insertion order: nine conversations in ten are read to the end, the rest not at all.
        read_to = next_id + len(messages) - 1 if rng.random() < 0.9 and not count == size.long_conversation else 0
        states.append(dict(conversation_id=conv, reader_kind="staff", reader_id=manager_of[c],
                           last_read_message_id=read_to))
        states += [dict(conversation_id=conv, reader_kind="portal", reader_id=a, last_read_message_id=read_to)
                   for a in accounts.get(c, [])]
    _bulk(Message, messages, counts)
    _bulk(ReadState, states, counts)
