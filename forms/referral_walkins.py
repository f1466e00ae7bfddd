"""The walk-in form (Inbound Referrals): a person who came to the program themselves."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, Regexp

from forms.fields import PlainText, max_length, optional_int, strip_text
from portal_app.programs.models import LANGUAGES
from portal_app.referrals.statuses import BEST_WAYS


class WalkInForm(FlaskForm):
    """Name, phone or email, best way to reach, comment; the program among those the person claims for."""

    program_id = SelectField("Program", coerce=optional_int, validate_choice=True,
                             validators=[DataRequired("Choose the program.")])
    contact_name = StringField("Name", filters=[strip_text],
                               validators=[DataRequired("Enter the person's name."), max_length(200), PlainText()])
    contact_phone = StringField("Phone", filters=[strip_text], validators=[max_length(40), PlainText()])
    contact_email = EmailField("Email", filters=[strip_text], validators=[Optional(), max_length(254), Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter a valid email address, like name@example.org.")])
    contact_language = SelectField("Preferred language", default="en",
                                   choices=[SelectChoice(k, v) for k, v in LANGUAGES.items()])
    best_way = SelectField("Best way to reach", default="phone",
                           choices=[SelectChoice(k, v) for k, v in BEST_WAYS.items()])
    comment = TextAreaField("Comment", filters=[strip_text], validators=[max_length(2000), PlainText(True)])

    def walk_in_data(self) -> dict:
        return {name: self[name].data or "" for name in ("contact_name", "contact_phone", "contact_email",
                                                         "contact_language", "best_way", "comment")}
