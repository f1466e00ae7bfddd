"""Sharing on the staff site: the client plan (Service Providers), Share Client, the client log, Needs Review.

Flash messages never name the client: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from forms.fields import ConfirmForm
from forms.staff.sharing import (
    ClientShareForm,
    ContactEditForm,
    ContactForm,
    ContactReviewForm,
    ServiceProviderAddForm,
)
from portal_app.authz import Permission, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.clock import utcnow
from portal_app.pipeline import render_error
from portal_app.sharing import queries, review_queries, roi_gate
from portal_app.sharing import services as sharing
from portal_app.sharing.models import Contact
from portal_app.timefmt import local_input_value

from .._common import audited_page, place_refusal, safe_next, savepoint
from .._common import current_actor as _actor
from . import bp

NEEDS_REVIEW_ON_LOG = 25


def _client(client_id: int, permission: Permission) -> Client:
    """The client of the actor's agency (404 otherwise), through the clients domain's one scoped loader."""
    return get_client_for_staff(_actor(), client_id, permission)


def _contact(contact_id: int) -> Contact:
    """A contact of a client of the actor's agency; any other answers 404 (its existence is not revealed)."""
    return queries.get_contact_for(_actor(), contact_id)


def _page(template: str, client: Client, status: int = 200, *, contact: Contact | None = None, **context):
    """A page of the client's record (or of one contact); showing it (GET) is an audited view (S13)."""
    def record_view() -> None:
        if contact is not None:
            sharing.record_contact_view(_actor(), contact, request.endpoint)
        else:
            record_client_view(_actor(), client, page=request.endpoint)

    return audited_page(template, record_view, status, client=client, contact=contact, **context)


def _refuse(err: sharing.SharingError, form) -> int:
    """A service said no (the savepoint undid its changes): put its sentence beside its field (or above the form)."""
    unplaced = place_refusal(err, form)
    if unplaced:
        form.form_errors.append(unplaced)
    return err.status


def _status(form, status: int | None) -> int:
    return status or (422 if form.is_submitted() else 200)


# -- Plan: Service Providers and shares ----------------------------------------------------------


def _plan_page(client: Client, form: ServiceProviderAddForm | None = None, status: int | None = None):
    form = form or ServiceProviderAddForm(organizations=queries.eligible_partner_organizations(_actor()))
    return _page("staff/sharing/plan.html", client, _status(form, status), form=form,
                 providers=queries.service_providers(client), shares=queries.active_shares(client))


@bp.get("/clients/<int:client_id>/plan")
@requires(Permission.STAFF_SHARING)
def client_plan(client_id: int):
    """The client plan: service providers and the client's active shares."""
    return _plan_page(_client(client_id, Permission.STAFF_SHARING))


@bp.post("/clients/<int:client_id>/providers")
@requires(Permission.STAFF_SHARING)
def client_provider_add(client_id: int):
    """Add Service Provider: a partner organization with sharing enabled, and its service."""
    client = _client(client_id, Permission.STAFF_SHARING)
    form = ServiceProviderAddForm(organizations=queries.eligible_partner_organizations(_actor()))
    if not form.validate_on_submit():
        return _plan_page(client, form)
    try:
        with savepoint():
            provider = sharing.add_service_provider(_actor(), client, form.organization(), form.service.data)
    except sharing.SharingError as err:
        return _plan_page(client, form, _refuse(err, form))
    flash(f"{provider.organization.name} was added as a service provider.", "success")
    return redirect(url_for("staff.client_plan", client_id=client.id))


@bp.post("/clients/<int:client_id>/providers/<int:provider_id>/remove")
@requires(Permission.STAFF_SHARING)
def client_provider_remove(client_id: int, provider_id: int):
    """Remove a service provider from the plan; sharing with it stops too."""
    client = _client(client_id, Permission.STAFF_SHARING)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    provider = queries.get_provider_for(_actor(), client, provider_id)
    name = provider.organization.name
    sharing.remove_service_provider(_actor(), provider)
    flash(f"{name} was removed from the plan.", "success")
    return redirect(url_for("staff.client_plan", client_id=client.id))


@bp.route("/clients/<int:client_id>/share", methods=["GET", "POST"])
@requires(Permission.STAFF_SHARING)
def client_share(client_id: int):
    """Share Client with one of its service providers, with a share note the partner sees."""
    client = _client(client_id, Permission.STAFF_SHARING)
    providers = queries.shareable_providers(client)
    form = ClientShareForm(organizations=[p.organization for p in providers])
    status, roi_required = None, False
    if form.validate_on_submit():
        try:
            with savepoint():
                share = sharing.share_client(_actor(), client, form.organization(), form.note.data,
                                             form.override_reason.data or "")
        except (sharing.SharingError, roi_gate.RoiRequired, roi_gate.OverrideInvalid,
                roi_gate.OverrideNotAllowed) as err:
            status, roi_required = _refuse(err, form), isinstance(err, roi_gate.RoiRequired)
        else:
            flash(f"The client was shared with {share.organization.name}.", "success")
            return redirect(url_for("staff.client_plan", client_id=client.id))
    return _page("staff/sharing/share.html", client, _status(form, status), form=form, providers=providers,
                 shares=queries.active_shares(client), roi_required=roi_required, send_form=ConfirmForm(),
                 requires_roi=_actor().organization.sharing_requires_roi,
                 may_override=_actor().role in roi_gate.OVERRIDE_ROLES)


@bp.post("/clients/<int:client_id>/shares/<int:share_id>/stop")
@requires(Permission.STAFF_SHARING)
def client_share_revoke(client_id: int, share_id: int):
    """Stop sharing: the partner loses the client on its next request. Pressing twice is harmless."""
    client = _client(client_id, Permission.STAFF_SHARING)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    share = queries.get_share_for(_actor(), client, share_id)
    stopped = sharing.revoke_share(_actor(), share)
    flash(f"Sharing with {share.organization.name} {'stopped' if stopped else 'had already stopped'}.", "success")
    return redirect(url_for("staff.client_plan", client_id=client.id))


# -- Client log and contacts ---------------------------------------------------------------------


def _log_page(client: Client, form: ContactForm | None = None, status: int | None = None):
    if form is None:
        form = ContactForm()
        form.occurred_at.data = local_input_value(utcnow())
    contacts = queries.client_contacts(client, request.args.get("page"))
    return _page("staff/sharing/log.html", client, _status(form, status), form=form, contacts=contacts,
                 pending=review_queries.client_needs_review(client, NEEDS_REVIEW_ON_LOG),
                 pending_count=review_queries.client_needs_review_count(client), pending_limit=NEEDS_REVIEW_ON_LOG)


@bp.get("/needs-review")
@requires(Permission.STAFF_CONTACTS)
def needs_review():
    """Needs Review in full, 25 a page, newest first: the staff home shows the newest few and leads here."""
    actor = _actor()
    rows = review_queries.needs_review_list(actor, request.args.get("page"))
    return render_template("staff/sharing/needs_review.html", rows=rows, count=review_queries.needs_review_count(actor))


@bp.get("/clients/<int:client_id>/log")
@requires(Permission.STAFF_CONTACTS)
def client_log(client_id: int):
    """The client log: Needs Review, Record Contact, then the contacts newest first, 25 a page."""
    return _log_page(_client(client_id, Permission.STAFF_CONTACTS))


@bp.post("/clients/<int:client_id>/contacts")
@requires(Permission.STAFF_CONTACTS)
def contact_record(client_id: int):
    """Record Contact: the time typed is the agency's local time."""
    client = _client(client_id, Permission.STAFF_CONTACTS)
    form = ContactForm()
    if not form.validate_on_submit():
        return _log_page(client, form)
    try:
        with savepoint():
            contact = sharing.record_contact(_actor(), client, **form.contact_data())
    except sharing.SharingError as err:
        return _log_page(client, form, _refuse(err, form))
    flash("The contact was recorded.", "success")
    return redirect(url_for("staff.client_log", client_id=client.id, _anchor=f"contact-{contact.id}"))


@bp.get("/contacts/<int:contact_id>")
@requires(Permission.STAFF_CONTACTS)
def contact_detail(contact_id: int):
    """One contact, with Mark as Reviewed while it needs review."""
    contact = _contact(contact_id)
    return _page("staff/sharing/contact_detail.html", contact.client, contact=contact, review_form=ContactReviewForm())


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@requires(Permission.STAFF_CONTACTS)
def contact_edit(contact_id: int):
    """Edit a contact, ticking "Mark as Reviewed?" for a third-party one (409 if saved meanwhile, entries kept)."""
    contact = _contact(contact_id)
    form = ContactEditForm(obj=contact)
    if not form.is_submitted():
        form.occurred_at.data = local_input_value(contact.occurred_at)
    status, current = None, None
    if form.validate_on_submit():
        try:
            with savepoint():
                sharing.update_contact(_actor(), contact, form.expected_version(), **form.contact_data(),
                                       mark_reviewed=bool(form.mark_reviewed.data) and contact.is_third_party)
        except sharing.SharingError as err:
            status = _refuse(err, form)
            if isinstance(err, sharing.StaleEdit):
                current, form.version_id.data = contact, contact.version_id  # saving again overwrites
        else:
            flash("The contact was saved.", "success")
            return redirect(url_for("staff.contact_detail", contact_id=contact.id))
    return _page("staff/sharing/contact_edit.html", contact.client, _status(form, status), contact=contact,
                 form=form, current=current)


@bp.post("/contacts/<int:contact_id>/review")
@requires(Permission.STAFF_CONTACTS)
def contact_review(contact_id: int):
    """Mark as Reviewed. htmx: an empty row plus the new counter (out of band); otherwise back to `next`."""
    contact = _contact(contact_id)
    form = ContactReviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with savepoint():
            sharing.mark_contact_reviewed(_actor(), contact)
    except sharing.StaleEdit:  # a simultaneous second press: fine if the first one marked it
        if _contact(contact_id).needs_review:
            return render_error(409, sharing.StaleEdit.default_message)
    if request.htmx:
        on_log = form.for_client_log()
        count = review_queries.client_needs_review_count(contact.client) if on_log else review_queries.needs_review_count(_actor())
        return render_template("staff/_partials/review_done.html", contact=contact, count=count, on_log=on_log)
    flash("The contact was marked as reviewed.", "success")
    return redirect(safe_next(form.next.data, "staff", url_for("staff.client_log", client_id=contact.client_id)))

