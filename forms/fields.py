"""Small pieces every form uses: filters, length limits with a readable message, plain-text checks."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import Length, NumberRange, ValidationError

from portal_app.plaintext import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from portal_app.routing import DB_INT_MAX


def strip_text(value: Any) -> Any:
    """Filter: surrounding spaces never count."""
    return value.strip() if isinstance(value, str) else value


def db_id(value: Any) -> int:
    """Coerce a submitted id: a whole number the database can hold (1 .. 2**63-1), else ValueError.

    WTForms turns the ValueError into the field's "not a valid choice" message (R4: 4xx, never 500).
    """
    number = int(value)
    if not 1 <= number <= DB_INT_MAX:
        raise ValueError("out of range")
    return number


def optional_int(value: Any) -> int | None:
    """Select values: "" is the placeholder (None); anything else must be an id (see db_id)."""
    if value is None or value == "":
        return None
    return db_id(value)


# For IntegerField ids: a number beyond the database's range is a field error, not a query that fails.
id_range = NumberRange(min=1, max=DB_INT_MAX)


def max_length(maximum: int) -> Length:
    return Length(max=maximum, message=f"Use at most {maximum:,} characters.")


class PlainText:
    """Refuse invisible control characters (a NUL byte would break PostgreSQL too)."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: FlaskForm, field: Any) -> None:
        text = field.data or ""
        if has_control_characters(text, multiline=self.multiline):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE)


class ConfirmForm(FlaskForm):
    """A one-button POST (Remove, Stop sharing, Resend, Cancel, Revoke access): the CSRF token only."""


class VersionedForm(FlaskForm):
    """An edit form that carries the version of the row it was loaded from (R3: a stale save is a 409)."""

    version_id = HiddenField()

    def expected_version(self) -> int | None:
        """The version the browser sent; None when missing or not a number."""
        raw = self.version_id.raw_data
        try:
            return db_id(raw[0]) if raw else None
        except ValueError:
            return None
