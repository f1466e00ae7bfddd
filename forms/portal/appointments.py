"""Portal appointment forms: Ask to reschedule (the client's words to the staff member)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from forms.fields import PlainText
from portal_app.appointments.portal import MAX_MESSAGE


class RescheduleForm(FlaskForm):
    message = TextAreaField(_l("Which days and times suit you?"), validators=[
        DataRequired(message=_l("Write which days and times suit you.")),
        Length(max=MAX_MESSAGE, message=_l("Use at most %(max)d characters.", max=MAX_MESSAGE)),
        PlainText(multiline=True),
    ])
