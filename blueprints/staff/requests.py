"""Client record › Client Portal Requests: every request, newest first, with its status and result; Send New
Request (inline with htmx, a page without JavaScript), a packet of requests; accept, return or cancel;
the file a client sent. Flash messages never name the client (they travel in the session cookie).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for

from forms.fields import ConfirmForm
from forms.staff.requests import PacketForm, RequestForm, RequestMassForm, ReturnForm
from portal_app.authz import Permission, requires
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.documents.queries import offered_versions
from portal_app.documents.scoring import score_answers
from portal_app.requests import services
from portal_app.requests.categories import agency_categories
from portal_app.requests.errors import RequestError
from portal_app.requests.models import CANT_REASONS, DECLINED
from portal_app.requests.queries import (
    bundle_progress,
    client_requests,
    get_request_for,
    latest_location,
    received_documents,
)
from portal_app.requests.roi_kind import rois_by_document
from portal_app.storage import get_storage

from .._common import audited_page, place_refusal, savepoint
from .._common import current_actor as _actor
from . import bp

P = Permission.STAFF_REQUESTS
STAFF_CANT_REASONS = {**CANT_REASONS, DECLINED: "Declined to sign"}


def _client(client_id: int):
    return get_client_for_staff(_actor(), client_id, P)


def score_of(req):
    """The assessment's score (None: not submitted, or the form scores nothing)."""
    document = req.document
    if document is None or document.answers_submitted_at is None:
        return None
    version = document.template_version
    return score_answers(version.fields, version.bands or [], document.answers or {})


@bp.app_template_global()
def client_portal_location(client):
    """The last location the client sent through the portal (the profile shows it with its date)."""
    return latest_location(client)


@bp.app_template_global()
def client_received_documents(client):
    """The documents the client sent through the portal (the Documents tab lists them by category)."""
    return received_documents(client)


def _page(client, status: int = 200, **forms):
    page = client_requests(client, request.args.get("page", 1, type=int))
    progress = bundle_progress(sorted({r.bundle_id for r in page.items if r.bundle_id}))
    forms = {"return_form": ReturnForm(), "confirm": ConfirmForm(), "return_for": None, **forms}
    return audited_page("staff/requests/list.html", lambda: record_client_view(_actor(), client, page=request.endpoint),
                        status, client=client, requests=page, progress=progress, score_of=score_of,
                        today=services.today(), cant_reasons=STAFF_CANT_REASONS,
                        rois=rois_by_document(page.items), **forms)


@bp.get("/clients/<int:client_id>/requests")
@requires(P)
def client_requests_page(client_id: int):
    """Every request sent to the client, newest first: type, what, who, when, due, status, result."""
    return _page(_client(client_id))


def _choices():
    actor = _actor()
    return offered_versions(actor, "portal_assessment"), agency_categories(actor.organization_id)


def _sent(client, what: str):
    flash(what, "success")
    if request.htmx:
        return "", 204, {"HX-Redirect": url_for("staff.client_requests_page", client_id=client.id)}
    return redirect(url_for("staff.client_requests_page", client_id=client.id))


def _render(fragment: str, full_page: str, client, form, status: int, error: str | None = None,
            refusal=None):
    """The form alone (htmx: drawn inline on the requests page), or its own page without JavaScript. A refusal
    that names a page (the ROI history) gets its link beside the sentence."""
    link = getattr(refusal, "link_endpoint", None)
    error_link = (url_for(link, client_id=client.id), refusal.link_text) if link else None
    if request.htmx:
        page = render_template(fragment, client=client, form=form, error=error, error_link=error_link)
    else:
        page, status = audited_page(full_page,
                                    lambda: record_client_view(_actor(), client, page=request.endpoint),
                                    status, client=client, form=form, error=error, error_link=error_link)
    return page, status, {"Vary": "HX-Request"}


@bp.route("/clients/<int:client_id>/requests/new", methods=["GET", "POST"])
@requires(P)
def request_new(client_id: int):
    """Send New Request: choose the type (the form then shows what that type needs), send."""
    client = _client(client_id)
    form = RequestForm(*_choices(), formdata=request.form if request.method == "POST" else request.args or None)
    error, status, refusal = None, 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                with savepoint():
                    services.send_request(_actor(), client, form.data_for_service())
            except RequestError as err:
                error, status, refusal = place_refusal(err, form), err.status, err
            else:
                return _sent(client, "The request was sent to the client portal.")
        else:
            status = 422
    return _render("staff/requests/_partials/request_form.html", "staff/requests/request_form_page.html", client, form,
                   status, error, refusal)


@bp.route("/clients/<int:client_id>/requests/packet", methods=["GET", "POST"])
@requires(P)
def request_packet(client_id: int):
    """Send a packet: an assessment, up to two documents, the location and an ROI, with one email to the client."""
    client = _client(client_id)
    form = PacketForm(*_choices(), formdata=request.form if request.method == "POST" else request.args or None)
    error, status, refusal = None, 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            items = form.items()
            try:
                with savepoint():
                    services.send_bundle(_actor(), client, form.title.data, [data for _, data in items])
            except RequestError as err:
                error, status, refusal = _place_packet_refusal(err, form, items), err.status, err
            else:
                return _sent(client, f"The packet of {len(items)} requests was sent to the client portal.")
        else:
            status = 422
    return _render("staff/requests/_partials/packet_form.html", "staff/requests/packet_form_page.html", client, form,
                   status, error, refusal)


def _place_packet_refusal(err: RequestError, form, items) -> str | None:
    """A packet's refusal belongs to the first item whose field it names (doc1_name_id ...), if any."""
    if err.field in ("category_id", "name_id", "other_name"):
        for prefix, data in items:
            if data["kind"] == "document" and prefix.startswith("doc"):
                field = form[f"{prefix}{err.field}"]
                field.errors = [*field.errors, str(err)]
                return None
    return place_refusal(err, form)


def _act(request_id: int, action):
    req = get_request_for(_actor(), request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action(req)
    return redirect(url_for("staff.client_requests_page", client_id=req.client_id))


@bp.post("/requests/<int:request_id>/accept")
@requires(P)
def request_accept(request_id: int):
    """Accept what the client sent."""
    def accept(req):
        services.accept_result(_actor(), req)
        flash("The result was accepted.", "success")
    return _act(request_id, accept)


@bp.post("/requests/<int:request_id>/cancel")
@requires(P)
def request_cancel(request_id: int):
    """Cancel a request: it leaves the client's list."""
    def cancel(req):
        services.cancel_request(_actor(), req)
        flash("The request was cancelled.", "success")
    return _act(request_id, cancel)


@bp.post("/requests/<int:request_id>/return")
@requires(P)
def request_return(request_id: int):
    """Return the result with a reason the client reads; they can send it again."""
    req = get_request_for(_actor(), request_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            with savepoint():
                services.return_result(_actor(), req, form.reason.data)
        except RequestError as err:
            place_refusal(err, form)
        else:
            flash("The result was returned to the client with your reason.", "success")
            return redirect(url_for("staff.client_requests_page", client_id=req.client_id))
    return _page(req.client, 422, return_form=form, return_for=req.id)


@bp.get("/requests/<int:request_id>/file")
@requires(P)
def request_file(request_id: int):
    """The PDF the client sent (all pages in one); every download is an audited view (S13)."""
    req = get_request_for(_actor(), request_id)
    if req.received_file is None:
        abort(404)
    services._audit("file_downloaded", _actor(), req)
    return send_file(get_storage().open(req.received_file.sha256), mimetype="application/pdf", as_attachment=True,
                     download_name=f"request-{req.id}.pdf")


@bp.route("/requests/mass", methods=["GET", "POST"])
@requires(P)
def request_mass_new():
    """One request to many clients (mass sending): the worker sends it in batches; the progress page follows."""
    from portal_app.messaging import queries as messaging_queries
    from portal_app.messaging.core import MessagingError
    from portal_app.requests.mass import create_request_mass_send

    source = request.form if request.method == "POST" else request.args
    q = source.get("q", "")[:200]
    candidates = messaging_queries.mass_send_candidates(_actor(), q, True)
    form = RequestMassForm(*_choices(), clients=candidates,
                           formdata=request.form if request.method == "POST" else request.args or None)
    error, status = None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                with savepoint():
                    job = create_request_mass_send(_actor(), form.chosen_clients(), form.data_for_service())
            except (RequestError, MessagingError) as err:
                error, status = place_refusal(err, form), err.status
            else:
                return redirect(url_for("staff.mass_send_detail", job_id=job.id))
    return render_template("staff/requests/mass_new.html", form=form, q=q, candidates=candidates,
                           error=error), status
