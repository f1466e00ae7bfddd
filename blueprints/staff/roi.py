"""Client record › Release of Information history: every ROI, newest first; revoke on the client's written
request; send the ROI form to the client's portal.

Flash messages never name the client: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from forms.fields import ConfirmForm
from forms.staff.roi import RoiRevokeForm
from portal_app.authz import Permission, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff
from portal_app.documents.errors import DocumentError
from portal_app.roi import queries, services
from portal_app.roi.sending import send_roi_to_portal

from .._common import audited_page, savepoint
from .._common import current_actor as _actor
from . import bp

P = Permission.STAFF_ROI


def _client(client_id: int) -> Client:
    return get_client_for_staff(_actor(), client_id, P)


def _history(client: Client, status: int = 200, *, revoke: tuple[int, RoiRevokeForm] | None = None,
             error: str | None = None):
    """The history page; a GET is an audited view (S13)."""
    today = queries.agency_today()
    rois = queries.history(client)
    return audited_page("staff/roi/history.html",
                        lambda: services.record_history_view(_actor(), client, request.endpoint), status,
                        client=client, rois=rois, today=today, shares=queries.dependent_share_counts(client),
                        revoke_id=revoke[0] if revoke else None, revoke_form=revoke[1] if revoke else RoiRevokeForm(),
                        send_form=ConfirmForm(), error=error)


@bp.get("/clients/<int:client_id>/roi")
@requires(P)
def client_roi_history(client_id: int):
    """The client's Release of Information history: recipients, information, purpose, dates, status, PDF."""
    return _history(_client(client_id))


@bp.post("/roi/<int:roi_id>/revoke")
@requires(P)
def roi_revoke(roi_id: int):
    """Revoke an active ROI on the client's written request (reason required); dependent shares end now."""
    roi = queries.get_roi_for(_actor(), roi_id)
    form = RoiRevokeForm()
    if not form.validate_on_submit():
        return _history(roi.client, 422, revoke=(roi.id, form))
    try:
        with savepoint():
            ended = services.revoke_roi(_actor(), roi, form.reason.data)
    except services.RoiError as err:
        form.reason.errors = [str(err)]
        return _history(roi.client, err.status, revoke=(roi.id, form))
    flash("The release of information was revoked." + (f" Sharing with {ended} organization"
          f"{'s' if ended != 1 else ''} that relied on it has ended." if ended else ""), "success")
    return redirect(url_for("staff.client_roi_history", client_id=roi.client_id))


@bp.post("/clients/<int:client_id>/roi/send")
@requires(P)
def client_roi_send(client_id: int):
    """Send the agency's Release of Information form to the client's portal (the documents workflow)."""
    client = _client(client_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        with savepoint():
            document = send_roi_to_portal(_actor(), client)
    except (services.RoiError, DocumentError) as err:
        return _history(client, err.status, error=str(err))
    flash("The Release of Information form was sent to the client portal.", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))
