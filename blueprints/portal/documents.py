"""Portal documents: the acted-for client's documents to fill in and sign, the completed ones (sealed PDF),
the consent to sign electronically (given once per account, withdrawn in Account settings).

Works without JavaScript: plain forms, server-side drafts, one page per step.
"""
from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forms.fields import ConfirmForm
from portal_app.authz import Permission, can, requires
from portal_app.documents import portal_documents as pd
from portal_app.documents import workflow
from portal_app.documents.answers import form_values
from portal_app.documents.card import card_texts
from portal_app.documents.consent import (
    current_consent,
    give_consent,
    was_withdrawn,
    withdraw_consent,
)
from portal_app.documents.errors import DocumentNotFound, SignatureNameInvalid
from portal_app.errors import Forbidden
from portal_app.storage import get_storage
from portal_app.transactions import writes_on_get

from .._common import audited_page, current_actor, save_posted_answers, savepoint
from . import bp

P = Permission.PORTAL_DOCUMENTS
NAME_ERROR = _l("Type your full name (at most 120 characters).")
DOCUMENT_HANDOFF_AGE = 1800  # as /links/documents/... sets it
REASON_ERROR = _l("Say why you do not want to sign (at most 1000 characters).")


def portal_lang() -> str:
    from flask_babel import get_locale

    return "es" if str(get_locale() or "en").startswith("es") else "en"


def _document(document_id: int):
    """The acted-for client's document, visible to this access; 404 for any other (or a hidden one)."""
    access = g.get("acting")
    document = pd.get_portal_document_for(access, document_id)
    if not can(current_actor(), P, (access, document)):
        raise DocumentNotFound
    return access, document


def _view(document, page: str):
    return lambda: workflow.record_view(current_actor(), document, page)


@bp.get("/documents")
@requires(P)
def documents():
    """Documents waiting for the client, and completed ones with their sealed PDF."""
    access = g.get("acting") or abort(404)
    waiting, completed = pd.portal_documents(access)
    return render_template("portal/documents/list.html", waiting=waiting, completed=completed, lang=portal_lang())


@bp.route("/documents/<int:document_id>", methods=["GET", "POST"])
@requires(P)
def document_fill(document_id: int):
    """The form: "Save and continue later" keeps a draft on the server; Submit checks every answer (422)."""
    access, document = _document(document_id)
    if document.status != "waiting_client":
        return redirect(url_for("portal.document_sign", document_id=document.id))
    values, errors, status = document.answers or {}, {}, 200
    if request.method == "POST":
        submit, refused = save_posted_answers(current_actor(), document, lang=portal_lang())
        if refused is not None:
            values, errors, status = form_values(document.template_version.fields, request.form), refused, 422
        else:
            if submit:
                return redirect(url_for("portal.document_sign", document_id=document.id))
            flash(_("Your answers are saved. You can continue later."), "success")
            return redirect(url_for("portal.document_fill", document_id=document.id))
    return audited_page("portal/documents/fill.html", _view(document, "portal.document_fill"), status,
                        document=document, version=document.template_version, values=values, errors=errors,
                        form=ConfirmForm(), lang=portal_lang())


def _sign_page(access, document, status: int = 200, **context):
    account = current_actor()
    context = {"name_error": None, "reason_error": None, "typed_name": account.full_name, **context}
    return audited_page(
        "portal/documents/sign.html", _view(document, "portal.document_sign"), status, document=document,
        access=access, lang=portal_lang(), form=ConfirmForm(), consent=current_consent(account),
        withdrawn=was_withdrawn(account), may_sign=pd.may_sign(access, document),
        representative=pd.is_representative(access), waiting=pd.needs_client(document),
        card=card_texts(document.template_version, portal_lang()), **context)


@bp.route("/documents/<int:document_id>/sign", methods=["GET", "POST"])
@requires(P)
def document_sign(document_id: int):
    """What the document is, the consent (once per account), then sign by typed name, or decline with a reason."""
    access, document = _document(document_id)
    if request.method == "GET":
        if document.status == "waiting_client":
            return redirect(url_for("portal.document_fill", document_id=document.id))
        return _sign_page(access, document)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not pd.needs_client(document) or document.status != "waiting_signatures":
        return redirect(url_for("portal.document_sign", document_id=document.id))
    action, ip, agent = request.form.get("action"), request.remote_addr or "", request.user_agent.string
    if action == "consent":
        if not was_withdrawn(current_actor()) and not document.paper_only:  # withdrawn: paper from then on
            give_consent(current_actor(), ip)
        return redirect(url_for("portal.document_sign", document_id=document.id))
    if action == "decline":
        reason = request.form.get("reason", "")
        try:
            with savepoint():
                pd.decline(current_actor(), access, document, reason, ip=ip, user_agent=agent)
        except SignatureNameInvalid:
            return _sign_page(access, document, 422, reason_error=str(REASON_ERROR))
        return render_template("portal/documents/done.html", document=document, declined=True, lang=portal_lang())
    typed = request.form.get("typed_name", "")
    if request.form.get("intent") != "yes":
        return _sign_page(access, document, 422, typed_name=typed,
                          intent_error=_("Tick the box to show you mean to sign."))
    try:
        with savepoint():
            pd.sign(current_actor(), access, document, typed, ip=ip, user_agent=agent)
    except SignatureNameInvalid:
        return _sign_page(access, document, 422, typed_name=typed, name_error=str(NAME_ERROR))
    except Forbidden:
        return _sign_page(access, document, 403, typed_name=typed)
    return render_template("portal/documents/done.html", document=document, declined=False, lang=portal_lang())


@bp.get("/documents/<int:document_id>/pdf")
@requires(P)
def document_pdf(document_id: int):
    """The sealed PDF of a completed document; every download is audited."""
    _access, document = _document(document_id)
    if document.status != "completed" or document.sealed_file is None:
        abort(404)
    workflow.record_download(current_actor(), document)
    return send_file(get_storage().open(document.sealed_file.storage_key), mimetype="application/pdf",
                     as_attachment=True, download_name=f"document-{document.id}.pdf")


@bp.post("/account/esign-consent/withdraw")
@requires(Permission.PORTAL_ACCOUNT)
def esign_withdraw():
    """Withdraw the consent to sign electronically: documents are then signed on paper."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if withdraw_consent(current_actor()):
        flash(_("You withdrew your consent to sign electronically. The agency will give you paper documents to sign."),
              "success")
    return redirect(url_for("portal.account"))


@bp.post("/account/esign-consent/give")
@requires(Permission.PORTAL_ACCOUNT)
def esign_give():
    """Agree again to sign electronically after withdrawing (a new consent, recorded as such)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    give_consent(current_actor(), request.remote_addr or "")
    flash(_("You agreed again to sign documents electronically."), "success")
    return redirect(url_for("portal.account"))


@bp.get("/documents/from-link")
@requires(P)
@writes_on_get  # the first opening is recorded on the link (shown to staff)
def document_from_link():
    """After an emailed document link (and sign-in): open that document, acting for its client. The link is
    bound to one account: anyone else gets a neutral refusal. The hand-off cookie is cleared either way."""
    from flask import session

    from portal_app.documents.emailed import LinkProblem, handoff_link, open_link
    from portal_app.tokens import clear_handoff, read_handoff

    try:
        link = handoff_link(read_handoff("document", DOCUMENT_HANDOFF_AGE))
    except LinkProblem as err:
        page = render_template("links/document_link_problem.html", kind=err.kind), 410 if err.kind == "expired" else 400
        return clear_handoff(current_app.make_response(page), "document", path="/portal")
    access = open_link(current_actor(), link)
    if access is None:
        page = render_template("links/document_link_problem.html", kind="not_yours"), 403
        return clear_handoff(current_app.make_response(page), "document", path="/portal")
    session["acting_for"] = access.client_id
    resp = redirect(url_for("portal.document_fill", document_id=link.document_id))
    return clear_handoff(resp, "document", path="/portal")
