"""Portal releases of information: revoke one (confirm step, reason optional)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from forms.fields import strip_text
from portal_app.plaintext import has_control_characters


def _plain(form, field) -> None:
    if has_control_characters(field.data or "", multiline=True):
        raise ValidationError(_l("Remove the special characters from the text."))


class PortalRoiRevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you revoking it? (optional)"),
        filters=[strip_text],
        validators=[Length(max=1000, message=_l("Use at most 1000 characters.")), _plain],
    )
