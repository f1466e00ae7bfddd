"""Goal forms: Add or edit a goal, and the one-button status changes (Mark met, not met, withdrawn, Reopen).

The rules of each field live once, in portal_app.goals.services (clean_*); the form runs them field
by field so every broken rule shows beside its own field.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from forms.fields import VersionedForm, strip_text
from portal_app.goals import services
from portal_app.goals.models import GOAL_DOMAIN_LABELS, GOAL_STATUS_LABELS, MAX_TITLE


def rule(clean: Callable[[Any], Any]) -> Callable[[FlaskForm, Any], None]:
    """A WTForms validator that runs one rule of the goals domain."""

    def check(form: FlaskForm, field: Any) -> None:
        try:
            clean(field.data)
        except services.InvalidGoal as err:
            raise ValidationError(str(err)) from err

    return check


class GoalForm(VersionedForm):
    """Add Goal, or edit one (the hidden version catches a concurrent edit: 409)."""

    title = StringField("Goal", filters=[strip_text], validators=[rule(services.clean_title)],
                        render_kw={"required": True, "maxlength": MAX_TITLE})
    domain = SelectField(
        "Area of life",
        choices=[SelectChoice("", "Choose an area")] + [SelectChoice(str(k), v) for k, v in GOAL_DOMAIN_LABELS.items()],
        validators=[rule(services.clean_domain)],
        validate_choice=False,  # the rule gives the sentence for an unknown value
    )
    target_date = DateField("Target date (optional)", validators=[Optional()],
                            invalid_value_message="Enter the target date as a real date, like 2027-03-31.")
    description = TextAreaField("Description (optional)", filters=[strip_text],
                                validators=[rule(services.clean_description)])

    def __init__(self, *args: Any, goal: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=goal, **kwargs)
        self._unchanged_target = goal.target_date if goal is not None else None

    def validate_target_date(self, field: Any) -> None:
        try:
            services.clean_target_date(field.data, unchanged=self._unchanged_target)
        except services.InvalidGoal as err:
            raise ValidationError(str(err)) from err

    def goal_data(self) -> dict[str, Any]:
        """The keyword arguments of create_goal / update_goal."""
        return {"title": self.title.data or "", "description": self.description.data or "",
                "domain": self.domain.data or "", "target_date": self.target_date.data}


class GoalStatusForm(FlaskForm):
    """The buttons under a goal: each posts its new status."""

    status = SelectField(choices=[SelectChoice(str(k), v) for k, v in GOAL_STATUS_LABELS.items()],
                         invalid_choice_message="Choose met, not met, withdrawn or open.")
