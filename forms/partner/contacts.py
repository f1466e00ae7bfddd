"""Partner site: record and edit a contact with a shared client.

Date and time come from <input type="datetime-local">: a naive wall-clock time, read in the
agency's time zone (portal_app.timefmt, config TIME_ZONE) and handed to the service as UTC.
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, ValidationError

from forms.fields import PlainText, VersionedForm, max_length, strip_text
from portal_app.sharing.models import ContactMethod
from portal_app.sharing.services import MAX_NOTES
from portal_app.timefmt import local_input_value, to_utc

# The browser sends "2026-03-15T14:30" (some add seconds); the first format is what we render.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
METHOD_CHOICES = [SelectChoice("", "Choose how you were in contact")] + [
    SelectChoice(m.value, m.label) for m in ContactMethod
]
METHOD_MESSAGE = "Choose how the contact happened."








def convertible_to_utc(form: FlaskForm, field: Any) -> None:
    """Years at the very edge of the calendar cannot be moved to UTC; say what we accept instead."""
    if field.data is None:
        return
    try:
        to_utc(field.data)
    except OverflowError as err:
        if field.data.year < 2000:
            raise ValidationError("Enter a date after 1 January 2000.") from err
        raise ValidationError("The contact cannot be in the future.") from err


class ContactForm(FlaskForm):
    """Record a contact: when, how, where, and what happened."""

    occurred_at = DateTimeLocalField(
        "Date and time",
        format=DATETIME_FORMATS,
        validators=[InputRequired("Enter the date and time of the contact."), convertible_to_utc],
        invalid_value_message="Enter a real date and time, for example 2026-03-15 14:30.",
    )
    method = SelectField(
        "How you were in contact",
        choices=METHOD_CHOICES,
        validators=[InputRequired(METHOD_MESSAGE)],
        invalid_choice_message=METHOD_MESSAGE,
    )
    location = StringField(
        "Location", filters=[strip_text], validators=[max_length(200), PlainText()]
    )
    notes = TextAreaField(
        "Notes",
        filters=[strip_text],
        validators=[DataRequired("Enter notes about the contact."), max_length(MAX_NOTES), PlainText(multiline=True)],
    )

    def contact_data(self) -> dict[str, Any]:
        """The keyword arguments of record_contact / update_contact (the time in UTC)."""
        return {
            "occurred_at": to_utc(self.occurred_at.data),
            "method": self.method.data,
            "location": self.location.data or "",
            "notes": self.notes.data or "",
        }

    @staticmethod
    def initial(contact: Any) -> dict[str, Any]:
        """The form's values for a stored contact: its time as the local wall clock showed it."""
        return {
            "occurred_at": local_input_value(contact.occurred_at),
            "method": contact.method,
            "location": contact.location,
            "notes": contact.notes,
            "version_id": contact.version_id,
        }


class ContactEditForm(ContactForm, VersionedForm):
    """Edit a contact; carries the version it was loaded from (R3: a stale save answers 409)."""

