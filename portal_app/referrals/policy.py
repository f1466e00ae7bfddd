"""Who may see a referral and which party each person is; what each party may change is statuses.ACTIONS.

Seeing: staff of the referring agency (on the client's record) and the program's claimers (Inbound
Referrals, on the partner site, or on the staff site for an agency's own programs); on the portal,
whoever acts for the seeker. Acting: the helper (the staff member who sent it), the claimers, the seeker.

Team Navigation/Sharing (seed 004) is decided here and nowhere else: with the agency's "Team referral
sharing" on, anyone in the agency acts as the helper of its outbound referrals (sees them in People I'm
Helping, notes, updates); with a program's "Team sharing" on, anyone in the program's organization acts as
its claimer (Inbound Referrals, notes, updates). Off (the default): only the referrer, only the claimers.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from ..accounts.models import Role, User
from ..authz import Permission, can, object_rule
from ..clients.models import Client
from ..extensions import db
from ..programs.models import Program, ProgramMember
from ..sharing.policy import staff_may_see_client
from .models import Referral
from .statuses import CLAIMER, HELPER, SEEKER


def referrals_module_on(actor: Any) -> bool:
    """Agency staff work referrals only while their agency's Referrals module is on (partners always may)."""
    if not (isinstance(actor, User) and actor.is_staff):
        return True
    return bool(actor.organization is not None and actor.organization.module_referrals)


def claimed_programs(actor: Any) -> Any:
    """The ids of the programs whose inbound referrals the person works: those they claim for, and those of
    their organization with team sharing on (a subquery for the scoped reads)."""
    members = select(ProgramMember.program_id).where(ProgramMember.user_id == actor.id)
    team = select(Program.id).where(Program.organization_id == actor.organization_id, Program.team_sharing)
    return members.union(team)


def is_claimer(actor: Any, program_id: int) -> bool:
    """A member of the program, or anyone in its organization when the program shares with its team."""
    if not isinstance(actor, User) or not actor.enabled or not referrals_module_on(actor):
        return False
    return db.session.scalar(select(or_(
        exists().where(ProgramMember.program_id == program_id, ProgramMember.user_id == actor.id),
        exists().where(Program.id == program_id, Program.organization_id == actor.organization_id,
                       Program.team_sharing)))) is True


def team_shares_outbound(actor: Any) -> bool:
    """The staff member's agency shares its outbound referrals with everyone in it."""
    organization = getattr(actor, "organization", None)
    return bool(isinstance(actor, User) and actor.is_staff and organization is not None
                and organization.referral_team_sharing)


def is_helper(actor: Any, referral: Referral) -> bool:
    """The referrer, or anyone in the referring agency when it shares its outbound referrals with the team."""
    return (isinstance(actor, User) and actor.enabled and actor.is_staff and actor.organization_id == referral.agency_id
            and (actor.id == referral.helper_id or team_shares_outbound(actor)) and referrals_module_on(actor))


def _acts_for(actor: Any, client_id: int) -> bool:
    from ..portal_access.models import ClientAccess

    if getattr(actor, "kind", None) != "portal":
        return False
    return db.session.scalar(select(ClientAccess.id).where(ClientAccess.account_id == actor.id,
                                                           ClientAccess.client_id == client_id,
                                                           ClientAccess.active)) is not None


def parties(actor: Any, referral: Referral) -> frozenset[str]:
    """The party roles this person holds on this referral (none: they may only look, or not even that)."""
    roles = set()
    if is_helper(actor, referral):
        roles.add(HELPER)
    if isinstance(actor, User) and is_claimer(actor, referral.program_id):
        roles.add(CLAIMER)
    if _acts_for(actor, referral.client_id):
        roles.add(SEEKER)
    return frozenset(roles)


def outbound_scope(actor: User) -> Any:
    """The outbound referrals a staff member works (People I'm Helping): those they sent, or all of the
    agency's when it shares them with the team."""
    if team_shares_outbound(actor):
        return Referral.agency_id == actor.organization_id
    return (Referral.agency_id == actor.organization_id) & (Referral.helper_id == actor.id)


@object_rule(Permission.STAFF_REFERRALS)
def staff_may_see_referral(actor: User, obj: Client | Referral | None) -> bool:
    """A client of the actor's agency (its Referrals section, Start a Referral); a referral its agency sent,
    or one to a program the staff member claims for. Nothing while the agency's Referrals module is off."""
    if not referrals_module_on(actor):
        return False
    if obj is None:
        return True
    if isinstance(obj, Client):
        return staff_may_see_client(actor, obj)
    if isinstance(obj, Referral):
        return actor.organization_id == obj.agency_id or is_claimer(actor, obj.program_id)
    return False


@object_rule(Permission.PARTNER_REFERRALS)
def partner_may_see_referral(actor: User, obj: Referral | None) -> bool:
    """Inbound Referrals: those to a program the partner user claims for."""
    if actor.role != Role.PARTNER:
        return False
    return obj is None or (isinstance(obj, Referral) and is_claimer(actor, obj.program_id))


@object_rule(Permission.PORTAL_REFERRALS)
def seeker_may_see_referral(actor: Any, obj: Any) -> bool:
    """A portal account acting for the client through its own active access; a referral of that client."""
    from ..portal_access.models import ClientAccess

    if getattr(actor, "kind", None) != "portal":
        return False
    if obj is None:
        return True
    access, referral = obj if isinstance(obj, tuple) else (obj, None)
    if not (isinstance(access, ClientAccess) and access.account_id == actor.id and access.active):
        return False
    return referral is None or (isinstance(referral, Referral) and referral.client_id == access.client_id)


def may_note(actor: Any, referral: Referral) -> bool:
    """Notes are the working parties' (helper and claimers); the seeker's words go through their reports."""
    return bool(parties(actor, referral) & {HELPER, CLAIMER})


def may_link_goal(actor: Any, referral: Referral, goal: Any = None) -> bool:
    """"Add to a Goal": staff of the referring agency who manage the client's goals; a goal only of the
    referral's own client (never another client's, nor another agency's)."""
    from ..goals.models import Goal

    if referral.client_id is None:  # a walk-in: no client record, so no goals
        return False
    if not (isinstance(actor, User) and actor.enabled and actor.is_staff
            and actor.organization_id == referral.agency_id and can(actor, Permission.STAFF_GOALS, referral.client)):
        return False
    return goal is None or (isinstance(goal, Goal) and goal.client_id == referral.client_id)


CONSENT_MESSAGE = ("This agency refers a client only to an organization named in an active Release of "
                   "Information. {organization} is not named in one of this client's. Send the client the "
                   "Release of Information form to sign, then refer again.")


def referral_consent_problem(client: Client, program: Any) -> str | None:
    """Why this client may not be referred to this program yet (a consent to share is missing), or None.

    The single place the consent check lives: with the referring agency's "Sharing requires an active ROI"
    on, a program of another organization needs an ROI in force that names that organization; the agency's
    own programs need none.
    """
    from ..roi.queries import agency_today, covers

    agency = client.organization
    if agency is None or not agency.sharing_requires_roi or program.organization_id == client.organization_id:
        return None
    if covers(client, program.organization, agency_today()) is not None:
        return None
    return CONSENT_MESSAGE.format(organization=program.organization.name)
