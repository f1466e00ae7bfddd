"""Portal sign-in, forgotten-password and password-reset forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal_app.passwords import MAX_PASSWORD

PORTAL_MIN_PASSWORD = 8  # S1 for portal accounts; portal_app.portal_access.accounts checks it again


class PortalSignInForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username.")), Length(max=32)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_PASSWORD)]
    )


class PasswordForgotForm(FlaskForm):
    # Named "username" so the per-account sign-in throttle (account_key) counts requests per name too.
    username = StringField(
        _l("Username or email address"),
        validators=[DataRequired(message=_l("Enter your username or your email address.")), Length(max=254)],
    )


def new_password_fields():
    """The new password twice (S1: 8 to 128 characters, no composition rules)."""
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Enter a new password.")),
            Length(min=PORTAL_MIN_PASSWORD, max=MAX_PASSWORD, message=_l("Use between 8 and 128 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two new passwords do not match."))],
    )
    return new, confirm


class PasswordResetForm(FlaskForm):
    new_password, confirm_password = new_password_fields()
