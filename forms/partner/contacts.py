"""Partner site: record and edit a contact with a shared client (the fields: forms/contacts.py)."""
from __future__ import annotations

from typing import Any

from forms.contacts import ContactFormBase, contact_time_field, method_field
from forms.fields import VersionedForm
from portal_app.timefmt import local_input_value


class ContactForm(ContactFormBase):
    """Record a contact: when, how, where, and what happened."""

    occurred_at = contact_time_field("Date and time", required="Enter the date and time of the contact.",
                                     invalid="Enter a real date and time, for example 2026-03-15 14:30.")
    method = method_field("How you were in contact", "Choose how you were in contact")
    # location and notes: ContactFormBase

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

