"""Account Administration › Locations and Kiosks: the agency's places, its tablets, pairing and revoking.

With the agency's Kiosk module off, locations stay (appointments use them) and kiosks can still be looked at
and revoked, but adding a kiosk and pairing a tablet are refused (403 with the sentence) and not offered."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from forms.fields import ConfirmForm
from forms.staff.kiosk import KioskCreateForm, LocationForm, PairingCodeForm
from portal_app.authz import Permission, can, requires
from portal_app.kiosk import devices
from portal_app.kiosk.errors import KioskError, KioskModuleOff
from portal_app.kiosk.policy import PAIRING
from portal_app.kiosk.queries import (
    get_kiosk_for,
    get_location_for,
    kiosks_for,
    locations_for,
)

from .._common import current_actor as _actor
from .._common import place_refusal, savepoint
from . import bp

P = Permission.ADMIN_KIOSKS


def _pairing_on() -> bool:
    """Adding a kiosk and pairing a tablet: only while the agency's Kiosk module is on."""
    return can(_actor(), P, PAIRING)


def _page(template: str, form=None, error: str | None = None, **context):
    status = 422 if form is not None and form.is_submitted() else 200
    return render_template(f"staff/kiosk/{template}", form=form, error=error, pairing_on=_pairing_on(),
                           **context), status


@bp.get("/admin/locations")
@requires(P)
def admin_locations():
    """The agency's locations (offices, clinics) where kiosks stand."""
    return render_template("staff/kiosk/locations.html", locations=locations_for(_actor()))


@bp.route("/admin/locations/new", methods=["GET", "POST"])
@requires(P)
def admin_location_new():
    """Add a location: name and address."""
    form = LocationForm()
    if form.validate_on_submit():
        try:
            with savepoint():
                devices.create_location(_actor(), name=form.name.data, address=form.address.data)
        except KioskError as err:
            return _page("location_form.html", form, place_refusal(err, form), location=None)
        flash("The location was added.", "success")
        return redirect(url_for("staff.admin_locations"))
    return _page("location_form.html", form, location=None)


@bp.route("/admin/locations/<int:location_id>", methods=["GET", "POST"])
@requires(P)
def admin_location_edit(location_id: int):
    """Rename a location or change its address."""
    location = get_location_for(_actor(), location_id)
    form = LocationForm(obj=location)
    if form.validate_on_submit():
        try:
            with savepoint():
                devices.update_location(_actor(), location, name=form.name.data, address=form.address.data)
        except KioskError as err:
            return _page("location_form.html", form, place_refusal(err, form), location=location)
        flash("The location was saved.", "success")
        return redirect(url_for("staff.admin_locations"))
    return _page("location_form.html", form, location=location)


@bp.get("/admin/kiosks")
@requires(P)
def admin_kiosks():
    """The agency's kiosks: where each stands, whether it is paired."""
    return render_template("staff/kiosk/kiosks.html", kiosks=kiosks_for(_actor()), pairing_on=_pairing_on())


@bp.route("/admin/kiosks/new", methods=["GET", "POST"])
@requires(P)
def admin_kiosk_new():
    """Add a kiosk at a location; then pair a tablet with it by the code the tablet shows."""
    if not _pairing_on():
        raise KioskModuleOff
    form = KioskCreateForm(locations_for(_actor()))
    if form.validate_on_submit():
        try:
            with savepoint():
                location = get_location_for(_actor(), form.location_id.data)
                device = devices.add_kiosk(_actor(), name=form.name.data, location=location)
        except KioskError as err:
            return _page("kiosk_form.html", form, place_refusal(err, form))
        flash("The kiosk was added. Open /kiosk on the tablet and type the code it shows here.", "success")
        return redirect(url_for("staff.admin_kiosk_detail", kiosk_id=device.id))
    return _page("kiosk_form.html", form)


@bp.route("/admin/kiosks/<int:kiosk_id>", methods=["GET", "POST"])
@requires(P)
def admin_kiosk_detail(kiosk_id: int):
    """A kiosk: pair a tablet with it (type the code the tablet shows), or revoke it."""
    device = get_kiosk_for(_actor(), kiosk_id)
    form = PairingCodeForm()
    if form.is_submitted() and not _pairing_on():
        raise KioskModuleOff
    if form.validate_on_submit():
        try:
            with savepoint():
                devices.claim_pairing(_actor(), device, form.code.data)
        except KioskError as err:
            return _page("kiosk_detail.html", form, place_refusal(err, form), device=device, revoke_form=ConfirmForm())
        flash("The code was accepted: the tablet becomes this kiosk within a few seconds.", "success")
        return redirect(url_for("staff.admin_kiosk_detail", kiosk_id=device.id))
    return _page("kiosk_detail.html", form, device=device, revoke_form=ConfirmForm())


@bp.post("/admin/kiosks/<int:kiosk_id>/revoke")
@requires(P)
def admin_kiosk_revoke(kiosk_id: int):
    """Unpair: the tablet is back at the pairing page at its next request."""
    device = get_kiosk_for(_actor(), kiosk_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    devices.revoke_kiosk(_actor(), device)
    flash("The kiosk was revoked. The tablet must be paired again before it can be used.", "success")
    return redirect(url_for("staff.admin_kiosk_detail", kiosk_id=device.id))
