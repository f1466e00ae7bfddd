"""Registration from an invitation: a new account, or "I already have an account" (the family login)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forms.fields import PlainText, strip_text
from portal_app.portal_access.models import MAX_FULL_NAME
from portal_app.passwords import MAX_PASSWORD

MIN_PASSWORD = 8  # S1 for portal accounts; the service checks it again




class RegistrationForm(FlaskForm):
    """Your name, a username (never changes), password twice, email for notifications."""

    full_name = StringField(
        _l("Your full name"), filters=[strip_text],
        validators=[DataRequired(message=_l("Enter your full name (at most 120 characters).")),
                    Length(max=MAX_FULL_NAME, message=_l("Enter your full name (at most 120 characters).")), PlainText()],
    )

    username = StringField(
        _l("Username"), filters=[strip_text],
        validators=[DataRequired(message=_l("Choose a username.")), Length(max=200, message=_l("Use 3 to 32 letters, numbers, dots, underscores or hyphens, without spaces."))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Choose a password.")),
                    Length(min=MIN_PASSWORD, max=MAX_PASSWORD, message=_l("Use 8 to 128 characters for your password."))],
    )
    confirm_password = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords do not match."))],
    )
    email = EmailField(
        _l("Email for notifications"), filters=[strip_text],
        validators=[DataRequired(message=_l("Enter your email address.")),
                    Length(max=254, message=_l("Enter a valid email address, like name@example.org."))],
    )


class ExistingAccountForm(FlaskForm):
    """Sign in with an account the person already holds, to add this client to it."""

    username = StringField(
        _l("Username"), filters=[strip_text],
        validators=[DataRequired(message=_l("Enter your username.")), Length(max=200)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_PASSWORD)],
    )
