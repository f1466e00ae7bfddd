"""Account Administration › Locations and Kiosks, and handing a client's document to a kiosk."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from forms.fields import PlainText, optional_int, strip_text


class LocationForm(FlaskForm):
    name = StringField("Location name", filters=[strip_text],
                       validators=[DataRequired("Enter the location's name."),
                                   Length(max=120, message="Use at most 120 characters."), PlainText()])
    address = StringField("Address", filters=[strip_text],
                          validators=[Length(max=400, message="Use at most 400 characters."), PlainText()])


class KioskCreateForm(FlaskForm):
    name = StringField("Kiosk name", filters=[strip_text], description="For example: Front desk tablet 1",
                       validators=[DataRequired("Enter the kiosk's name."),
                                   Length(max=80, message="Use at most 80 characters."), PlainText()])
    location_id = SelectField("Location", coerce=optional_int, validate_choice=True,
                              validators=[DataRequired("Choose the location where the tablet stands.")])

    def __init__(self, locations, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.location_id.choices = [(None, "Choose a location")] + [(loc.id, loc.name) for loc in locations]


class PairingCodeForm(FlaskForm):
    code = StringField("Pairing code shown on the tablet", filters=[strip_text],
                       validators=[DataRequired("Type the code the tablet shows."),
                                   Length(max=20, message="Type the code the tablet shows (6 letters and digits).")])


def target_choices(devices, locations) -> list[tuple[str, str]]:
    return ([("", "Choose a tablet or a location")]
            + [(f"device:{d.id}", f"{d.name} ({d.location.name})") for d in devices]
            + [(f"location:{loc.id}", f"Any tablet at {loc.name}") for loc in locations])


class HandoffForm(FlaskForm):
    """Which tablet (or any tablet at a location); on the client page, which form too."""

    template_id = SelectField("Form", coerce=optional_int, validate_choice=True,
                              validators=[DataRequired("Choose a form.")])
    target = SelectField("Send to", validate_choice=True, validators=[DataRequired("Choose a tablet or a location.")])

    def __init__(self, versions, devices, locations, *args, with_template: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_template:
            self.template_id.choices = [(None, "Choose a form")] + [
                (v.template_id, f"{v.template.name} (version {v.number})") for v in versions]
        else:
            del self.template_id
        self.target.choices = target_choices(devices, locations)
