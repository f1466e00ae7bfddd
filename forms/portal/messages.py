"""Portal message forms: a reply, and a new message to a care-team member."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forms.fields import db_id
from portal_app.messaging.portal_services import MAX_SUBJECT

MAX_TEXT = 10_000  # characters a person types; the stored HTML stays under sanitize.MAX_BODY


def _body(label):
    return TextAreaField(label, validators=[
        DataRequired(message=_l("Write a message before sending.")),
        Length(max=MAX_TEXT, message=_l("Use at most %(max)d characters.", max=MAX_TEXT)),
    ])


class MessageReplyForm(FlaskForm):
    body = _body(_l("Your reply"))


class MessageStartForm(FlaskForm):
    # The choices are the contactable care-team members; the service refuses anyone else (a forged or
    # stale choice), so the form does not check membership itself.
    staff_id = SelectField(_l("To"), coerce=db_id, validate_choice=False,
                           validators=[DataRequired(message=_l("Choose who to write to."))])
    subject = StringField(_l("Subject"), validators=[
        DataRequired(message=_l("Write a subject.")),
        Length(max=MAX_SUBJECT, message=_l("Use at most %(max)d characters.", max=MAX_SUBJECT)),
    ])
    body = _body(_l("Message"))
