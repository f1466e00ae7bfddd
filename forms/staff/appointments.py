"""Appointments (book, move, details, cancel, status, a form at home) and staff availability (weekly hours,
exceptions). Times are typed in the agency's time zone and handed to the services as UTC."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from forms.contacts import ContactTime, ContactTimeField
from forms.fields import PlainText, max_length, optional_int, strip_text
from portal_app.appointments.availability import WEEKDAYS, parse_ranges
from portal_app.appointments.errors import HoursInvalid
from portal_app.appointments.models import MODE_LABELS
from portal_app.appointments.services import (
    MAX_MINUTES,
    MAX_NOTES,
    MAX_PLACE,
    MAX_REASON,
    MIN_MINUTES,
)
from portal_app.timefmt import to_utc

MODES = [SelectChoice(value, label) for value, label in MODE_LABELS.items()]
STAFF_MESSAGE = "Choose the staff member."


def _staff_field() -> SelectField:
    return SelectField("Staff member", coerce=optional_int, validators=[DataRequired(STAFF_MESSAGE)],
                       invalid_choice_message=STAFF_MESSAGE, invalid_value_message=STAFF_MESSAGE)


def _start_field() -> ContactTimeField:
    return ContactTimeField("Starts at", invalid_message="Enter the date and time, such as 2026-12-01 10:30.",
                            validators=[InputRequired("Enter when the appointment starts."),
                                        ContactTime("Enter a year between 1900 and 2999.")])


def _minutes_field() -> IntegerField:
    message = f"Enter the length in minutes, from {MIN_MINUTES} to {MAX_MINUTES}."
    return IntegerField("Length (minutes)", default=60,
                        validators=[InputRequired(message), NumberRange(MIN_MINUTES, MAX_MINUTES, message)])


LOCATION_MESSAGE = "Choose one of your agency's locations."


def _location_field() -> SelectField:
    return SelectField("Location (in person)", coerce=optional_int, validate_choice=True,
                       invalid_choice_message=LOCATION_MESSAGE, invalid_value_message=LOCATION_MESSAGE,
                       description="Where the client comes (its address is shown on the portal); the kiosk "
                                   "there shows the forms still to sign at check-in.")


def _location_choices(field: SelectField, locations: list) -> None:
    field.choices = [SelectChoice("", "No location")] + [SelectChoice(str(loc.id), loc.name) for loc in locations]


class _StaffChoice(FlaskForm):
    def __init__(self, staff: list, *args: Any, locations: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_id.choices = [SelectChoice("", "Choose a staff member")] + [
            SelectChoice(str(p.id), p.display_name) for p in staff]
        if "location_id" in self:
            _location_choices(self.location_id, locations or [])

    def starts_at_utc(self) -> datetime:
        return to_utc(self.starts_at.data)


class AppointmentBookForm(_StaffChoice):
    """A new appointment for a client."""

    staff_id = _staff_field()
    starts_at = _start_field()
    minutes = _minutes_field()
    mode = SelectField("How", choices=MODES, default="in_person",
                       invalid_choice_message="Choose in person, video or phone.")
    location_id = _location_field()
    place = StringField("Place (in person)", filters=[strip_text], validators=[max_length(MAX_PLACE), PlainText()])
    notes = TextAreaField("Notes", filters=[strip_text],
                          validators=[max_length(MAX_NOTES), PlainText(multiline=True)])


class AppointmentMoveForm(_StaffChoice):
    """Move (reschedule): another time, length or staff member."""

    staff_id = _staff_field()
    starts_at = _start_field()
    minutes = _minutes_field()
    version_id = HiddenField()


class AppointmentDetailsForm(FlaskForm):
    mode = SelectField("How", choices=MODES,
                       invalid_choice_message="Choose in person, video or phone.")
    location_id = _location_field()
    place = StringField("Place (in person)", filters=[strip_text], validators=[max_length(MAX_PLACE), PlainText()])
    notes = TextAreaField("Notes", filters=[strip_text],
                          validators=[max_length(MAX_NOTES), PlainText(multiline=True)])
    version_id = HiddenField()

    def __init__(self, *args: Any, locations: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _location_choices(self.location_id, locations or [])


class AppointmentCancelForm(FlaskForm):
    reason = TextAreaField("Why is it cancelled?", filters=[strip_text],
                           validators=[DataRequired("Say why the appointment is cancelled."),
                                       max_length(MAX_REASON), PlainText(multiline=True)])


class AppointmentStatusForm(FlaskForm):
    status = SelectField("Mark as", choices=[SelectChoice("confirmed", "Confirmed"),
                                             SelectChoice("completed", "Completed"), SelectChoice("no_show", "No-show")],
                         invalid_choice_message="Choose confirmed, completed or no-show.")


class FormAtHomeForm(FlaskForm):
    """"Have client fill out form at home": one of the agency's portal-fillable forms."""

    template_id = SelectField("Form", coerce=optional_int, validators=[DataRequired("Choose a form.")],
                              invalid_choice_message="Choose one of the forms listed.",
                              invalid_value_message="Choose one of the forms listed.")

    def __init__(self, offered: list, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_id.choices = [SelectChoice("", "Choose a form")] + [
            SelectChoice(str(t.id), t.name) for t, _v in offered]


class _Hours:
    """Field validator: typed ranges ("9:00-12:00, 13:00-17:00") that parse_ranges can read."""

    def __call__(self, form: FlaskForm, field: Any) -> None:
        try:
            field.ranges = parse_ranges(field.data or "", field.name)
        except HoursInvalid as err:
            raise ValidationError(str(err)) from err


HOURS_HINT = "Ranges such as 9:00-12:00, 13:00-17:00 (or 9am-5pm). Leave empty for a day off."


class WeeklyHoursForm(FlaskForm):
    """Seven fields, Monday to Sunday, each the day's ranges."""

    day_0 = StringField(WEEKDAYS[0], filters=[strip_text], validators=[_Hours()])
    day_1 = StringField(WEEKDAYS[1], filters=[strip_text], validators=[_Hours()])
    day_2 = StringField(WEEKDAYS[2], filters=[strip_text], validators=[_Hours()])
    day_3 = StringField(WEEKDAYS[3], filters=[strip_text], validators=[_Hours()])
    day_4 = StringField(WEEKDAYS[4], filters=[strip_text], validators=[_Hours()])
    day_5 = StringField(WEEKDAYS[5], filters=[strip_text], validators=[_Hours()])
    day_6 = StringField(WEEKDAYS[6], filters=[strip_text], validators=[_Hours()])

    def day_fields(self) -> list:
        return [self[f"day_{d}"] for d in range(7)]

    def hours(self) -> dict[int, list]:
        return {d: getattr(self[f"day_{d}"], "ranges", []) for d in range(7)}


class AvailabilityExceptionForm(FlaskForm):
    """Other hours on one date; empty hours: a day off."""

    on_date = DateField("Date", validators=[InputRequired("Enter the date, such as 2026-12-24.")],
                        format="%Y-%m-%d")
    hours = StringField("Hours that day", filters=[strip_text], validators=[_Hours()])
    note = StringField("Note (optional)", filters=[strip_text], validators=[Optional(), max_length(200), PlainText()])

    def validate_on_date(self, field: Any) -> None:
        if field.data is not None and not 2000 <= field.data.year <= 2999:
            raise ValidationError("Enter a date between the years 2000 and 2999.")


class ExceptionRemoveForm(FlaskForm):
    on_date = DateField("Date", validators=[InputRequired("Choose the date.")], format="%Y-%m-%d")
