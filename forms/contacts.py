"""The contact form both sites use (staff Record Contact, partner contacts): one base, one date parsing.

Date and time come from <input type="datetime-local">: a naive wall-clock time, read in the
agency's time zone (portal_app.timefmt, config TIME_ZONE) and handed to the service as UTC.
Each site's subclass names the fields in its own words (`contact_time_field`, `method_field`).
"""
from __future__ import annotations

from datetime import datetime
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

from forms.fields import PlainText, max_length, strip_text
from portal_app.sharing.models import ContactMethod
from portal_app.sharing.services import MAX_NOTES
from portal_app.timefmt import to_utc

# The browser sends "2026-03-15T14:30" (some add seconds); the first format is what we render.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999  # outside these, a typed year is a typo (and near year 9999 unconvertible)
METHOD_MESSAGE = "Choose how the contact happened."


class ContactTimeField(DateTimeLocalField):
    """<input type="datetime-local">: a wall-clock time in the agency's zone; blank is left to InputRequired."""

    def __init__(self, label: str, *, invalid_message: str, **kwargs: Any) -> None:
        super().__init__(label, format=DATETIME_FORMATS, invalid_value_message=invalid_message, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not "".join(valuelist):
            self.data = None  # one message ("Enter ..."), not two
            return
        super().process_formdata(valuelist)


class ContactTime:
    """A time the service can take: a typo'd year gets `outside_years` (when given), an unconvertible one a hint."""

    def __init__(self, outside_years: str | None = None) -> None:
        self.outside_years = outside_years

    def __call__(self, form: FlaskForm, field: Any) -> None:
        when: datetime | None = field.data
        if when is None:
            return
        if self.outside_years is not None and not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
            raise ValidationError(self.outside_years)
        try:
            to_utc(when)  # years at the very edge of the calendar cannot be moved to UTC
        except OverflowError as err:
            if when.year < 2000:
                raise ValidationError("Enter a date after 1 January 2000.") from err
            raise ValidationError("The contact cannot be in the future.") from err


def contact_time_field(label: str, *, required: str, invalid: str, outside_years: str | None = None) -> ContactTimeField:
    """The date and time of the contact, in a site's words."""
    return ContactTimeField(label, invalid_message=invalid,
                            validators=[InputRequired(required), ContactTime(outside_years)])


def method_field(label: str, placeholder: str) -> SelectField:
    """How the contact happened, with a site's placeholder choice."""
    choices = [SelectChoice("", placeholder)] + [SelectChoice(m.value, m.label) for m in ContactMethod]
    return SelectField(label, choices=choices, validators=[InputRequired(METHOD_MESSAGE)],
                       invalid_choice_message=METHOD_MESSAGE)


class ContactFormBase(FlaskForm):
    """When (`occurred_at`, set by the site), how (`method`), where, and notes."""

    location = StringField("Location", filters=[strip_text], validators=[max_length(200), PlainText()])
    notes = TextAreaField(
        "Notes",
        filters=[strip_text],
        validators=[DataRequired("Enter notes about the contact."), max_length(MAX_NOTES), PlainText(multiline=True)],
    )

    def contact_data(self) -> dict[str, Any]:
        """The keyword arguments of record_contact / update_contact; the time converted to UTC."""
        when: datetime | None = self.occurred_at.data
        return {
            "occurred_at": to_utc(when) if when is not None else None,
            "method": self.method.data or "",
            "location": self.location.data or "",
            "notes": self.notes.data or "",
        }
