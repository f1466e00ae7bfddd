"""Release of Information history: revoke an ROI on the client's written request."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from forms.fields import PlainText, max_length, strip_text


class RoiRevokeForm(FlaskForm):
    """Revoke: the reason given in the client's written request (kept with the ROI, audited)."""

    reason = TextAreaField(
        "Reason (from the client's written request)",
        filters=[strip_text],
        validators=[DataRequired(message="Write the reason given in the client's written request."),
                    Length(min=3, message="Write at least 3 characters."), max_length(1000),
                    PlainText(multiline=True)],
    )
