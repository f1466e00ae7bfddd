"""Referral forms: the Refer (Connect) form, a status change and a note (staff and partner sites)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, Regexp, ValidationError

from forms.fields import PlainText, max_length, strip_text
from portal_app.programs.models import LANGUAGES
from portal_app.referrals.statuses import BEST_WAYS, OUTCOME_LABELS


def _choices(labels: dict[str, str], blank: str | None = None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(value, label) for value, label in labels.items()]


class ReferralSendForm(FlaskForm):
    """The Connect form, pre-filled from the client's profile; the program gets these details."""

    contact_name = StringField("Name", filters=[strip_text],
                               validators=[DataRequired("Enter the person's name."), max_length(200), PlainText()])
    contact_phone = StringField("Phone", filters=[strip_text], validators=[max_length(40), PlainText()])
    contact_email = EmailField("Email", filters=[strip_text], validators=[Optional(), max_length(254), Regexp(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter a valid email address, like name@example.org.")])
    contact_language = SelectField("Preferred language", choices=_choices(LANGUAGES), default="en")
    best_way = SelectField("Best way to reach", choices=_choices(BEST_WAYS), default="phone")
    comment = TextAreaField("Comment for the program", filters=[strip_text],
                            validators=[max_length(2000), PlainText(True)])

    def referral_data(self) -> dict:
        return {name: self[name].data or "" for name in
                ("contact_name", "contact_phone", "contact_email", "contact_language", "best_way", "comment")}


class ReferralStatusForm(FlaskForm):
    """Change the status: the choices are the changes this person may make now (set by the view)."""

    action = SelectField("Change to", choices=[], validate_choice=True)
    outcome = SelectField("Outcome", choices=_choices(OUTCOME_LABELS, "No outcome"), validators=[Optional()])
    reason = TextAreaField("Reason", filters=[strip_text], validators=[max_length(500), PlainText(True)],
                           description="Needed to reject, cancel, hold or mark failed.")


class ReferralNoteForm(FlaskForm):
    body = TextAreaField("Note", filters=[strip_text],
                         validators=[DataRequired("Write the note."), max_length(2000), PlainText(True)])


class GoalChoiceField(SelectField):
    """A goal of the dropdown (the client's open goals, or none); anything else is a sentence, not a 500."""

    def pre_validate(self, form) -> None:
        if self.data not in {str(choice.value) for choice in self.choices}:
            raise ValidationError("Choose one of this client's open goals.")


class ReferralGoalForm(FlaskForm):
    """Add to a Goal: the same dropdown moves the referral to another goal or removes it ("No goal")."""

    goal_id = GoalChoiceField("Add to a Goal", choices=[], coerce=str)
    back = HiddenField(default="detail")  # "tab": the client's Referrals tab posted it
