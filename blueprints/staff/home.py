"""The staff home: where the day starts — Needs Review, unread portal messages, my caseload.

The view gathers every panel itself (no template reaches for data while it renders); each panel is
bounded (a first page, or the newest few with a link to the rest), so the page costs the same number of
queries whatever the size of the agency (P3).
"""
from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal_app.accounts.models import User
from portal_app.authz import Permission, can, requires
from portal_app.messaging import queries as messaging
from portal_app.sharing import queries as sharing
from portal_app.sharing import review_queries as review

from . import bp

NEEDS_REVIEW_ON_HOME = 10  # the newest, as the other panels; the counter and "See all" lead to the rest
UNREAD_ON_HOME = 10  # the newest; "See all in the Inbox" for the rest
CASELOAD_PER_PAGE = 10


def home_panels(actor: User, caseload_page: Any = 1) -> dict[str, Any]:
    """The panels the actor may see, each None when their role or modules leave it out."""
    panels: dict[str, Any] = {"needs_review": None, "unread": None, "caseload": None}
    if can(actor, Permission.STAFF_CONTACTS):
        contacts, count = review.needs_review_page(actor, NEEDS_REVIEW_ON_HOME)
        panels["needs_review"] = {"contacts": contacts, "count": count, "limit": NEEDS_REVIEW_ON_HOME}
    if can(actor, Permission.STAFF_MESSAGING):
        panels["unread"] = messaging.unread_from_portal(actor, UNREAD_ON_HOME)
    if can(actor, Permission.STAFF_CLIENTS):
        panels["caseload"] = sharing.caseload_last_contact(actor, caseload_page, CASELOAD_PER_PAGE)
    return panels


@bp.get("/")
@requires(Permission.STAFF_HOME)
def home():
    """The staff home screen; a deployment operator's home is the Operator area."""
    actor = current_user._get_current_object()
    if actor.is_operator:
        return redirect(url_for("staff.operator_agencies"))
    return render_template("staff/home.html", **home_panels(actor, request.args.get("page")))
