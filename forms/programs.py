"""Program forms both sites use (staff Account Administration > Programs, partner Programs) and the directory search."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forms.fields import PlainText, VersionedForm, max_length, optional_int, strip_text
from portal_app.programs.geo import clean_zip, zip_centroid
from portal_app.programs.models import CAPACITY_LABELS, CATEGORIES, LANGUAGES

ZIP_MESSAGE = "Enter a five-digit US ZIP code, like 97401."


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def known_zip(form: FlaskForm, field: Any) -> None:
    if field.data and zip_centroid(field.data) is None:
        raise ValidationError("We do not know this ZIP code; check it, like 97401.")


def zip_list(form: FlaskForm, field: Any) -> None:
    if any(clean_zip(z) != z for z in (field.data or "").replace(",", " ").split()):
        raise ValidationError("List five-digit ZIP codes separated by spaces, like 97401 97402.")


class ProgramForm(VersionedForm):
    organization_id = SelectField("Organization", coerce=optional_int, validate_choice=True)
    name = StringField("Program name", filters=[strip_text],
                       validators=[DataRequired("Enter the program's name."), max_length(200), PlainText()])
    description = TextAreaField("Description", filters=[strip_text], validators=[max_length(4000), PlainText(True)])
    categories = CheckboxList("Service categories", choices=_choices(CATEGORIES), validate_choice=True)
    languages = CheckboxList("Languages", choices=_choices(LANGUAGES), validate_choice=True)
    eligibility = TextAreaField("Eligibility", filters=[strip_text], validators=[max_length(2000), PlainText(True)])
    phone = StringField("Phone", filters=[strip_text], validators=[max_length(40), PlainText()])
    email = EmailField("Email", filters=[strip_text], validators=[Optional(), max_length(254),
                       Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter a valid email address, like name@example.org.")])
    url = URLField("Website", filters=[strip_text], validators=[Optional(), max_length(400),
                   Regexp(r"^https?://\S+$", message="Enter a web address starting with https://.")])
    schedule = StringField("Schedule", filters=[strip_text], validators=[max_length(400), PlainText()],
                           description="For example: Mon–Fri 9–5, Sat 10–2")
    area_zips = StringField("Service area: ZIP codes", filters=[strip_text], validators=[max_length(2000), zip_list])
    area_radius_miles = DecimalField("Service area: radius in miles", places=None,
                                     validators=[Optional(), NumberRange(1, 500, "Use a radius from 1 to 500 miles.")])
    capacity = SelectField("Capacity", choices=[SelectChoice(k.value, v) for k, v in CAPACITY_LABELS.items()],
                           validators=[InputRequired("Choose the program's capacity."),
                                       AnyOf([k.value for k in CAPACITY_LABELS], "Choose the program's capacity.")])
    team_sharing = BooleanField("Team sharing: anyone in the program's organization may see, note and update this "
                                "program's referrals")
    capacity_note = StringField("Capacity note", filters=[strip_text], validators=[max_length(200), PlainText()],
                                description="For example: about 15 waiting, 4–6 weeks")

    def program_data(self) -> dict[str, Any]:
        """The fields the services take (organization and capacity go their own ways)."""
        return {"name": self.name.data, "description": self.description.data, "categories": self.categories.data,
                "languages": self.languages.data, "eligibility": self.eligibility.data, "phone": self.phone.data,
                "email": self.email.data, "url": self.url.data, "schedule": self.schedule.data,
                "area_zips": (self.area_zips.data or "").replace(",", " ").split(),
                "area_radius_miles": float(self.area_radius_miles.data) if self.area_radius_miles.data else None}


class LocationForm(FlaskForm):
    name = StringField("Location name", filters=[strip_text], validators=[max_length(200), PlainText()])
    address_1 = StringField("Street address", filters=[strip_text],
                            validators=[DataRequired("Enter the street address."), max_length(200), PlainText()])
    city = StringField("City", filters=[strip_text], validators=[max_length(100), PlainText()])
    postal_code = StringField("ZIP code", filters=[strip_text],
                              validators=[DataRequired(ZIP_MESSAGE), Regexp(r"^\d{5}$", message=ZIP_MESSAGE), known_zip])

    def data_without_csrf(self) -> dict[str, str]:
        return {"name": self.name.data, "address_1": self.address_1.data, "city": self.city.data,
                "postal_code": self.postal_code.data}


class DirectorySearchForm(FlaskForm):
    """GET form: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    zip = StringField("ZIP code", filters=[strip_text],
                      validators=[DataRequired(ZIP_MESSAGE), Regexp(r"^\d{5}$", message=ZIP_MESSAGE), known_zip])
    miles = SelectField("Distance", choices=[SelectChoice(m, f"{m} miles") for m in ("5", "10", "25", "50", "100")], default="25",
                        validators=[Optional()])
    category = SelectField("Service category", choices=[SelectChoice("", "Any"), *_choices(CATEGORIES)],
                           validators=[Optional()])
    language = SelectField("Language", choices=[SelectChoice("", "Any"), *_choices(LANGUAGES)], validators=[Optional()])
    accepting = BooleanField("Accepting referrals only")


class ClaimersForm(FlaskForm):
    user_ids = CheckboxList("Claimers", coerce=int, validate_choice=True,
                            description="The people who receive and work this program's referrals.")
