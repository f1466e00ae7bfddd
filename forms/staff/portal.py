"""Client Portal Manager forms: invite the client, invite a representative, one-button actions."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from forms.fields import PlainText, db_id, strip_text
from forms.staff.accounts import email_address
from portal_app.portal_access.invitations import MAX_LABEL
from portal_app.portal_access.relationships import OTHER, RELATIONSHIPS


class ClientInviteForm(FlaskForm):
    """Invite the client: the address the invitation goes to."""

    email = EmailField(
        "Email", filters=[strip_text],
        validators=[DataRequired("Enter the email address the invitation goes to."),
                    Length(max=254, message="Use at most 254 characters."), email_address],
    )

    def invitation_data(self) -> dict[str, Any]:
        """The keyword arguments of portal_access.invitations.invite (besides the relationship)."""
        return {"email": self.email.data, "relationship_label": "", "can_sign": False}


RELATIONSHIP_CHOICES = [SelectChoice("", "Choose…"), *(SelectChoice(key, key.capitalize()) for key in RELATIONSHIPS),
                        SelectChoice(OTHER, "Other (type it below)")]


class RepresentativeInviteForm(ClientInviteForm):
    """Invite a representative: email, relationship (a choice the portal translates, or other words), may sign."""

    relationship = SelectField("Relationship", choices=RELATIONSHIP_CHOICES, default="", validate_choice=False)
    relationship_label = StringField(
        "Other relationship", filters=[strip_text],
        validators=[Length(max=MAX_LABEL, message=f"Use at most {MAX_LABEL} characters."), PlainText()],
    )
    can_sign = BooleanField("May sign documents")

    def validate_relationship(self, field: SelectField) -> None:
        choice = field.data or (OTHER if self.relationship_label.data else "")  # typed words alone mean "other"
        if not choice:
            raise ValidationError("Choose the relationship, like mother, father or guardian.")
        if choice != OTHER and choice not in RELATIONSHIPS:
            raise ValidationError("Choose one of the relationships in the list.")
        field.data = choice

    def validate_relationship_label(self, field: StringField) -> None:
        if self.relationship.data == OTHER and not field.data:
            raise ValidationError("Type the relationship, like aunt or neighbour.")

    def invitation_data(self) -> dict[str, Any]:
        choice = self.relationship.data or OTHER
        label = self.relationship_label.data if choice == OTHER else choice
        return {"email": self.email.data, "relationship_label": label, "can_sign": bool(self.can_sign.data)}


class VisibilityForm(FlaskForm):
    """Hide or show one item from one representative."""

    item_type = HiddenField(validators=[DataRequired()])
    item_id = HiddenField(validators=[DataRequired()])

    def item(self) -> tuple[str, int] | None:
        """(item type, item id), or None when the id is not a number."""
        try:
            return self.item_type.data, db_id(self.item_id.data)
        except (TypeError, ValueError):
            return None
