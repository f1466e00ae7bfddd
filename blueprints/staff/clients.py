"""Client records: the list with search, the profile, add and edit, the photo.

Flash messages never name the client: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from forms.staff.clients import ClientForm, ClientPhotoForm
from portal_app.authz import Permission, requires
from portal_app.clients import services
from portal_app.clients.models import Client
from portal_app.clients.queries import (
    get_client_for_staff,
    search_clients,
    with_care_team,
    with_photos,
)
from portal_app.clients.rules import LANGUAGE_LABELS

from .._common import current_actor as _actor
from .._common import audited_page, place_refusal, savepoint, stored_photo_response
from . import bp
from .goals import profile_goals


def _client_page(template: str, client: Client, status: int = 200, **context):
    """A page of the client's record. Showing it (GET) is a view of the record: audited (S13)."""
    return audited_page(template, lambda: services.record_client_view(_actor(), client, page=request.endpoint),
                        status, client=client, language_labels=LANGUAGE_LABELS, **context)


def _form_page(template: str, form, client: Client | None, *, error: str | None = None,
               status: int | None = None, current: Client | None = None):
    """The add, edit or photo form: 200 when first shown, 422 when the input needs correcting."""
    status = status or (422 if form.is_submitted() else 200)
    if client is None:
        return render_template(template, form=form, client=None, error=error), status
    return _client_page(template, client, status, form=form, error=error, current=current)


def _refused(err: services.ClientError, template: str, form, client: Client | None):
    """A service said no (its changes undone by the savepoint): show the reason beside its field (or above the form)."""
    unplaced = place_refusal(err, form)
    current = None
    if isinstance(err, services.StaleEdit) and "version_id" in form:
        form.version_id.data = client.version_id  # saving again now replaces the newer version
        current = client
    return _form_page(template, form, client, error=unplaced, status=err.status,
                      current=current)


@bp.get("/clients")
@requires(Permission.STAFF_CLIENTS)
def clients():
    """Clients of the agency, searched as you type (htmx: the rows only) or with the Search button."""
    q = request.args.get("q", "")
    results = search_clients(_actor(), q, request.args.get("page", 1, type=int))
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "staff/_partials/client_rows.html" if fragment else "staff/clients/list.html"
    return render_template(template, clients=results, q=q)


@bp.route("/clients/new", methods=["GET", "POST"])
@requires(Permission.STAFF_CLIENT_EDIT)
def client_new():
    """Add a client to the agency; a case manager who adds one is its primary case manager."""
    form = ClientForm()
    if not form.validate_on_submit():
        return _form_page("staff/clients/new.html", form, None)
    try:
        with savepoint():
            client = services.create_client(_actor(), **form.client_data())
    except services.ClientError as err:
        return _refused(err, "staff/clients/new.html", form, None)
    flash("The client was added.", "success")
    return redirect(url_for("staff.client_profile", client_id=client.id))


@bp.get("/clients/<int:client_id>")
@requires(Permission.STAFF_CLIENTS)
def client_profile(client_id: int):
    """The client's profile: basic information, contact details, care team, goals."""
    client = get_client_for_staff(_actor(), client_id, load=[with_care_team()])
    return _client_page("staff/clients/profile.html", client, **profile_goals(client))


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@requires(Permission.STAFF_CLIENT_EDIT)
def client_edit(client_id: int):
    """Edit the client (optimistic locking: 409 if someone saved it meanwhile, entries kept)."""
    client = get_client_for_staff(_actor(), client_id, Permission.STAFF_CLIENT_EDIT)
    form = ClientForm(obj=client)
    if not form.validate_on_submit():
        return _form_page("staff/clients/edit.html", form, client)
    try:
        with savepoint():
            services.update_client(_actor(), client, form.expected_version(), **form.client_data())
    except services.ClientError as err:
        return _refused(err, "staff/clients/edit.html", form, client)
    flash("The client\u2019s details were saved.", "success")
    return redirect(url_for("staff.client_profile", client_id=client.id))


@bp.route("/clients/<int:client_id>/photo", methods=["GET", "POST"])
@requires(Permission.STAFF_CLIENT_EDIT)
def client_photo(client_id: int):
    """Upload or replace the client's photo (JPEG, PNG, WebP or GIF by content; at most 5 MB)."""
    client = get_client_for_staff(_actor(), client_id, Permission.STAFF_CLIENT_EDIT)
    form = ClientPhotoForm()
    if not form.validate_on_submit():
        return _form_page("staff/clients/photo.html", form, client)
    try:
        with savepoint():
            services.set_client_photo(_actor(), client, form.photo_bytes(), form.photo_filename())
    except services.ClientError as err:
        return _refused(err, "staff/clients/photo.html", form, client)
    flash("The client\u2019s photo was changed.", "success")
    return redirect(url_for("staff.client_profile", client_id=client.id))


@bp.get("/clients/<int:client_id>/photo/<any(full, thumb):size>")
@requires(Permission.STAFF_CLIENTS)
def client_photo_file(client_id: int, size: str):
    """The stored photo (at most 512x512) or its 96x96 thumbnail, to staff who may see the client."""
    client = get_client_for_staff(_actor(), client_id, load=with_photos())
    resp = stored_photo_response((client.photo_thumb if size == "thumb" else None) or client.photo)
    services.record_client_view(_actor(), client, page=f"{request.endpoint}:{size}")  # a photo is the record (S13)
    return resp
