"""The landing page of a document emailed to one representative: the token is exchanged for a hand-off (S5)."""
from __future__ import annotations

from flask import redirect, render_template, url_for

from portal_app.authz import public
from portal_app.documents.emailed import LinkProblem, read_link
from portal_app.i18n import remember_language
from portal_app.tokens import set_handoff

from . import bp

DOCUMENT_HANDOFF_AGE = 1800  # half an hour to sign in after opening the link
STATUS = {"expired": 410, "other_document": 400, "invalid": 400}


def document_link_problem(kind: str):
    """Why an emailed document link cannot be used, and what to do; nothing about the client or document."""
    return render_template("links/document_link_problem.html", kind=kind), STATUS.get(kind, 400)


@bp.get("/documents/<int:document_id>/<token>")
@public
def document_link(document_id: int, token: str):
    """Open an emailed document link: on to the portal (no token in the address), or say why not."""
    try:
        link = read_link(document_id, token)
    except LinkProblem as err:
        return document_link_problem(err.kind)
    remember_language(link.access.account.language)  # the email's language
    resp = redirect(url_for("portal.document_from_link"))
    return set_handoff(resp, "document", {"l": link.id, "n": link.nonce}, path="/portal",
                       max_age=DOCUMENT_HANDOFF_AGE)
