"""Messaging forms: the composer (new conversation, response, mass send) and My Info's contact switch."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from forms.fields import PlainText, db_id, strip_text
from portal_app.messaging.sanitize import MAX_BODY, to_safe_html
from portal_app.portal_access.models import ClientAccess
from portal_app.portal_access.naming import access_person


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __iter__(self):
        """Each checkbox also takes its own choice's attributes (e.g. disabled)."""
        for option in super().__iter__():
            option.render_kw = {**(option.render_kw or {}), **(option.choice.render_kw or {})}
            yield option


class MessageBodyForm(FlaskForm):
    """The body of a message: the visible textarea (no JavaScript), or the toolbar's HTML (`rich=1`)."""

    body = TextAreaField("Message", validators=[Length(max=MAX_BODY, message=f"Use at most {MAX_BODY:,} characters."),
                                                PlainText(multiline=True)])
    body_html = HiddenField(validators=[Length(max=MAX_BODY * 2, message="This message is too long."),
                                        PlainText(multiline=True)])
    rich = HiddenField()

    def message_html(self) -> str:
        """The body to store: rich HTML through the allowlist, or plain text as paragraphs (S9)."""
        if self.rich.data == "1" and (self.body_html.data or "").strip():
            return to_safe_html(self.body_html.data, rich=True)
        return to_safe_html(self.body.data or "", rich=False)


class MessageReplyForm(MessageBodyForm):
    """Send Response in a conversation."""


class _SubjectMixin(FlaskForm):
    subject = StringField("Subject", filters=[strip_text], validators=[
        DataRequired("Enter a subject."), Length(max=200, message="Use at most 200 characters."), PlainText()])


class MessageComposeForm(_SubjectMixin, MessageBodyForm):
    """Create a Message: subject, audience (everyone acting for the client, or chosen people), body."""

    audience = RadioField("Send to", choices=[SelectChoice("all", "Everyone who can act for this client"),
                                              SelectChoice("chosen", "Only the people I choose")], default="all",
                          validate_choice=False)
    account_ids = CheckboxListField("People", coerce=db_id, validate_choice=False)

    def __init__(self, *args: Any, accesses: list[ClientAccess], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account_ids.choices = [
            SelectChoice(str(a.account_id), access_person(a))
            for a in accesses
        ]

    def chosen_accounts(self) -> list[int] | None:
        """None: every account of the client; otherwise the ticked ones (the service checks them)."""
        return None if self.audience.data != "chosen" else list(self.account_ids.data or [])


class MassSendForm(_SubjectMixin, MessageBodyForm):
    """Mass sending: the ticked clients (or every one listed), subject and body."""

    client_ids = CheckboxListField("Clients", coerce=db_id, validate_choice=False)
    select_all = BooleanField("Select all shown")
    q = HiddenField()
    portal_only = HiddenField()

    def __init__(self, *args: Any, clients: list[tuple[Any, bool]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A client without portal access is listed (so staff see why) but cannot be ticked.
        self.client_ids.choices = [
            SelectChoice(str(c.id), c.display_name, render_kw={})
            if has_access else
            SelectChoice(str(c.id), f"{c.display_name} (no portal access)", render_kw={"disabled": True})
            for c, has_access in clients or []
        ]

    def chosen_clients(self) -> list[int]:
        if self.select_all.data:
            return [int(choice.value) for choice in self.client_ids.choices if not choice.render_kw]
        return list(self.client_ids.data or [])


class ClientContactForm(FlaskForm):
    """My Info: Allow Client Initiated Contact."""

    allow = BooleanField("Allow Client Initiated Contact")
