"""Hand a client's document to a waiting-room kiosk: from the client's page (a blank form fillable on
kiosks) or from a document waiting for the client; cancel or resend an open hand-off.

Flash messages never name the client: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from forms.fields import ConfirmForm
from forms.staff.kiosk import HandoffForm
from portal_app.authz import Permission, requires
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.documents import workflow
from portal_app.documents.document_queries import get_document_for
from portal_app.kiosk import handoffs
from portal_app.kiosk.errors import KioskError
from portal_app.kiosk.queries import target_of

from .._common import audited_page, place_refusal, savepoint
from .._common import current_actor as _actor
from . import bp

P = Permission.STAFF_KIOSK


def _form(with_template: bool) -> HandoffForm:
    devices, locations = handoffs.kiosk_targets(_actor())
    versions = handoffs.kiosk_versions(_actor()) if with_template else []
    return HandoffForm(versions, devices, locations, with_template=with_template)


def _send(form: HandoffForm, client, **what):
    """Hand off, or put the refusal beside its field (None then)."""
    try:
        with savepoint():
            device, location = target_of(_actor(), form.target.data)
            return handoffs.hand_off(_actor(), client, device=device, location=location, **what)
    except KioskError as err:
        unplaced = place_refusal(err, form)
        if unplaced:
            form.target.errors = [*form.target.errors, unplaced]
    return None


@bp.route("/clients/<int:client_id>/kiosk", methods=["GET", "POST"])
@requires(P)
def client_kiosk(client_id: int):
    """"Kiosk": a blank document from a form fillable on kiosks, sent to a tablet for this client."""
    client = get_client_for_staff(_actor(), client_id, P)
    form = _form(True)
    if form.validate_on_submit():
        version = next((v for v in handoffs.kiosk_versions(_actor()) if v.template_id == form.template_id.data), None)
        if version is not None and _send(form, client, template_version=version) is not None:
            flash("The form was sent to the kiosk. The client confirms their date of birth there first.", "success")
            return redirect(url_for("staff.client_documents", client_id=client.id))
    status = 422 if form.is_submitted() else 200
    return audited_page("staff/kiosk/hand_off.html", lambda: record_client_view(_actor(), client, page=request.endpoint),
                        status, client=client, form=form, document=None)


@bp.route("/documents/<int:document_id>/kiosk", methods=["GET", "POST"])
@requires(P)
def document_kiosk(document_id: int):
    """"Kiosk" on a document waiting for the client: the client fills or signs it on a tablet."""
    document = get_document_for(_actor(), document_id)
    form = _form(False)
    if form.validate_on_submit() and _send(form, document.client, document=document) is not None:
        flash("The document was sent to the kiosk. The client confirms their date of birth there first.", "success")
        return redirect(url_for("staff.client_documents", client_id=document.client_id))
    status = 422 if form.is_submitted() else 200
    return audited_page("staff/kiosk/hand_off.html",
                        lambda: workflow.record_view(_actor(), document, request.endpoint),
                        status, client=document.client, form=form, document=document)


def _handoff_action(handoff_id: int, action, done: str):
    handoff = handoffs.get_handoff_for(_actor(), handoff_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action(_actor(), handoff)
    flash(done, "success")
    return redirect(url_for("staff.client_documents", client_id=handoff.client_id))


@bp.post("/kiosk-handoffs/<int:handoff_id>/cancel")
@requires(P)
def kiosk_handoff_cancel(handoff_id: int):
    """Take the document back from the kiosk (the document itself stays)."""
    return _handoff_action(handoff_id, handoffs.cancel_handoff, "The kiosk hand-off was cancelled.")


@bp.post("/kiosk-handoffs/<int:handoff_id>/resend")
@requires(P)
def kiosk_handoff_resend(handoff_id: int):
    """Show it on the tablet again, from the date-of-birth question."""
    return _handoff_action(handoff_id, handoffs.resend_handoff, "The form was sent to the kiosk again.")
