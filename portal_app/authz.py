"""The one authorization layer (S6): named permissions, can(), endpoint declarations."""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

PUBLIC = "public"


class Permission(StrEnum):
    """Every permission, named `site:resource:action`."""

    STAFF_HOME = "staff:home:view"
    STAFF_ACCOUNT = "staff:account:manage"  # own account: My Info, password
    ADMIN_ORGANIZATIONS = "staff:organizations:manage"
    ADMIN_USERS = "staff:users:manage"
    ADMIN_SETTINGS = "staff:settings:manage"
    STAFF_CLIENTS = "staff:clients:view"  # client list and profile, own agency only
    STAFF_CLIENT_EDIT = "staff:clients:edit"  # add, edit, change photo
    STAFF_SHARING = "staff:sharing:manage"  # client plan, Share Client, Stop sharing
    STAFF_CONTACTS = "staff:contacts:manage"  # client log, record/edit contacts, Needs Review
    PARTNER_HOME = "partner:home:view"
    PARTNER_CLIENTS = "partner:clients:view"  # shared clients: limited profile and photo
    PARTNER_CONTACTS = "partner:contacts:manage"  # record and edit own contacts of shared clients
    PARTNER_ACCOUNT = "partner:account:manage"
    STAFF_PORTAL_MANAGER = "staff:portal:manage"  # Client Portal Manager: invitations, access, visibility
    STAFF_MESSAGING = "staff:messaging:use"  # send, inbox, respond, mass send (module + permission)
    PORTAL_HOME = "portal:home:view"
    PORTAL_MESSAGES = "portal:messages:use"  # read, reply, start a conversation with the care team
    PORTAL_ACCOUNT = "portal:account:manage"  # own settings: email, language, password
    PORTAL_DOCUMENTS = "portal:documents:use"  # fill, sign or decline the acted-for client's documents
    KIOSK_HOME = "kiosk:home:view"
    OPERATOR_AGENCIES = "staff:agencies:manage"  # the deployment operator: agencies, their first admin, seats
    ADMIN_FORMS = "staff:forms:manage"  # Account Administration > Forms: the agency's form templates
    STAFF_DOCUMENTS = "staff:documents:manage"  # client record > Documents: start, fill, send, countersign, void
    ADMIN_PROGRAMS = "staff:programs:manage"  # Account Administration > Programs: the agency's and its partners'
    STAFF_DIRECTORY = "staff:directory:search"  # the programs directory (search by ZIP)
    PARTNER_PROGRAMS = "partner:programs:manage"  # the partner organization's own programs
    STAFF_GOALS = "staff:goals:manage"  # client profile > Goals: add, edit, mark met / not met / withdrawn
    PORTAL_GOALS = "portal:goals:view"  # My goals: the acted-for client's open goals, read-only
    STAFF_ROI = "staff:roi:manage"  # client record > Release of Information history: view, revoke, send
    PORTAL_ROI = "portal:roi:use"  # the acted-for client's releases of information: view, revoke
    STAFF_REFERRALS = "staff:referrals:manage"  # a client's referrals, Start a Referral, status, notes
    PARTNER_REFERRALS = "partner:referrals:manage"  # Inbound Referrals of the programs the user claims for
    PORTAL_REFERRALS = "portal:referrals:use"  # My referrals: the acted-for client's, with the seeker's changes
    STAFF_APPOINTMENTS = "staff:appointments:manage"  # calendars, book, move, cancel; Review Staff Availability
    STAFF_AVAILABILITY = "staff:availability:manage"  # own hours; admins and supervisors: anyone's of the agency
    PORTAL_APPOINTMENTS = "portal:appointments:use"  # the acted-for client's appointments: confirm, ask to reschedule
    STAFF_REQUESTS = "staff:requests:manage"  # client record > Client Portal Requests: send, review, cancel
    ADMIN_DOCUMENT_CATEGORIES = "staff:document_categories:manage"  # Account Administration > Document Categories
    REQUEST_RESULT = "requests:result:view"  # a request's result: private ones stay in the client's agency
    PORTAL_REQUESTS = "portal:requests:use"  # what is asked of the acted-for client: fulfil, or say why not
    ADMIN_KIOSKS = "staff:kiosks:manage"  # Account Administration > Locations and Kiosks: add, pair, revoke
    STAFF_KIOSK = "staff:kiosk:hand_off"  # hand a client's document to a kiosk; cancel or resend it
    KIOSK_FORMS = "kiosk:forms:fill"  # a paired tablet: the hand-offs of its agency at its location
    STAFF_INBOX = "staff:inbox:view"  # the Inbox and a conversation: Messaging's scope, else one's own PORTAL items


STAFF_ROLES = frozenset({"admin", "supervisor", "case_manager"})
# The operator signs in on /staff: home (which sends it to its Operator area), own account, sign-out.
SIGNED_IN_STAFF = STAFF_ROLES | {"operator"}

# Which kinds of actor hold each permission before any object is considered.
# An actor's "grants" are its role (staff/partner users) or its kind (portal, kiosk).
ROLE_GRANTS: dict[Permission, frozenset[str]] = {
    Permission.STAFF_HOME: SIGNED_IN_STAFF,
    Permission.STAFF_ACCOUNT: SIGNED_IN_STAFF,
    Permission.ADMIN_ORGANIZATIONS: frozenset({"admin"}),
    Permission.ADMIN_USERS: frozenset({"admin"}),
    Permission.ADMIN_SETTINGS: frozenset({"admin"}),
    Permission.STAFF_CLIENTS: STAFF_ROLES,
    Permission.STAFF_CLIENT_EDIT: STAFF_ROLES,
    Permission.STAFF_SHARING: STAFF_ROLES,
    Permission.STAFF_CONTACTS: STAFF_ROLES,
    Permission.PARTNER_HOME: frozenset({"partner"}),
    Permission.PARTNER_CLIENTS: frozenset({"partner"}),
    Permission.PARTNER_CONTACTS: frozenset({"partner"}),
    Permission.PARTNER_ACCOUNT: frozenset({"partner"}),
    Permission.STAFF_PORTAL_MANAGER: STAFF_ROLES,
    Permission.STAFF_MESSAGING: STAFF_ROLES,
    Permission.PORTAL_HOME: frozenset({"portal"}),
    Permission.PORTAL_MESSAGES: frozenset({"portal"}),
    Permission.PORTAL_ACCOUNT: frozenset({"portal"}),
    Permission.PORTAL_DOCUMENTS: frozenset({"portal"}),
    Permission.KIOSK_HOME: frozenset({"kiosk"}),
    Permission.OPERATOR_AGENCIES: frozenset({"operator"}),
    Permission.ADMIN_FORMS: frozenset({"admin"}),
    Permission.STAFF_DOCUMENTS: STAFF_ROLES,
    Permission.ADMIN_PROGRAMS: frozenset({"admin"}),
    Permission.STAFF_DIRECTORY: STAFF_ROLES,
    Permission.PARTNER_PROGRAMS: frozenset({"partner"}),
    Permission.STAFF_GOALS: STAFF_ROLES,
    Permission.PORTAL_GOALS: frozenset({"portal"}),
    Permission.STAFF_ROI: STAFF_ROLES,
    Permission.PORTAL_ROI: frozenset({"portal"}),
    Permission.STAFF_REFERRALS: STAFF_ROLES,
    Permission.PARTNER_REFERRALS: frozenset({"partner"}),
    Permission.PORTAL_REFERRALS: frozenset({"portal"}),
    Permission.STAFF_APPOINTMENTS: STAFF_ROLES,
    Permission.STAFF_AVAILABILITY: STAFF_ROLES,
    Permission.PORTAL_APPOINTMENTS: frozenset({"portal"}),
    Permission.STAFF_REQUESTS: STAFF_ROLES,
    Permission.ADMIN_DOCUMENT_CATEGORIES: frozenset({"admin"}),
    Permission.REQUEST_RESULT: STAFF_ROLES | {"partner"},
    Permission.PORTAL_REQUESTS: frozenset({"portal"}),
    Permission.ADMIN_KIOSKS: frozenset({"admin"}),
    Permission.STAFF_KIOSK: STAFF_ROLES,
    Permission.KIOSK_FORMS: frozenset({"kiosk"}),
    Permission.STAFF_INBOX: STAFF_ROLES,
}

# Object-level rules, registered by each domain's policy module:
# rule(actor, obj) -> bool, consulted after the role grant passed.
_OBJECT_RULES: dict[Permission, Callable[[Any, Any], bool]] = {}
# Why a permission is refused to an actor who holds its grant, when a domain can say so in a sentence (a
# module its agency switched off): reason(actor) -> the sentence, or None (the plain refusal page then).
_REFUSAL_REASONS: dict[Permission, Callable[[Any], Any]] = {}


def object_rule(permission: Permission) -> Callable:
    """Register a domain policy function for one permission."""

    def register(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        _OBJECT_RULES[permission] = fn
        return fn

    return register


def refusal_reason(permission: Permission) -> Callable:
    """Register a domain function that says why `permission` is refused (None: no particular reason)."""

    def register(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        _REFUSAL_REASONS[permission] = fn
        return fn

    return register


def why_refused(actor: Any, permission: Permission) -> Any:
    """The sentence a refused page shows, for an actor who holds the grant (never says more to others)."""
    explain = _REFUSAL_REASONS.get(permission)
    if explain is None or actor_grant(actor) not in ROLE_GRANTS.get(permission, frozenset()):
        return None
    return explain(actor) if getattr(actor, "enabled", True) else None


def actor_grant(actor: Any) -> str | None:
    """The role or kind an actor acts as; None for anonymous visitors."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return getattr(actor, "role", None) or getattr(actor, "kind", None)


def can(actor: Any, permission: Permission, obj: Any = None) -> bool:
    """Whether `actor` may do `permission` (on `obj` when given)."""
    grant = actor_grant(actor)
    if grant is None or grant not in ROLE_GRANTS.get(permission, frozenset()):
        return False
    if not getattr(actor, "enabled", True):
        return False
    rule = _OBJECT_RULES.get(permission)
    if rule is not None:
        return rule(actor, obj)
    return True


def requires(permission: Permission) -> Callable:
    """Declare the permission an endpoint needs; checked before the view runs."""

    def mark(view: Callable) -> Callable:
        view.caseport_permission = permission
        return view

    return mark


def public(view: Callable) -> Callable:
    """Declare an endpoint open to anyone (sign-in pages, landing, health)."""
    view.caseport_permission = PUBLIC
    return view


def declared_permission(view: Callable | None) -> Permission | str | None:
    return getattr(view, "caseport_permission", None)
