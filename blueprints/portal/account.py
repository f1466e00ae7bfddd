"""Portal account settings: email for notifications, language, password."""
from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal_app.authz import Permission, requires
from portal_app.i18n import choose_language
from portal_app.portal_access import accounts

from .._common import begin_session, savepoint
from . import bp


@bp.route("/account", methods=["GET", "POST"])
@requires(Permission.PORTAL_ACCOUNT)
def account():
    """Email for notifications and language; a link to change the password."""
    from forms.portal.account import AccountSettingsForm

    form = AccountSettingsForm(obj=current_user)
    if form.validate_on_submit():
        accounts.update_settings(current_user, form.email.data, form.language.data)
        choose_language(form.language.data)  # the pages of emailed links follow it too
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("portal.account"))
    from portal_app.documents.consent import latest_consent

    consent = latest_consent(current_user)
    return render_template("portal/account/settings.html", form=form, esign_consent=consent), (
        422 if form.is_submitted() else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Permission.PORTAL_ACCOUNT)
def account_password():
    """Change the password: the current one first; every other session ends, this one stays."""
    from forms.portal.account import PortalPasswordChangeForm

    form = PortalPasswordChangeForm()
    if form.validate_on_submit():
        try:
            with savepoint():
                accounts.change_password(current_user, form.current_password.data, form.new_password.data)
        except accounts.PasswordPolicyError:
            form.new_password.errors.append(_("Use between 8 and 128 characters."))
        except accounts.InvalidCredentials:
            form.current_password.errors.append(_("The current password is not right."))
        else:
            acting = session.get("acting_for")
            begin_session(current_user._get_current_object())
            if acting is not None:
                session["acting_for"] = acting
            flash(_("Your password was changed. You were signed out everywhere else."), "success")
            return redirect(url_for("portal.account"))
    return render_template("portal/account/password.html", form=form), 422 if form.is_submitted() else 200

