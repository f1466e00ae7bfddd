"""Reads scoped to the actor: the client log, shares, a partner's shared clients, My caseload (Needs Review:
review_queries.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, load_only

from ..accounts.models import Organization, Role, User
from ..accounts.queries import partner_organizations_for
from ..clients.models import CareTeamMember, Client
from ..clients.queries import get_child_of_client
from ..clock import as_utc
from ..db_types import checked_per_row, display_name_of, initials_of
from ..errors import NotFound
from ..extensions import db
from ..paging import PER_PAGE, Page, fetch_page
from ..roi.queries import agency_today, share_roi_in_force
from ..statements import BoundStaff, staff_params
from .models import ClientShare, Contact, ContactSource, ServiceProvider


@cache
def _author_and_organization() -> tuple:
    """What a contact row shows of its author and organization: their names. Loading their whole rows (a
    user and an organization have some thirty columns) was a third of the row loading on the log and home."""
    return (joinedload(Contact.author).load_only(User.first_name, User.last_name),
            joinedload(Contact.organization).load_only(Organization.name))


def client_contacts(client: Client, page: Any = 1, per_page: int = PER_PAGE) -> Page[Contact]:
    """One page of the client's contacts, newest first, with the people and organizations the log shows."""
    return fetch_page(
        select(Contact)
        .where(Contact.client_id == client.id)
        .options(*_author_and_organization(),
                 joinedload(Contact.reviewed_by).load_only(User.first_name, User.last_name))
        .order_by(Contact.occurred_at.desc(), Contact.id.desc()),
        page, per_page,
    )


def service_providers(client: Client) -> list[ServiceProvider]:
    return list(
        db.session.scalars(
            select(ServiceProvider)
            .where(ServiceProvider.client_id == client.id)
            .options(joinedload(ServiceProvider.organization), joinedload(ServiceProvider.added_by))
            .join(Organization, Organization.id == ServiceProvider.organization_id)
            .order_by(Organization.name)
        )
    )


def active_shares(client: Client) -> list[ClientShare]:
    """The client's active shares, with who shared and when."""
    return list(
        db.session.scalars(
            select(ClientShare)
            .where(ClientShare.client_id == client.id, ClientShare.active)
            .options(joinedload(ClientShare.organization), joinedload(ClientShare.shared_by))
            .order_by(ClientShare.shared_at.desc())
        )
    )


def partner_shared_clients(actor: User, page: Any = 1, per_page: int = PER_PAGE) -> Page[PartnerClientView]:
    """A partner's "Shared clients": active shares with its organization, by client name, one page (the
    share's copy of the client's sort key: an index walk, not a sort of every share), as the views the list
    shows (S7)."""
    result = fetch_page(_partner_shared_clients_statement(), page, per_page, scalars=False,
                        params={"organization_id": actor.organization_id, "today": agency_today()})
    result.items = [_shared_client_view(*row) for row in result.items]
    return result


@cache
def _partner_shared_clients_statement():
    """The partner list's rows as plain columns, built once per process: the client's allowed fields, the
    share's note and date, the client's agency's name. Loading each share, client and agency as objects cost
    the page a third of its data time."""
    agency = aliased(Organization, name="client_agency")
    return (
        select(Client.id, Client.first_name, Client.last_name, Client.photo_id, Client.phone, Client.email,
               Client.address, Client.zip_code, Client.part2_protected, ClientShare.note, agency.name,
               ClientShare.shared_at)
        .select_from(ClientShare)
        .join(Client, Client.id == ClientShare.client_id)
        .join(Organization, Organization.id == ClientShare.organization_id)
        .join(agency, agency.id == Client.organization_id)
        .where(
            ClientShare.organization_id == bindparam("organization_id"),
            ClientShare.active,
            Organization.sharing_enabled.is_(True),
            share_roi_in_force(bindparam("today")),
        )
        .order_by(ClientShare.client_sort_name, ClientShare.id)
    )


def _shared_client_view(client_id, first_name, last_name, photo_id, phone, email, address, zip_code,
                        part2_protected, note, agency_name, shared_at) -> PartnerClientView:
    """The view of a shared client from its fields (in the order of _partner_shared_clients_statement's
    columns): the partner list builds it from plain rows, partner_view from a client and its share."""
    return PartnerClientView(
        id=client_id, name=display_name_of(first_name, last_name), initials=initials_of(first_name, last_name),
        has_photo=photo_id is not None, phone=phone, email=email, address=address, zip_code=zip_code,
        part2_protected=part2_protected, share_note=note, agency_name=agency_name, shared_at=shared_at)


def partner_contacts(actor: User, client: Client, page: Any = 1, per_page: int = PER_PAGE) -> Page[Contact]:
    """One page of the partner organization's own contacts for a shared client, newest first."""
    return fetch_page(
        select(Contact)
        .where(Contact.client_id == client.id, Contact.organization_id == actor.organization_id)
        .options(joinedload(Contact.author).load_only(User.first_name, User.last_name),
                 joinedload(Contact.reviewed_by).load_only(User.first_name, User.last_name))
        .order_by(Contact.occurred_at.desc(), Contact.id.desc()),
        page, per_page,
    )


# -- What a partner may see (S7) --------------------------------------------------------------
# Partner templates receive these small views, never a Client or a Contact: a template cannot
# reach a field (date of birth, care team, other organizations' contacts ...) that is not here.


@dataclass(frozen=True)
class PartnerClientView:
    """A shared client as its partner organization sees it: name, photo, basic contact, share note."""

    id: int
    name: str
    initials: str
    has_photo: bool
    phone: str
    email: str
    address: str
    zip_code: str
    part2_protected: bool  # the page must carry the 42 CFR Part 2 redisclosure notice
    share_note: str
    agency_name: str
    shared_at: datetime


@dataclass(frozen=True)
class PartnerContactView:
    """One of the partner organization's own contacts with a shared client."""

    id: int
    occurred_at: datetime
    method_label: str
    location: str
    notes: str
    author_name: str
    needs_review: bool

    @property
    def tag(self) -> str:
        return "Needs Review" if self.needs_review else "Reviewed"


def partner_view(client: Client, share: ClientShare) -> PartnerClientView:
    """The allowed fields of a client shared through `share` (first and last name only)."""
    return _shared_client_view(client.id, client.first_name, client.last_name, client.photo_id, client.phone,
                               client.email, client.address, client.zip_code, client.part2_protected, share.note,
                               client.organization.name, share.shared_at)


def partner_contact_view(contact: Contact) -> PartnerContactView:
    return PartnerContactView(
        id=contact.id,
        occurred_at=contact.occurred_at,
        method_label=contact.method_label,
        location=contact.location,
        notes=contact.notes,
        author_name=contact.author.display_name,
        needs_review=contact.needs_review,
    )


# -- Scoped loaders: another agency's (or an unshared) object is "not found" (S6, S15) -----------


class SharingNotFound(NotFound):
    """A contact, share, provider or shared client outside the actor's scope."""


def get_contact_for(actor: User, contact_id: int) -> Contact:
    """Staff: a contact of a client of their agency. Partner: its own organization's third-party
    contact of a client still actively shared with it. Anything else raises SharingNotFound."""
    contact = db.session.scalar(select(Contact).join(Client, Client.id == Contact.client_id)
                                .where(Contact.id == contact_id, *_contact_scope(actor)))
    if contact is None:
        raise SharingNotFound
    if not actor.is_staff and get_active_share_for(actor, contact.client_id) is None:
        raise SharingNotFound
    return contact


def _contact_scope(actor: User) -> list:
    if actor.is_staff:
        return [Client.organization_id == actor.organization_id]
    if actor.role == Role.PARTNER:
        return [Contact.organization_id == actor.organization_id, Contact.source == ContactSource.THIRD_PARTY]
    return [Contact.id.is_(None)]  # nobody else sees contacts


def get_active_share_for(actor: User, client_id: int) -> ClientShare | None:
    """The active share of this client with the partner user's organization (sharing still enabled)."""
    if actor.role != Role.PARTNER:
        return None
    return db.session.scalar(
        select(ClientShare).join(Organization, Organization.id == ClientShare.organization_id)
        .where(ClientShare.client_id == client_id, ClientShare.organization_id == actor.organization_id,
               ClientShare.active, Organization.sharing_enabled.is_(True), share_roi_in_force(agency_today()))
    )


def get_shared_client_for(actor: User, client_id: int) -> ClientShare:
    """A client actively shared with the partner's organization, through its share; else SharingNotFound."""
    share = get_active_share_for(actor, client_id)
    if share is None:
        raise SharingNotFound
    return share


def get_provider_for(actor: User, client: Client, provider_id: int) -> ServiceProvider:
    """A service provider on the plan of this client of the actor's agency; else SharingNotFound."""
    return get_child_of_client(actor, ServiceProvider, client, provider_id, SharingNotFound)


def get_share_for(actor: User, client: Client, share_id: int) -> ClientShare:
    """A share (active or stopped) of this client of the actor's agency; else SharingNotFound."""
    return get_child_of_client(actor, ClientShare, client, share_id, SharingNotFound)


# -- Client plan and Share Client choices ---------------------------------------------------


def eligible_partner_organizations(actor: User) -> list[Organization]:
    """Partner organizations the actor's agency works with that may be added to a plan (sharing enabled)."""
    return partner_organizations_for(actor.organization_id)


def shareable_providers(client: Client) -> list[ServiceProvider]:
    """This client's service providers whose organization has sharing enabled (the Share Client choices)."""
    return list(
        db.session.scalars(
            select(ServiceProvider)
            .join(ServiceProvider.organization)
            .options(contains_eager(ServiceProvider.organization))
            .where(ServiceProvider.client_id == client.id, Organization.sharing_enabled.is_(True))
            .order_by(Organization.name)
        )
    )


def active_share_of(client_id: int, organization_id: int) -> ClientShare | None:
    """The client's share with the organization that is in force, if any."""
    return db.session.scalar(
        select(ClientShare).where(
            ClientShare.client_id == client_id,
            ClientShare.organization_id == organization_id,
            ClientShare.active,
        )
    )


@dataclass(frozen=True)
class CaseloadRow:
    """A client of the actor's caseload and when the last contact with them happened (None: never)."""

    client: Client
    last_contact_at: datetime | None


@cache
def _caseload_statement():
    """The actor's care-team rows in the order of their copy of the client's sort key (one index range:
    ix_care_team_member_caseload), each with its client. Walking the agency's clients by name and keeping
    the caseload's read about `page x agency / caseload` clients: 2,500 for a caseload of 40 at 10k.
    Each row's last contact is the end of its client's range of ix_contact_client_occurred (a correlated
    max); the page loads only the names it shows."""
    actor = BoundStaff(case_manager=False)
    last_contact = (select(func.max(Contact.occurred_at)).where(Contact.client_id == Client.id)
                    .correlate(Client).scalar_subquery())
    return (select(Client, last_contact).join(CareTeamMember, CareTeamMember.client_id == Client.id)
            .where(CareTeamMember.user_id == actor.id,
                   checked_per_row(Client.organization_id) == actor.organization_id)
            .options(load_only(Client.first_name, Client.last_name))
            .order_by(CareTeamMember.client_sort_name, CareTeamMember.client_id))


def caseload_last_contact(actor: User, page: Any = 1, per_page: int = 10) -> Page[CaseloadRow]:
    """The clients on the actor's care teams by name, one page, with their last contact (one query: a range
    of the caseload's index, and one index lookup per listed client)."""
    result = fetch_page(_caseload_statement(), page, per_page, scalars=False, params=staff_params(actor))
    result.items = [CaseloadRow(client, as_utc(last)) for client, last in result.items]
    return result
