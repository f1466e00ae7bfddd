"""Portal › Requests: what the agency asks of the acted-for client, with due dates, and how to answer each:
fill the assessment, send a document's pages, share a location, or say "I can't provide this".

Works without JavaScript (plain forms, one page per request); the position button is the only script.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from forms.fields import ConfirmForm
from forms.portal.requests import CantProvideForm, LocationForm, PagesForm
from portal_app.authz import Permission, can, requires
from portal_app.documents.answers import form_values
from portal_app.documents.errors import AnswersInvalid
from portal_app.requests import portal_services as ps
from portal_app.requests import services
from portal_app.requests.errors import RequestError, RequestNotFound
from portal_app.requests.kinds import handler_for
from portal_app.requests.queries import (
    bundle_progress,
    get_portal_request_for,
    portal_requests,
    waiting_count,
)

from .._common import audited_page, current_actor, savepoint
from . import bp
from .documents import portal_lang

P = Permission.PORTAL_REQUESTS


@bp.app_template_global()
def portal_requests_waiting(access) -> int:
    """How many requests wait for the acted-for client (the navigation's count; the home page asks too:
    counted once per request)."""
    if access is None:
        return 0
    counted = g.get("requests_waiting")
    if counted is None or counted[0] != access.id:
        counted = g.requests_waiting = (access.id, waiting_count(access))
    return counted[1]


@bp.app_template_global()
def request_endpoint(kind: str) -> str:
    """The portal page where the client answers a request of this kind (from the kinds registry)."""
    return handler_for(kind).portal_endpoint


def _request(request_id: int, kind: str | None = None):
    access = g.get("acting")
    req = get_portal_request_for(access, request_id)
    if not can(current_actor(), P, (access, req)) or (kind is not None and req.kind != kind):
        raise RequestNotFound
    return access, req


def _view(req, page: str):
    return lambda: services._audit("viewed", current_actor(), req, page=page)


@bp.get("/requests")
@requires(P)
def requests_list():
    """The acted-for client's requests: waiting ones first (due dates, overdue marked), then the answered ones."""
    access = g.get("acting") or abort(404)
    rows = portal_requests(access)
    progress = bundle_progress(sorted({r.bundle_id for r in rows if r.bundle_id}))
    return audited_page("portal/requests/list.html",
                        lambda: services.record_view(current_actor(), access.client, "portal.requests_list"),
                        requests=rows, progress=progress, today=services.today(), lang=portal_lang())


def _refused(err: RequestError) -> str:
    return _(str(err))


@bp.route("/requests/<int:request_id>/assessment", methods=["GET", "POST"])
@requires(P)
def request_assessment(request_id: int):
    """Fill the assessment: save and continue later, or submit (each answer checked: 422 beside the question)."""
    access, req = _request(request_id, "assessment")
    document = req.document
    if not req.waiting_for_client or document.status != "waiting_client":
        return redirect(url_for("portal.requests_list"))
    values, errors, status = document.answers or {}, {}, 200
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        submit = request.form.get("action") == "submit"
        try:
            with savepoint():
                ps.fulfil_assessment(current_actor(), access, req, request.form, submit=submit,
                                     today=services.today(), lang=portal_lang())
        except AnswersInvalid as err:
            values, errors, status = form_values(document.template_version.fields, request.form), err.errors, 422
        else:
            if submit and document.status == "waiting_signatures":
                return redirect(url_for("portal.document_sign", document_id=document.id))
            flash(_("Thank you: it was sent.") if submit else _("Your answers are saved. You can continue later."),
                  "success")
            if submit:
                return redirect(url_for("portal.requests_list"))
            return redirect(url_for("portal.request_assessment", request_id=req.id))
    return audited_page("portal/requests/assessment.html", _view(req, "portal.request_assessment"), status,
                        req=req, document=document, version=document.template_version, values=values,
                        errors=errors, form=ConfirmForm(), lang=portal_lang())


def _files() -> list[bytes]:
    return [f.read() for f in request.files.getlist("files") if f and f.filename]


@bp.route("/requests/<int:request_id>/document", methods=["GET", "POST"])
@requires(P)
def request_document(request_id: int):
    """Send a document: photos or PDFs (several at once, or added page by page), made into one PDF."""
    access, req = _request(request_id, "document")
    if not req.waiting_for_client:
        return redirect(url_for("portal.requests_list"))
    form, error, status = PagesForm(), None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            with savepoint():
                if request.form.get("action") == "add":
                    count = ps.add_pages(current_actor(), access, req, _files())
                else:
                    ps.fulfil_document(current_actor(), access, req, _files())
        except RequestError as err:
            error, status = _refused(err), err.status
        else:
            if request.form.get("action") == "add":
                flash(_("Page added. You have %(count)s page(s) so far.", count=count), "success")
                return redirect(url_for("portal.request_document", request_id=req.id))
            flash(_("Thank you: it was sent."), "success")
            return redirect(url_for("portal.requests_list"))
    return audited_page("portal/requests/document.html", _view(req, "portal.request_document"), status, req=req,
                        form=form, error=error, pages=len(req.pending_pages or []), lang=portal_lang())


@bp.route("/requests/<int:request_id>/location", methods=["GET", "POST"])
@requires(P)
def request_location(request_id: int):
    """Share a location: type an address, or (with JavaScript and the person's permission) the phone's position."""
    access, req = _request(request_id, "location")
    if not req.waiting_for_client:
        return redirect(url_for("portal.requests_list"))
    form, error, status = LocationForm(), None, 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                with savepoint():
                    ps.fulfil_location(current_actor(), access, req, form.address.data or "", form.latitude.data,
                                       form.longitude.data)
            except RequestError as err:
                form.address.errors = [_refused(err)]
                status = err.status
            else:
                flash(_("Thank you: it was sent."), "success")
                return redirect(url_for("portal.requests_list"))
        else:
            status = 422
    return audited_page("portal/requests/location.html", _view(req, "portal.request_location"), status, req=req,
                        form=form, error=error, lang=portal_lang())


@bp.get("/requests/<int:request_id>/roi")
@requires(P)
def request_roi(request_id: int):
    """A Release of Information request opens its form: to fill in, then to sign (or decline) on the document pages."""
    _access, req = _request(request_id, "roi")
    document = req.document
    if not req.waiting_for_client or document is None:
        return redirect(url_for("portal.requests_list"))
    if document.status == "waiting_client":
        return redirect(url_for("portal.document_fill", document_id=document.id))
    return redirect(url_for("portal.document_sign", document_id=document.id))


@bp.route("/requests/<int:request_id>/cant", methods=["GET", "POST"])
@requires(P)
def request_cant(request_id: int):
    """"I can't provide this": a reason (and words for Other) that reaches the staff member who asked."""
    access, req = _request(request_id)
    if req.status not in ("open", "returned"):
        return redirect(url_for("portal.requests_list"))
    form, status = CantProvideForm(), 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                with savepoint():
                    ps.cant_provide(current_actor(), access, req, form.reason.data, form.text.data or "")
            except RequestError as err:
                form.text.errors = [_refused(err)]
                status = err.status
            else:
                flash(_("Thank you: the agency was told."), "success")
                return redirect(url_for("portal.requests_list"))
        else:
            status = 422
    return audited_page("portal/requests/cant.html", _view(req, "portal.request_cant"), status, req=req, form=form,
                        lang=portal_lang())
