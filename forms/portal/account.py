"""Portal account forms: settings, own password change, the acting-for switch."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, RadioField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from forms.fields import id_range

from .auth import new_password_fields


class AccountSettingsForm(FlaskForm):
    email = EmailField(
        _l("Email for notifications"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("Use at most 254 characters.")),
            # Shape only: the address is for notices and a mistyped one only stops them (no DNS look-up).
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address like name@example.com.")),
        ],
    )
    language = RadioField(
        _l("Language"),
        choices=[SelectChoice("en", "English"), SelectChoice("es", "Español")],
        validators=[InputRequired(message=_l("Choose a language."))],
    )


class PortalPasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))]
    )
    new_password, confirm_password = new_password_fields()


class ActingForForm(FlaskForm):
    client_id = IntegerField(validators=[InputRequired(), id_range])
