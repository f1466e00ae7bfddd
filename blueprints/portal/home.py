"""Portal home, the acting-for switch and the switcher page: every page reads only g.acting.client."""
from flask import abort, g, redirect, render_template, session, url_for
from flask_login import current_user

from portal_app.authz import Permission, requires
from portal_app.portal_access import queries

from . import bp


@bp.get("/", strict_slashes=False)  # "/portal" typed on a phone: the page itself, not a redirect to "/portal/"
@requires(Permission.PORTAL_HOME)
def home():
    """The acted-for client: name, care team and how to reach them, the agency, who else acts for them."""
    from forms.fields import ConfirmForm
    from portal_app.appointments.portal import upcoming_for
    from portal_app.clock import utcnow
    from portal_app.documents.portal_documents import portal_documents

    from .documents import portal_lang

    access = g.acting
    return render_template(
        "portal/home.html", waiting=portal_documents(access)[0], lang=portal_lang(),
        upcoming=upcoming_for(access, utcnow(), limit=3), form=ConfirmForm(),
        client=access.client,
        agency=access.client.organization,
        care_team=queries.care_team_of(access),
        others=queries.others_acting_for(access),
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
    access = queries.access_for(current_user, form.client_id.data)
    if access is None:
        abort(404)
    session["acting_for"] = access.client_id
    return redirect(url_for("portal.home"))
