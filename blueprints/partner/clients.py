"""Shared clients on the partner site: the limited profile, the photo and the organization's own contacts.

A partner sees a client only while it is actively shared with its organization. Every request
checks the share again, so a revoked share (or sharing switched off) ends access on the next
request; anything outside the partner's shares answers 404, never 403 (S6). Templates get
view models holding only the allowed fields, never a Client or a Contact (S7).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from forms.partner.contacts import ContactEditForm, ContactForm
from portal_app import audit
from portal_app.authz import Permission, requires
from portal_app.clock import utcnow
from portal_app.sharing import policy, queries, services
from portal_app.sharing.models import ClientShare, Contact
from portal_app.sharing.part2 import PART2_NOTICE
from portal_app.timefmt import local_input_value

from .._common import current_actor as _actor
from .._common import place_refusal, savepoint, stored_photo_response
from . import bp

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


@bp.context_processor
def _part2_notice() -> dict:
    return {"part2_notice": PART2_NOTICE}


def _share_or_404(client_id: int) -> ClientShare:
    """The active share of this client with the partner's organization, read afresh on every request.

    Outside the partner's active shares the domain's SharingNotFound answers 404 and the attempt is
    kept in the audit trail (pipeline.out_of_scope, S13).
    """
    return queries.get_shared_client_for(_actor(), client_id)


def _own_contact_or_404(contact_id: int) -> tuple[Contact, ClientShare]:
    """A contact of the partner's own organization, for a client still shared with it."""
    contact = queries.get_contact_for(_actor(), contact_id)
    return contact, _share_or_404(contact.client_id)


def _record_view(client) -> None:
    """A page or photo of a shared client was shown to the partner: audited (S13)."""
    audit.record("client.viewed", _actor(), obj=client, client_id=client.id,
                 details={"site": "partner", "page": request.endpoint})


def _contact_page(form, share: ClientShare, *, contact: Contact | None = None, status: int | None = None,
                  error: str | None = None, current: queries.PartnerContactView | None = None):
    """The record/edit contact form: 200 when first shown, 422 when the input needs correcting."""
    status = status or (422 if form.is_submitted() else 200)
    return render_template(
        "partner/clients/contact_form.html", form=form, client=queries.partner_view(share.client, share),
        contact_id=contact.id if contact else None, error=error, current=current,
    ), status


def _locked(share: ClientShare):
    """The agency reviewed the contact: it can no longer be changed (409, the Edit link is gone)."""
    client = queries.partner_view(share.client, share)
    return render_template("partner/clients/contact_locked.html", client=client,
                           message=services.ContactLocked.default_message), 409


def _refused(err: services.SharingError, form, share: ClientShare, contact: Contact | None = None):
    """A service said no (the savepoint undid its changes): the reason beside its field, what was typed kept."""
    if isinstance(err, services.ContactLocked):
        return _locked(share)
    current = None
    if isinstance(err, services.StaleEdit) and contact is not None:
        if contact.reviewed_at is not None:  # the "someone else" was the agency's review
            return _locked(share)
        form.version_id.data = contact.version_id  # saving again now replaces the newer version
        current = queries.partner_contact_view(contact)
    unplaced = place_refusal(err, form)
    return _contact_page(form, share, contact=contact, status=err.status, current=current, error=unplaced)


@bp.get("/clients/<int:client_id>")
@requires(Permission.PARTNER_CLIENTS)
def clients_detail(client_id: int):
    """A shared client: name, photo, basic contact information, the share note and our own contacts (paged)."""
    share = _share_or_404(client_id)
    client = share.client
    audit.record("client.viewed", _actor(), obj=client, client_id=client.id, details={"site": "partner"})
    page = queries.partner_contacts(_actor(), client, request.args.get("page"))
    contacts = [queries.partner_contact_view(c) for c in page.items]
    return render_template("partner/clients/detail.html", client=queries.partner_view(client, share),
                           contacts=contacts, page=page)


@bp.get("/clients/<int:client_id>/photo")
@requires(Permission.PARTNER_CLIENTS)
def clients_photo(client_id: int):
    """The shared client's photo (S11: sent as an attachment with its stored type, never sniffed)."""
    client = _share_or_404(client_id).client
    resp = stored_photo_response(client.photo, PHOTO_TYPES)
    _record_view(client)
    return resp


@bp.route("/clients/<int:client_id>/contacts/new", methods=["GET", "POST"])
@requires(Permission.PARTNER_CONTACTS)
def contacts_new(client_id: int):
    """Record a contact with a shared client; it waits in the agency's Needs Review."""
    share = _share_or_404(client_id)
    form = ContactForm(data=None if request.method == "POST" else {"occurred_at": local_input_value(utcnow())})
    if not form.validate_on_submit():
        if request.method == "GET":
            _record_view(share.client)  # the form names the client: a view of the record (S13)
        return _contact_page(form, share)
    try:
        with savepoint():
            services.record_contact(_actor(), share.client, **form.contact_data())
    except services.SharingError as err:
        return _refused(err, form, share)
    flash("Your contact was recorded. The agency will review it.", "success")
    return redirect(url_for("partner.clients_detail", client_id=client_id))


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@requires(Permission.PARTNER_CONTACTS)
def contacts_edit(contact_id: int):
    """Change one of our contacts until the agency reviews it (R3: a stale save answers 409)."""
    contact, share = _own_contact_or_404(contact_id)
    if not policy.partner_may_edit_contact(_actor(), contact):
        return _locked(share)
    if request.method == "GET":
        services.record_contact_view(_actor(), contact, "edit")
    form = ContactEditForm(data=None if request.method == "POST" else ContactForm.initial(contact))
    if not form.validate_on_submit():
        return _contact_page(form, share, contact=contact)
    try:
        with savepoint():
            services.update_contact(_actor(), contact, form.expected_version(), **form.contact_data())
    except services.SharingError as err:
        return _refused(err, form, share, contact)
    flash("Your changes to the contact were saved.", "success")
    return redirect(url_for("partner.clients_detail", client_id=share.client_id))
