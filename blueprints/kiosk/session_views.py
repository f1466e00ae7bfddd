"""The paired tablet's pages: welcome (polls for a hand-off), birth date, the form, signing, wiping, and a
staff member ending a session with their own sign-in.

Every step is served at /kiosk/ after a POST-redirect (refusals too: the answers are kept as the draft and
checked again on the GET; the sentences of a refused signature wait in the session), from the hand-off's
state on the server: once the tablet wiped itself, going back in its history shows the welcome screen
again, never a client's answers.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from forms.auth import EmailSignInForm
from forms.fields import ConfirmForm
from portal_app.authz import Permission, can, requires
from portal_app.clock import utcnow
from portal_app.documents import workflow
from portal_app.documents.answers import validate_answers
from portal_app.documents.errors import AnswersInvalid, SignatureNameInvalid
from portal_app.kiosk import tablet
from portal_app.kiosk.errors import TABLET_TURNED_OFF, KioskError
from portal_app.timefmt import to_local
from portal_app.transactions import reads_before_writing, writes_on_get

from .._common import audited_page, current_actor, savepoint, sign_in_throttled
from . import bp

P = Permission.KIOSK_FORMS


def kiosk_lang() -> str:
    return "es" if str(get_locale() or "en").startswith("es") else "en"


def _forget_client() -> None:
    """The next person starts in English (the tablet's own default), with nothing left over."""
    for key in ("lang", "kiosk_check", "kiosk_sign_errors"):
        session.pop(key, None)


def _current():
    """This tablet's hand-off in progress; one idle for 3 minutes (the app clock) is wiped first."""
    device = current_actor()
    handoff = tablet.current_handoff(device)
    if handoff is not None and (tablet.is_idle(handoff) or not can(device, P, handoff)):
        tablet.wipe(device, handoff, "idle")
        _forget_client()
        flash(_("The form was closed after 3 minutes without activity. Please ask the front desk."), "info")
        return None
    return handoff


def _screen(template: str, **context):
    waiting = context.get("waiting")
    return render_template(template, initials=tablet.initials(waiting) if waiting else "", **context)


def _step_page(handoff, status: int = 200, **context):
    """The step the client is at: the birth date, the form, or signing (audited views of the document)."""
    if handoff.step == "verify":
        return _screen("kiosk/home.html", waiting=handoff, tries_left=tablet.MAX_DOB_TRIES - handoff.dob_attempts), status
    document = handoff.document
    view = lambda: workflow.record_view(current_actor(), document, f"kiosk.{handoff.step}")
    if handoff.step == "fill":
        errors = {}
        if session.get("kiosk_check"):  # a refused submit: its answers were kept as the draft; say what to fix
            errors = validate_answers(document.template_version.fields, document.answers or {}, kiosk_lang(),
                                      today=to_local(utcnow()).date()).errors
        context = {"values": document.answers or {}, "errors": errors, **context}
        return audited_page("kiosk/fill.html", view, status, document=document, version=document.template_version,
                            lang=kiosk_lang(), **context)
    context = {"typed_name": "", "relationship": "", "errors": session.pop("kiosk_sign_errors", {}), **context}
    return audited_page("kiosk/sign.html", view, status, document=document, lang=kiosk_lang(),
                        may_represent=tablet.may_sign_for(handoff), intent=_(tablet.KIOSK_INTENT), **context)


def _turned_off():
    """The agency switched its Kiosk module off: no form here. A client's form in progress goes back to staff;
    the page looks again every 15 s and the welcome screen comes back once the module is on."""
    device = current_actor()
    handoff = tablet.current_handoff(device)
    if handoff is not None:
        tablet.wipe(device, handoff, "module_off")
        _forget_client()
    return render_template("kiosk/off.html", message=TABLET_TURNED_OFF), 403


@bp.get("/")
@requires(Permission.KIOSK_HOME)
@writes_on_get  # an idle session is wiped here
def home():
    """The welcome screen (no names), or the step of the client using the tablet now; while the agency's
    Kiosk module is off, a notice instead (the tablet stays paired and forgets any client it was showing)."""
    if not can(current_actor(), P):
        return _turned_off()
    handoff = _current()
    if handoff is None:
        return _screen("kiosk/home.html", waiting=tablet.waiting_handoff(current_actor()))
    return _step_page(handoff)


@bp.get("/poll")
@requires(P)
def poll():
    """Polled by the welcome screen every 1.5 s (no session touched): 204, or the hand-off's first screen."""
    waiting = tablet.waiting_handoff(current_actor())
    if waiting is None:
        return "", 204
    return _screen("kiosk/_partials/screen.html", waiting=waiting)


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/verify")
@requires(P)
def verify():
    """The client confirms their date of birth; three wrong tries send the hand-off back to staff."""
    _confirmed()
    _current()
    result = tablet.confirm_birth_date(current_actor(), request.form.get("handoff", type=int),
                                       request.form.get("birth_date", ""))
    if result == "wrong":
        flash(_("That date of birth does not match. Please try again."), "error")
    elif result == "locked":
        flash(_("That date of birth does not match. Please ask the front desk for help."), "error")
    elif result == "gone":
        flash(_("This form is no longer waiting here. Please ask the front desk."), "info")
    return redirect(url_for("kiosk.home"))


@bp.post("/answers")
@requires(P)
def answers():
    """The form's answers, checked as everywhere else; then signing."""
    _confirmed()
    handoff = _current()
    if handoff is None or handoff.step != "fill":
        return redirect(url_for("kiosk.home"))
    try:
        with savepoint():
            tablet.save_answers(current_actor(), handoff, request.form, lang=kiosk_lang(),
                                today=to_local(utcnow()).date())
    except AnswersInvalid:
        with savepoint():
            workflow.save_answers(current_actor(), handoff.document, request.form, submit=False, lang=kiosk_lang())
        tablet.touch(current_actor(), handoff)
        session["kiosk_check"] = True
        return redirect(url_for("kiosk.home"))
    session.pop("kiosk_check", None)
    if handoff.status == "completed":
        _forget_client()
        flash(_("Thank you, you are done. Please return the tablet to the front desk."), "success")
    return redirect(url_for("kiosk.home"))


@bp.post("/sign")
@requires(P)
def sign():
    """Sign by typed name (the client, or a representative present with their capacity); then done."""
    _confirmed()
    handoff = _current()
    if handoff is None or handoff.step != "sign":
        return redirect(url_for("kiosk.home"))
    form = request.form
    typed, relationship = form.get("typed_name", ""), form.get("relationship", "")
    errors = {}
    if form.get("intent") != "yes":
        errors["intent"] = _("Tick the box to show you mean to sign.")
    else:
        try:
            with savepoint():
                tablet.sign(current_actor(), handoff, typed, representative=form.get("signer") == "representative",
                            relationship=relationship, ip=request.remote_addr or "",
                            user_agent=request.user_agent.string or "")
        except SignatureNameInvalid:
            errors["typed_name"] = _("Type your full name (at most 120 characters).")
        except KioskError as err:
            errors[err.field or "typed_name"] = _(str(err))
    if errors:
        tablet.touch(current_actor(), handoff)
        session["kiosk_sign_errors"] = errors
        return redirect(url_for("kiosk.home"))
    _forget_client()
    flash(_("Thank you, you are done. Please return the tablet to the front desk."), "success")
    return redirect(url_for("kiosk.home"))


@bp.post("/activity")
@requires(P)
def activity():
    """The client is typing (htmx, at most every 30 s): the 3-minute idle clock starts again."""
    handoff = _current()
    if handoff is not None:
        tablet.touch(current_actor(), handoff)
    return "", 204


@bp.post("/wipe")
@requires(P)
def wipe():
    """"Stop and clear" (or the idle timer): the tablet forgets the client; staff can send it again."""
    _confirmed()
    handoff = tablet.current_handoff(current_actor())
    if handoff is not None:
        tablet.wipe(current_actor(), handoff, "idle" if request.form.get("reason") == "idle" else "client")
    _forget_client()
    return redirect(url_for("kiosk.home"))


@bp.route("/staff", methods=["GET", "POST"])
@requires(P)
@sign_in_throttled
@reads_before_writing  # the password is checked before the write lock is taken
def staff_end():
    """A staff member ends the session on this tablet with their own email and password (never a shared PIN)."""
    from portal_app.accounts.services import (
        AgencyDisabled,
        InvalidCredentials,
        authenticate,
    )

    device = current_actor()
    if tablet.current_handoff(device) is None:
        return redirect(url_for("kiosk.home"))
    form, error, status = EmailSignInForm(), None, 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, site="staff")
            handoff = tablet.current_handoff(device)
            if handoff is not None:
                tablet.end_by_staff(device, handoff, user)
        except (InvalidCredentials, AgencyDisabled, KioskError):
            error, status = _("That email and password do not match an active staff account of this agency."), 401
        else:
            _forget_client()
            flash(_("The session was ended. The form is back with staff."), "success")
            return redirect(url_for("kiosk.home"))
    elif form.is_submitted():
        status = 422
    return render_template("kiosk/staff_end.html", form=form, error=error), status
