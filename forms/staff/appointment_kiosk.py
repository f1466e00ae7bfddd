"""An appointment's "Have client fill out form on kiosk": which form (a blank one fillable on kiosks, or one
of the appointment's forms due) and which tablet (or any tablet at a location)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from forms.staff.kiosk import target_choices

FORM_MESSAGE = "Choose one of the forms listed."


class AppointmentKioskForm(FlaskForm):
    template_id = SelectField("Form to fill out on the kiosk", validate_choice=True, validators=[DataRequired("Choose a form.")],
                              invalid_choice_message=FORM_MESSAGE)
    target = SelectField("Send to", validate_choice=True, validators=[DataRequired("Choose a tablet or a location.")],
                         invalid_choice_message="Choose a tablet, or any tablet at a location of your agency.")

    def __init__(self, versions, due, devices, locations, *args, **kwargs) -> None:
        super().__init__(*args, prefix="kiosk", **kwargs)  # beside the "at home" form on one page: own ids
        self.template_id.choices = ([("", "Choose a form")]
                                    + [(f"document:{d.id}", f"{d.title()} (due for this appointment)") for d in due]
                                    + [(f"template:{v.template_id}", f"{v.template.name} (blank)") for v in versions])
        self.target.choices = target_choices(devices, locations)

    def chosen(self) -> tuple[str, int | None]:
        """("document" | "template", id) of the chosen form."""
        kind, _, raw = (self.template_id.data or "").partition(":")
        return kind, int(raw) if raw.isdigit() else None
