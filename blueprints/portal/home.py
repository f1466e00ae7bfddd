"""Portal home, the acting-for switch and the switcher page: every page reads only g.acting.client."""
from flask import abort, g, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal_app.accounts.models import User
from portal_app.authz import Permission, requires
from portal_app.clients.models import CareTeamMember
from portal_app.extensions import db
from portal_app.portal_access import accounts
from portal_app.portal_access.models import ClientAccess, PortalAccount
from portal_app.portal_access.policy import visible_to

from . import bp


def care_team_of(access: ClientAccess) -> list[CareTeamMember]:
    """The acted-for client's care team (enabled staff only), people loaded in the same query."""
    return list(db.session.scalars(
        select(CareTeamMember)
        .join(User, User.id == CareTeamMember.user_id)
        .options(joinedload(CareTeamMember.user))
        .where(CareTeamMember.client_id == access.client_id, User.enabled.is_(True))
        .order_by(CareTeamMember.id)
    ).all())


def others_acting_for(access: ClientAccess) -> list[ClientAccess]:
    """The client's other active accesses this representative may see (hidden ones filtered in SQL)."""
    return list(db.session.scalars(
        select(ClientAccess)
        .join(PortalAccount, PortalAccount.id == ClientAccess.account_id)
        .where(
            ClientAccess.client_id == access.client_id,
            ClientAccess.id != access.id,
            ClientAccess.revoked_at.is_(None),
            PortalAccount.enabled.is_(True),
            visible_to(access, "client_access", ClientAccess.id),
        )
        .order_by(ClientAccess.relationship_kind.desc(), ClientAccess.id)
    ).all())


@bp.get("/", strict_slashes=False)  # "/portal" typed on a phone: the page itself, not a redirect to "/portal/"
@requires(Permission.PORTAL_HOME)
def home():
    """The acted-for client: name, care team and how to reach them, the agency, who else acts for them."""
    access = g.acting
    return render_template(
        "portal/home.html",
        client=access.client,
        agency=access.client.organization,
        care_team=care_team_of(access),
        others=others_acting_for(access),
    )


@bp.get("/switch")
@requires(Permission.PORTAL_HOME)
def switch():
    """Choose whose record to see."""
    return render_template("portal/switch.html")


@bp.post("/acting-for")
@requires(Permission.PORTAL_HOME)
def acting_for():
    """Act for another client of this account; an id outside the account's active accesses is 404."""
    from forms.portal.account import ActingForForm

    form = ActingForForm()
    if not form.validate_on_submit():
        abort(404)
    access = accounts.access_for(current_user, form.client_id.data)
    if access is None:
        abort(404)
    session["acting_for"] = access.client_id
    return redirect(url_for("portal.home"))
