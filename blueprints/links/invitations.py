"""The landing page of an emailed portal invitation: the token is exchanged for a hand-off (S5)."""
from __future__ import annotations

from flask import redirect, render_template, url_for

from portal_app.authz import public
from portal_app.i18n import remember_language
from portal_app.portal_access import errors, invitations
from portal_app.tokens import set_handoff

from . import bp

REGISTER_HANDOFF_AGE = 1800  # half an hour to choose a username and password

def invitation_problem(err: errors.InvitationProblem):
    """A page that says what to do next and nothing about the client (also used by /portal/register)."""
    return render_template("links/invitation_problem.html", kind=err.kind, message=str(err)), err.status


@bp.get("/invite/<token>")
@public
def invitation(token: str):
    """Open an invitation link: on to /portal/register (no token in the address), or say why not."""
    try:
        found = invitations.redeem(token)
    except errors.InvitationProblem as err:
        return invitation_problem(err)
    remember_language(found.client.preferred_language)  # the invitation email's language (services._send)
    resp = redirect(url_for("portal.register"))
    return set_handoff(resp, "register", {"i": found.id, "n": found.nonce}, path="/portal",
                       max_age=REGISTER_HANDOFF_AGE)
