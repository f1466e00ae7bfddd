"""Client record forms: add and edit a client, change the photo.

The rules of each field live once, in portal_app.clients.rules; the form runs them field by field
so every broken rule shows beside its own field.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError

from forms.fields import VersionedForm
from portal_app.clients import rules
from portal_app.clients.errors import InvalidClientField
from portal_app.clients.photos import MAX_PHOTO_BYTES


def rule(clean: Callable[[Any], Any]) -> Callable[[FlaskForm, Any], None]:
    """A WTForms validator that runs one rule of the client record."""

    def check(form: FlaskForm, field: Any) -> None:
        try:
            clean(field.data)
        except InvalidClientField as err:
            raise ValidationError(str(err)) from err

    return check


def _name(label: str, field: str, *, required: bool) -> StringField:
    check = rule(lambda value: rules.clean_name(value, field, required=required, label=label.lower()))
    return StringField(label, validators=[check], render_kw={"required": True} if required else None)


class ClientForm(VersionedForm):
    """Add a client, or edit one (the hidden version catches a concurrent edit: 409)."""

    first_name = _name("First Name", "first_name", required=True)
    middle_name = _name("Middle Name", "middle_name", required=False)
    last_name = _name("Last Name", "last_name", required=True)
    date_of_birth = DateField(
        "Date of Birth",
        validators=[Optional(), rule(rules.clean_date_of_birth)],
        invalid_value_message="Enter the date of birth as a real date, like 1984-03-21.",
    )
    phone = TelField("Phone", validators=[rule(rules.clean_phone)])
    email = EmailField("Email", validators=[rule(rules.clean_email)])
    address = TextAreaField("Address", validators=[rule(rules.clean_address)])
    zip_code = StringField("ZIP Code", validators=[rule(rules.clean_zip_code)])
    preferred_language = SelectField(
        "Preferred Language",
        choices=[SelectChoice(code, label) for code, label in rules.LANGUAGE_LABELS.items()],
        default="en",
        invalid_choice_message="Choose English or Spanish.",
    )
    part2_protected = BooleanField("42 CFR Part 2 protected")

    def client_data(self) -> dict[str, Any]:
        """The keyword arguments of create_client / update_client."""
        data = {
            name: self[name].data or ""
            for name in ("first_name", "middle_name", "last_name", "phone", "email", "address", "zip_code",
                         "preferred_language")
        }
        return {**data, "date_of_birth": self.date_of_birth.data, "part2_protected": bool(self.part2_protected.data)}


class ClientPhotoForm(FlaskForm):
    """Upload or replace a client's photo; the file is judged by its content, not its name (S11)."""

    photo = FileField(
        "Photo",
        validators=[FileRequired("Choose a photo to upload.")],
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )

    def photo_bytes(self) -> bytes:
        """The uploaded bytes, read no further than one byte past the photo limit."""
        return self.photo.data.read(MAX_PHOTO_BYTES + 1)

    def photo_filename(self) -> str:
        return self.photo.data.filename or ""
