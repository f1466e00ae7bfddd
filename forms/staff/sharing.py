"""Sharing forms: the client plan (Service Providers), Share Client, contacts and their review."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, ValidationError

from forms.fields import PlainText, VersionedForm, max_length, optional_int, strip_text
from portal_app.accounts.models import Organization
from portal_app.sharing.models import ContactMethod
from portal_app.sharing.services import MAX_NOTES, MAX_SHARE_NOTE
from portal_app.timefmt import to_utc

EARLIEST_YEAR, LATEST_YEAR = 1900, 2999  # outside these, a typed year is a typo (and near year 9999 unconvertible)
DATETIME_MESSAGE = "Enter the date and time of the contact, like 11/22/2026 2:30 PM."








class OrganizationChoiceForm(FlaskForm):
    """A form whose organization_id select offers exactly the organizations given."""

    organization_id = SelectField(
        "Partner/Service Provider",
        coerce=optional_int,
        validators=[InputRequired("Choose an organization.")],
        invalid_value_message="Choose one of the organizations in the list.",
        invalid_choice_message="Choose one of the organizations in the list.",
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organizations = {org.id: org for org in organizations}
        self.organization_id.choices = [SelectChoice("", "Choose an organization")] + [
            SelectChoice(str(org.id), org.name) for org in organizations
        ]

    def organization(self) -> Organization:
        """The chosen organization (valid only after validate())."""
        return self._organizations[self.organization_id.data]


class ServiceProviderAddForm(OrganizationChoiceForm):
    """Add Service Provider: a partner organization with sharing enabled, and its service."""

    service = StringField(
        "Service",
        filters=[strip_text],
        validators=[DataRequired("Enter the service this organization provides."), max_length(200), PlainText()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.label.text = "Organization"


class ClientShareForm(OrganizationChoiceForm):
    """Share Client: one of the client's service providers and a share note for the partner."""

    note = TextAreaField(
        "Share note",
        filters=[strip_text],
        validators=[max_length(MAX_SHARE_NOTE), PlainText(multiline=True)],
    )


class ConfirmForm(FlaskForm):
    """A one-button POST (Remove, Stop sharing): the CSRF token only."""


class ContactReviewForm(FlaskForm):
    """Mark as Reviewed from a Needs Review row: where to return without JavaScript, which counter to update."""

    next = HiddenField()
    counter = HiddenField()  # "client": the client log's counter; anything else: the home screen's

    def for_client_log(self) -> bool:
        return self.counter.data == "client"


class LocalDateTimeField(DateTimeLocalField):
    """<input type="datetime-local">: a wall-clock time in the agency's zone; blank is left to InputRequired."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
                         invalid_value_message=DATETIME_MESSAGE, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not "".join(valuelist):
            self.data = None  # one message ("Enter ..."), not two
            return
        super().process_formdata(valuelist)


def _sane_year(form: FlaskForm, field: Any) -> None:
    if field.data is not None and not EARLIEST_YEAR <= field.data.year <= LATEST_YEAR:
        raise ValidationError(DATETIME_MESSAGE)


METHOD_CHOICES = [SelectChoice("", "Choose a method")] + [SelectChoice(m.value, m.label) for m in ContactMethod]


class ContactForm(FlaskForm):
    """Record Contact: when, how, where, and notes."""

    occurred_at = LocalDateTimeField(
        "Date and time", validators=[InputRequired(DATETIME_MESSAGE), _sane_year]
    )
    method = SelectField(
        "Method",
        choices=METHOD_CHOICES,
        validators=[InputRequired("Choose how the contact happened.")],
        invalid_choice_message="Choose how the contact happened.",
    )
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


class ContactEditForm(ContactForm, VersionedForm):
    """Edit a contact (optimistic locking); staff may tick "Mark as Reviewed?" on a third-party contact."""

    mark_reviewed = BooleanField("Mark as Reviewed?")
