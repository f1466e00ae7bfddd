"""The kiosk (/kiosk): shared waiting-room tablets, one task at a time.

An unpaired (or revoked) browser reaches the pairing pages only: every other endpoint needs the tablet's
device credential (a cookie for /kiosk, loaded by portal_app/users_loader.py), and without it the
deny-by-default pipeline sends the browser here.
"""
from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from portal_app.authz import public
from portal_app.extensions import limiter
from portal_app.kiosk import devices
from portal_app.transactions import writes_on_get

from .._common import switch_language

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
DEVICE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie; revocable at any time


def set_kiosk_cookie(resp, name: str, value: str, max_age: int) -> None:
    """A /kiosk-only credential: HttpOnly, SameSite=Strict, Secure outside development."""
    resp.set_cookie(name, value, max_age=max_age, path="/kiosk", httponly=True, samesite="Strict",
                    secure=current_app.config["SESSION_COOKIE_SECURE"])


def _paired_response():
    resp = redirect(url_for("kiosk.home"))
    resp.delete_cookie(devices.PAIRING_COOKIE, path="/kiosk")
    return resp


@bp.get("/login")
@public
@writes_on_get  # finishing a claimed pairing stores the tablet's credential
def login():
    """The page of a tablet that is not paired: its pairing code while one is shown, and the way to get one."""
    if current_user.is_authenticated:
        return redirect(url_for("kiosk.home"))
    pairing = devices.pairing_for_browser(request.cookies.get(devices.PAIRING_COOKIE))
    if pairing is not None and pairing.device_id is not None:
        secret = devices.finish_pairing(pairing)
        session.pop("pairing_code", None)
        resp = _paired_response()
        if secret:
            set_kiosk_cookie(resp, devices.DEVICE_COOKIE, secret, DEVICE_MAX_AGE)
        # else a request of this browser a moment ago (two polls answered at once) finished it: its
        # answer carries the cookie, so this one only leads home too.
        return resp
    code = session.get("pairing_code") if pairing is not None else None
    resp = current_app.make_response(render_template("kiosk/login.html", code=code))
    if request.cookies.get(devices.DEVICE_COOKIE):  # revoked or unknown: forget it
        resp.delete_cookie(devices.DEVICE_COOKIE, path="/kiosk")
    return resp


@bp.post("/pair")
@public
@limiter.limit(lambda: current_app.config["KIOSK_PAIRING_RATE_LIMIT"])
def pair():
    """Show a new pairing code on this browser (ten minutes; a few per hour per address)."""
    from forms.fields import ConfirmForm

    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("kiosk.login"))
    code, browser = devices.start_pairing(request.remote_addr or "")
    session["pairing_code"] = code
    resp = redirect(url_for("kiosk.login"))
    set_kiosk_cookie(resp, devices.PAIRING_COOKIE, browser, int(devices.PAIRING_LIFETIME.total_seconds()))
    return resp


@bp.get("/pair/status")
@public
def pair_status():
    """Polled by the pairing page: 204 until an administrator entered the code, then to the tablet's home."""
    pairing = devices.pairing_for_browser(request.cookies.get(devices.PAIRING_COOKIE))
    if pairing is None or pairing.device_id is None:
        return "", 204
    resp = current_app.response_class(status=204)
    resp.headers["HX-Redirect"] = url_for("kiosk.login")
    return resp


@bp.post("/language")
@public
def language():
    """Switch between English and Spanish."""
    return switch_language("kiosk.login")


from . import session_views  # noqa: F401  (the paired tablet's pages)
