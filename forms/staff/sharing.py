"""Sharing forms: the client plan (Service Providers), Share Client, contacts and their review."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired

from forms.contacts import ContactFormBase, contact_time_field, method_field
from forms.fields import PlainText, VersionedForm, max_length, optional_int, strip_text
from portal_app.accounts.models import Organization
from portal_app.sharing.services import MAX_SHARE_NOTE

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
    # Where the agency requires an active ROI: a supervisor's reason to share without one (audited).
    override_reason = TextAreaField(
        "Override: reason to share without a Release of Information (supervisors)",
        filters=[strip_text],
        validators=[max_length(1000), PlainText(multiline=True)],
    )


class ContactReviewForm(FlaskForm):
    """Mark as Reviewed from a Needs Review row: where to return without JavaScript, which counter to update."""

    next = HiddenField()
    counter = HiddenField()  # "client": the client log's counter; anything else: the home screen's

    def for_client_log(self) -> bool:
        return self.counter.data == "client"


class ContactForm(ContactFormBase):
    """Record Contact: when, how, where, and notes."""

    occurred_at = contact_time_field("Date and time", required=DATETIME_MESSAGE, invalid=DATETIME_MESSAGE,
                                     outside_years=DATETIME_MESSAGE)
    method = method_field("Method", "Choose a method")
    # location and notes: ContactFormBase


class ContactEditForm(ContactForm, VersionedForm):
    """Edit a contact (optimistic locking); staff may tick "Mark as Reviewed?" on a third-party contact."""

    mark_reviewed = BooleanField("Mark as Reviewed?")
