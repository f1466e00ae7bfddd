"""Client Portal Manager forms: invite the client, invite a representative, one-button actions."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from forms.fields import PlainText, db_id, strip_text
from forms.staff.accounts import email_address
from portal_app.portal_access.invitations import MAX_LABEL


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


class RepresentativeInviteForm(ClientInviteForm):
    """Invite a representative: email, relationship, may sign documents."""

    relationship_label = StringField(
        "Relationship", filters=[strip_text],
        validators=[DataRequired("Enter the relationship, like mother, father or guardian."),
                    Length(max=MAX_LABEL, message=f"Use at most {MAX_LABEL} characters."), PlainText()],
    )
    can_sign = BooleanField("May sign documents")

    def invitation_data(self) -> dict[str, Any]:
        return {"email": self.email.data, "relationship_label": self.relationship_label.data,
                "can_sign": bool(self.can_sign.data)}


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
