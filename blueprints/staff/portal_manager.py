"""Client Portal Manager on a client's record: who may act for the client, invitations, hidden items.

Every endpoint needs the agency's Client Portal module and the staff member's "Client Portal"
permission (STAFF_PORTAL_MANAGER); another agency's client answers 404. Flash messages name
neither the client nor an address: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from forms.fields import ConfirmForm
from forms.staff.portal import (
    ClientInviteForm,
    RepresentativeInviteForm,
    VisibilityForm,
)
from portal_app.authz import Permission, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.clock import as_utc, utcnow
from portal_app.portal_access import errors, hiding, invitations, queries
from portal_app.portal_access.models import Relationship
from portal_app.portal_access.visibility import hideable_items

from .._common import current_actor as _actor
from .._common import audited_page, place_refusal, savepoint
from . import bp


def _client(client_id: int) -> Client:
    """The client of the actor's agency (404 otherwise); 403 without the Client Portal permission."""
    return get_client_for_staff(_actor(), client_id, Permission.STAFF_PORTAL_MANAGER)


def _back(client: Client):
    return redirect(url_for("staff.portal_manager", client_id=client.id))


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _manager_page(client: Client, *, client_form: ClientInviteForm | None = None,
                  rep_form: RepresentativeInviteForm | None = None, error: str | None = None, status: int = 200):
    """The manager page; showing it (GET) is an audited view of the client's record (S13)."""
    if client_form is None:
        client_form = ClientInviteForm(prefix="client", formdata=None, data={"email": client.email})
    rep_form = rep_form or RepresentativeInviteForm(prefix="rep", formdata=None)
    accesses = queries.client_accesses(client)
    return audited_page(
        "staff/portal/manager.html", lambda: record_client_view(_actor(), client, page=request.endpoint), status,
        client=client, accesses=accesses, invitations=queries.open_invitations(client),
        hidden=queries.hidden_items(client), now=utcnow(), as_utc=as_utc, client_form=client_form, rep_form=rep_form,
        error=error, hideable={a.id: hideable_items(client, a) for a in accesses if not a.is_self},
    )


def _invite(client: Client, form, relationship: str, **page_forms):
    """Shared body of the two invite forms: validate, invite, redirect (or 422/409 with messages)."""
    if not form.validate_on_submit():
        return _manager_page(client, status=422, **page_forms)
    try:
        with savepoint():
            invitations.invite(_actor(), client, relationship=relationship, **form.invitation_data())
    except errors.PortalAccessError as err:
        return _manager_page(client, error=place_refusal(err, form), status=err.status, **page_forms)
    flash("The invitation was sent. Its link works once, for 7 days.", "success")
    return _back(client)


@bp.get("/clients/<int:client_id>/portal")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_manager(client_id: int):
    """Client Portal Manager: accounts acting for the client, open invitations, invite forms, hidden items."""
    return _manager_page(_client(client_id))


@bp.post("/clients/<int:client_id>/portal/invite-client")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_invite_client(client_id: int):
    """Invite the client themself (one pending invitation or account at a time)."""
    client = _client(client_id)
    form = ClientInviteForm(prefix="client")
    return _invite(client, form, Relationship.SELF, client_form=form)


@bp.post("/clients/<int:client_id>/portal/invite-representative")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_invite_representative(client_id: int):
    """Invite a representative: email, relationship (mother, guardian ...), may sign documents."""
    client = _client(client_id)
    form = RepresentativeInviteForm(prefix="rep")
    return _invite(client, form, Relationship.REPRESENTATIVE, rep_form=form)


@bp.post("/clients/<int:client_id>/portal/invitations/<int:invitation_id>/resend")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_invitation_resend(client_id: int, invitation_id: int):
    """Resend: a new link valid 7 days; the link sent before stops working."""
    client = _client(client_id)
    _confirmed()
    invitations.resend(_actor(), queries.get_invitation_for(_actor(), client, invitation_id))  # refused: error page
    flash("The invitation was sent again. The earlier link no longer works.", "success")
    return _back(client)


@bp.post("/clients/<int:client_id>/portal/invitations/<int:invitation_id>/cancel")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_invitation_cancel(client_id: int, invitation_id: int):
    """Cancel an invitation: its link stops working. Pressing twice is harmless."""
    client = _client(client_id)
    _confirmed()
    invitations.cancel(_actor(), queries.get_invitation_for(_actor(), client, invitation_id))  # refused: error page
    flash("The invitation was cancelled.", "success")
    return _back(client)


@bp.post("/clients/<int:client_id>/portal/accesses/<int:access_id>/revoke")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_access_revoke(client_id: int, access_id: int):
    """Revoke access: the account no longer acts for this client, from its next page on."""
    client = _client(client_id)
    _confirmed()
    revoked = invitations.revoke_access(_actor(), queries.get_access_for(_actor(), client, access_id))
    flash("The access was revoked." if revoked else "That access had already been revoked.", "success")
    return _back(client)


def _visibility(client_id: int, access_id: int, change):
    client = _client(client_id)
    access = queries.get_access_for(_actor(), client, access_id)
    form = VisibilityForm()
    if not form.validate_on_submit() or form.item() is None or not access.active:
        abort(400)
    change(_actor(), access, *form.item())  # a refusal (PortalAccessError) answers the error page centrally
    return redirect(url_for("staff.portal_manager", client_id=client.id, _anchor=f"visibility-{access.id}"))


@bp.post("/clients/<int:client_id>/portal/accesses/<int:access_id>/hide")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_item_hide(client_id: int, access_id: int):
    """Hide one item of the client from this representative only."""
    return _visibility(client_id, access_id, hiding.hide_item)


@bp.post("/clients/<int:client_id>/portal/accesses/<int:access_id>/show")
@requires(Permission.STAFF_PORTAL_MANAGER)
def portal_item_show(client_id: int, access_id: int):
    """Show a hidden item to this representative again."""
    return _visibility(client_id, access_id, hiding.show_item)
