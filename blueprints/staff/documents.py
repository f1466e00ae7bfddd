"""Client record › Documents: the list, start a document, fill it, its detail page (signatures, audit trail,
countersign, send to the portal, void, scanned paper copy), the PDF.

Flash messages never name the client: they travel in the (signed, not encrypted) session cookie.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for

from forms.fields import ConfirmForm
from forms.staff.client_documents import (
    CountersignForm,
    DocumentEmailForm,
    DocumentStartForm,
    InPersonSignForm,
    PaperCopyForm,
    VoidForm,
)
from portal_app.authz import Permission, can, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.documents import emailed, workflow
from portal_app.documents.answers import form_values
from portal_app.documents.consent import consent_of_accesses
from portal_app.documents.document_pdf import AUDIT_WORDS, answer_text, audit_trail
from portal_app.documents.document_queries import documents_page, get_document_for
from portal_app.documents.errors import DocumentError
from portal_app.documents.in_person import in_person_signers, sign_in_person
from portal_app.documents.records import Document
from portal_app.storage import get_storage

from .._common import audited_page, place_refusal, save_posted_answers, savepoint
from .._common import current_actor as _actor
from . import bp

P = Permission.STAFF_DOCUMENTS


def _client(client_id: int) -> Client:
    return get_client_for_staff(_actor(), client_id, P)


def _document(document_id: int) -> Document:
    return get_document_for(_actor(), document_id)


@bp.get("/clients/<int:client_id>/documents")
@requires(P)
def client_documents(client_id: int):
    """The client's documents, newest first, paged."""
    client = _client(client_id)
    page = documents_page(client, request.args.get("page", 1, type=int))
    from portal_app.kiosk.handoffs import open_handoffs

    return audited_page("staff/documents/list.html", lambda: record_client_view(_actor(), client, page=request.endpoint),
                        client=client, documents=page,
                        handoffs=open_handoffs(client) if can(_actor(), Permission.STAFF_KIOSK, client) else [])


@bp.route("/clients/<int:client_id>/documents/new", methods=["GET", "POST"])
@requires(P)
def document_start(client_id: int):
    """Start a document: choose one of the agency's published forms (its current version is kept)."""
    client = _client(client_id)
    form = DocumentStartForm(workflow.offered_templates(_actor()))
    if form.validate_on_submit():
        try:
            with savepoint():
                document = workflow.start_document(_actor(), client, form.template_id.data)
        except DocumentError as err:
            form.template_id.errors = [str(err)]
        else:
            flash("The document was started.", "success")
            return redirect(url_for("staff.document_fill", document_id=document.id))
    status = 422 if form.is_submitted() else 200
    return audited_page("staff/documents/start.html", lambda: record_client_view(_actor(), client, page=request.endpoint),
                        status, client=client, form=form)


def _detail(document: Document, status: int = 200, **forms):
    """The detail page; a GET is an audited view of the document (S13)."""
    if "email_form" not in forms:
        forms["email_form"] = DocumentEmailForm(emailed.emailable_accesses(document) if document.status in (
            "draft", "waiting_client") else [], formdata=None)
    if "in_person_form" not in forms:
        forms["in_person_form"] = InPersonSignForm(in_person_signers(document), formdata=None)
    forms = {"countersign_form": CountersignForm(), "void_form": VoidForm(), "paper_form": PaperCopyForm(), **forms}
    return audited_page("staff/documents/detail.html", lambda: workflow.record_view(_actor(), document, request.endpoint),
                        status, client=document.client, document=document, version=document.template_version,
                        trail=audit_trail(document), missing=workflow.missing_signers(document),
                        required=workflow.required_signers(document), audit_words=AUDIT_WORDS,
                        email_links=emailed.links_of(document), consents=consent_of_accesses(document.client_id),
                        answer=lambda f: answer_text(f, (document.answers or {}).get(f["key"]), "en"), **forms)


@bp.get("/documents/<int:document_id>")
@requires(P)
def document_detail(document_id: int):
    """Answers, signatures (who, as what, when, how), the document's audit trail and its actions."""
    return _detail(_document(document_id))


STALE_FILL = ("Someone else saved answers to this document after you opened it, so yours were not saved yet. "
              "Your answers are shown below; the page now holds the latest version: check them and save again.")


def _stale(document: Document) -> bool:
    """The fill form was opened on an older version of the document (two staff members editing it at once)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    posted = request.form.get("document_version", type=int)
    return posted is not None and posted != document.version_id


@bp.route("/documents/<int:document_id>/fill", methods=["GET", "POST"])
@requires(P)
def document_fill(document_id: int):
    """Fill the document as staff: Save draft keeps what was typed; Submit checks every answer."""
    document = _document(document_id)
    values, errors, status, conflict = document.answers or {}, {}, 200, None
    if request.method == "POST" and _stale(document):
        values, status, conflict = form_values(document.template_version.fields, request.form), 409, STALE_FILL
    elif request.method == "POST":
        submit, refused = save_posted_answers(_actor(), document)
        if refused is not None:
            values, errors, status = form_values(document.template_version.fields, request.form), refused, 422
        else:
            flash("The answers were submitted." if submit else "The draft was saved.", "success")
            target = "staff.document_detail" if submit else "staff.document_fill"
            return redirect(url_for(target, document_id=document.id))
    elif document.status != "draft":
        return redirect(url_for("staff.document_detail", document_id=document.id))
    return audited_page("staff/documents/fill.html", lambda: workflow.record_view(_actor(), document, request.endpoint),
                        status, client=document.client, document=document, version=document.template_version,
                        values=values, errors=errors, form=ConfirmForm(), conflict=conflict)


@bp.get("/documents/<int:document_id>/pdf-status")
@requires(P)
def document_pdf_status(document_id: int):
    """The PDF panel alone, polled by htmx while the worker seals the document (P5)."""
    document = _document(document_id)
    return render_template("staff/documents/_partials/pdf_panel.html", document=document)


@bp.post("/documents/<int:document_id>/send")
@requires(P)
def document_send(document_id: int):
    """Send to the client's portal: waiting for the client, and a link-only email to their account(s)."""
    document = _document(document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sent = workflow.send_to_portal(_actor(), document)
    flash(f"The document was sent to the client portal ({sent} email{'s' if sent != 1 else ''} queued).", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/email")
@requires(P)
def document_email(document_id: int):
    """Email the document to ONE representative: a signed 7-day link bound to them; the others are not told."""
    document = _document(document_id)
    form = DocumentEmailForm(emailed.emailable_accesses(document))
    if not form.validate_on_submit():
        return _detail(document, 422, email_form=form)
    try:
        with savepoint():
            emailed.email_to_representative(_actor(), document, form.access_id.data)
    except DocumentError as err:
        if err.field is None:
            raise
        place_refusal(err, form)
        return _detail(document, err.status, email_form=form)
    flash("The document was emailed to the person you chose (a link only).", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/countersign")
@requires(P)
def document_countersign(document_id: int):
    """The staff countersignature, by typed name, with the statement of intent."""
    document = _document(document_id)
    form = CountersignForm()
    if not form.validate_on_submit():
        return _detail(document, 422, countersign_form=form)
    try:
        with savepoint():
            workflow.countersign(_actor(), document, form.typed_name.data, ip=request.remote_addr or "",
                                 user_agent=request.user_agent.string or "")
    except DocumentError as err:
        if err.field is None:
            raise
        place_refusal(err, form)
        return _detail(document, err.status, countersign_form=form)
    flash("You countersigned the document.", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/sign-in-person")
@requires(P)
def document_sign_in_person(document_id: int):
    """The client (or a representative) signs at the desk on this screen: method "in person", witnessed."""
    document = _document(document_id)
    form = InPersonSignForm(in_person_signers(document))
    if not form.validate_on_submit():
        return _detail(document, 422, in_person_form=form)
    try:
        with savepoint():
            sign_in_person(_actor(), document, form.signer.data, form.typed_name.data,
                           ip=request.remote_addr or "", user_agent=request.user_agent.string or "")
    except DocumentError as err:
        if err.field is None:
            raise
        place_refusal(err, form)
        return _detail(document, err.status, in_person_form=form)
    flash("The signature was recorded as signed in person.", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/void")
@requires(P)
def document_void(document_id: int):
    """Void with a reason; the document, its answers and signatures stay."""
    document = _document(document_id)
    form = VoidForm()
    if not form.validate_on_submit():
        return _detail(document, 422, void_form=form)
    workflow.void(_actor(), document, form.reason.data)
    flash("The document was voided.", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))


@bp.post("/documents/<int:document_id>/paper")
@requires(P)
def document_paper(document_id: int):
    """Upload the scanned wet-ink copy of a paper-only form; the document is then completed."""
    document = _document(document_id)
    form = PaperCopyForm()
    if not form.validate_on_submit():
        return _detail(document, 422, paper_form=form)
    try:
        with savepoint():
            workflow.attach_paper_copy(_actor(), document, form.scan_bytes())
    except DocumentError as err:
        if err.field is None:
            raise
        place_refusal(err, form)
        return _detail(document, err.status, paper_form=form)
    flash("The scanned copy was uploaded and the document completed.", "success")
    return redirect(url_for("staff.document_detail", document_id=document.id))


@bp.get("/documents/<int:document_id>/pdf")
@requires(P)
def document_pdf(document_id: int):
    """The sealed PDF (or the scanned paper copy), streamed from storage; every download is audited."""
    document = _document(document_id)
    if document.paper_only and document.paper_copy_key:
        key, mimetype = document.paper_copy_key, document.paper_copy_type
        ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(mimetype, "bin")
    elif document.sealed_file is not None:
        key, mimetype, ext = document.sealed_file.storage_key, "application/pdf", "pdf"
    else:
        abort(404)
    workflow.record_download(_actor(), document)
    return send_file(get_storage().open(key), mimetype=mimetype, as_attachment=True,
                     download_name=f"document-{document.id}.{ext}")
