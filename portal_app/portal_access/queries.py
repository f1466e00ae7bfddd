"""Reads of the Client Portal: whom an account acts for, who acts for a client, invitations, hidden items.

Staff loaders (`get_<thing>_for`) answer "not found" for another agency's (or client's) row.
"An active access" is one clause, `ClientAccess.active`; one whose account may also sign in,
`ClientAccess.readable()`.
"""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, joinedload

from ..accounts.models import Organization, User
from ..clients.models import CareTeamMember, Client
from ..clients.queries import get_child_of_client
from ..clock import utcnow
from ..errors import NotFound
from ..extensions import db
from .models import ClientAccess, HiddenItem, Invitation, PortalAccount, Relationship
from .policy import visible_to


class PortalAccessNotFound(NotFound):
    """An invitation or access that is not this client's, or a client outside the actor's agency."""


def get_invitation_for(actor: User, client: Client, invitation_id: int) -> Invitation:
    """An invitation of this client of the actor's agency; else PortalAccessNotFound (404)."""
    return get_child_of_client(actor, Invitation, client, invitation_id, PortalAccessNotFound)


def get_access_for(actor: User, client: Client, access_id: int) -> ClientAccess:
    """An access (active or revoked) to this client of the actor's agency; else PortalAccessNotFound (404)."""
    return get_child_of_client(actor, ClientAccess, client, access_id, PortalAccessNotFound)


# --- Which clients an account acts for (the portal) ---------------------------------------------


def _active_accesses():
    return (
        select(ClientAccess)
        .join(Client, Client.id == ClientAccess.client_id)
        .join(Organization, Organization.id == Client.organization_id)
        .where(ClientAccess.active, Organization.module_client_portal.is_(True))
    )


@cache
def _accesses_of_statement():
    """Built once per process: every portal request runs it, and building it cost as much as running it."""
    from ..messaging.unread import PORTAL, kept_badge_column

    is_self = ClientAccess.relationship_kind == Relationship.SELF
    return (
        _active_accesses()
        .where(ClientAccess.account_id == bindparam("account_id"))
        # Every portal page shows the acted-for client and its agency: filled from the join, not reloaded;
        # and the Messages badge of each access: its kept count comes along (unread.known).
        .add_columns(kept_badge_column(PORTAL, ClientAccess.id))
        .options(contains_eager(ClientAccess.client).contains_eager(Client.organization))
        .order_by(is_self.desc(), Client.first_name, Client.last_name, ClientAccess.id)
    )


def accesses_of(account: PortalAccount) -> list[ClientAccess]:
    """The account's active accesses: its own record first, then the clients it represents by name."""
    from ..messaging.unread import PORTAL, loaded_with_reader

    accesses = []
    for access, count in db.session.execute(_accesses_of_statement(), {"account_id": account.id}):
        loaded_with_reader(PORTAL, access.id, count)
        accesses.append(access)
    return accesses


def access_for(account: PortalAccount, client_id: int) -> ClientAccess | None:
    """The account's active access to this client, or None (the caller answers 404)."""
    return db.session.scalar(
        _active_accesses().where(ClientAccess.account_id == account.id, ClientAccess.client_id == client_id)
    )


def agencies_of(account: PortalAccount) -> list[Organization]:
    """The agencies of every client the account was ever linked to: whom to call when nothing shows."""
    return list(db.session.scalars(
        select(Organization)
        .where(Organization.id.in_(
            select(Client.organization_id)
            .join(ClientAccess, ClientAccess.client_id == Client.id)
            .where(ClientAccess.account_id == account.id)
        ))
        .order_by(Organization.name)
    ).all())


# The portal home's statements are built once per process (bound per request): building them cost
# more CPU than running them.
@cache
def _care_team_statement():
    return (
        select(CareTeamMember)
        .join(User, User.id == CareTeamMember.user_id)
        .options(joinedload(CareTeamMember.user))
        .where(CareTeamMember.client_id == bindparam("client_id"), User.enabled.is_(True))
        .order_by(CareTeamMember.id)
    )


def care_team_of(access: ClientAccess) -> list[CareTeamMember]:
    """The acted-for client's care team (enabled staff only), people loaded in the same query."""
    return list(db.session.scalars(_care_team_statement(), {"client_id": access.client_id}).all())


@cache
def _others_statement():
    return (
        select(ClientAccess)
        .join(PortalAccount, PortalAccount.id == ClientAccess.account_id)
        .where(
            ClientAccess.client_id == bindparam("client_id"),
            ClientAccess.id != bindparam("access_id"),
            ClientAccess.readable(),
            visible_to(bindparam("access_id"), "client_access", ClientAccess.id),
        )
        .order_by(ClientAccess.relationship_kind.desc(), ClientAccess.id)
    )


def others_acting_for(access: ClientAccess) -> list[ClientAccess]:
    """The client's other active accesses this representative may see (hidden ones filtered in SQL)."""
    return list(db.session.scalars(_others_statement(),
                                   {"client_id": access.client_id, "access_id": access.id}).all())


# --- Who acts for a client (staff) ---------------------------------------------------------------


def self_invited_or_active(client: Client) -> bool:
    """A live "self" invitation or an active "self" access exists for the client."""
    invited = db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.client_id == client.id,
            Invitation.relationship_kind == Relationship.SELF,
            Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    has_access = db.session.scalar(
        select(func.count(ClientAccess.id)).where(
            ClientAccess.client_id == client.id,
            ClientAccess.relationship_kind == Relationship.SELF,
            ClientAccess.active,
        )
    )
    return bool(invited or has_access)


def client_accesses(client: Client) -> list[ClientAccess]:
    """The accounts that may act for the client now: the client first, then representatives."""
    return list(db.session.scalars(
        select(ClientAccess)
        .options(joinedload(ClientAccess.account))
        .where(ClientAccess.client_id == client.id, ClientAccess.active)
        .order_by((ClientAccess.relationship_kind == Relationship.SELF).desc(), ClientAccess.granted_at,
                  ClientAccess.id)
    ).unique())


def open_invitations(client: Client) -> list[Invitation]:
    """Invitations neither accepted nor cancelled (pending or expired), newest first."""
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.client_id == client.id, Invitation.accepted_at.is_(None),
               Invitation.cancelled_at.is_(None))
        .order_by(Invitation.last_sent_at.desc(), Invitation.id.desc())
    ))


def hidden_items(client: Client) -> set[tuple[int, str, int]]:
    """(access id, item type, item id) of every item hidden from a representative of the client."""
    rows = db.session.execute(
        select(HiddenItem.access_id, HiddenItem.item_type, HiddenItem.item_id)
        .join(ClientAccess, ClientAccess.id == HiddenItem.access_id)
        .where(ClientAccess.client_id == client.id)
    )
    return {(a, t, i) for a, t, i in rows}


def readable_accesses(client: Client) -> list[ClientAccess]:
    """The client's active accesses whose account may sign in: who can read a message now; the client first."""
    return list(db.session.scalars(
        select(ClientAccess)
        .join(PortalAccount, PortalAccount.id == ClientAccess.account_id)
        .options(joinedload(ClientAccess.account))
        .where(ClientAccess.client_id == client.id, ClientAccess.readable())
        .order_by((ClientAccess.relationship_kind == "self").desc(), ClientAccess.id)
    ))


def clients_with_portal_access(client_ids: list[int]) -> set[int]:
    """Those of these clients someone can read messages for on the portal now."""
    return set(db.session.scalars(
        select(ClientAccess.client_id).distinct()
        .join(PortalAccount, PortalAccount.id == ClientAccess.account_id)
        .where(ClientAccess.client_id.in_(client_ids), ClientAccess.readable())
    ))
