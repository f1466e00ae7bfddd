"""Portal releases of information: the acted-for client's ROIs (who may receive what, until when, status) and
revoking an active one (a confirm page, reason optional). Works without JavaScript."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from forms.portal.roi import PortalRoiRevokeForm
from portal_app.authz import Permission, can, requires
from portal_app.roi import queries, services
from portal_app.roi.models import RoiStatus
from portal_app.roi.policy import may_revoke_on_portal

from .._common import current_actor, savepoint
from . import bp
from .documents import portal_lang

P = Permission.PORTAL_ROI
REVOCABLE = (RoiStatus.ACTIVE, RoiStatus.NOT_YET)


def _access():
    access = g.get("acting")
    if access is None or not can(current_actor(), P, access):
        abort(404)
    return access


@bp.get("/roi")
@requires(P)
def rois():
    """The acted-for client's releases of information, newest first."""
    access = _access()
    services.record_history_view(current_actor(), access.client, "portal.rois")
    return render_template("portal/roi/list.html", rois=queries.portal_rois(access), today=queries.agency_today(),
                           lang=portal_lang(), may_revoke=may_revoke_on_portal(access))


@bp.route("/roi/<int:roi_id>/revoke", methods=["GET", "POST"])
@requires(P)
def roi_revoke(roi_id: int):
    """Confirm, then revoke: the release ends now and the agency is told."""
    access = _access()
    roi = queries.get_portal_roi_for(access, roi_id)
    if not can(current_actor(), P, (access, roi)):
        abort(404)
    if not may_revoke_on_portal(access) or roi.status(queries.agency_today()) not in REVOCABLE:
        return redirect(url_for("portal.rois"))
    form = PortalRoiRevokeForm()
    status = 200
    if form.validate_on_submit():
        try:
            with savepoint():
                services.revoke_roi(current_actor(), roi, form.reason.data or "", access=access)
        except services.RoiError as err:
            form.reason.errors = [_("This release of information is no longer active, so it cannot be revoked.")
                                  if isinstance(err, services.RoiNotRevocable) else _("Use at most 1000 characters.")]
            status = err.status
        else:
            flash(_("You revoked this release of information. The agency has been told."), "success")
            return redirect(url_for("portal.rois"))
    elif form.is_submitted():
        status = 422
    return render_template("portal/roi/revoke.html", roi=roi, form=form, lang=portal_lang(),
                           today=queries.agency_today()), status
