"""Operator area forms: a new agency with its first administrator, an agency's licence seats and name."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from forms.fields import PlainText, VersionedForm, max_length, strip_text
from forms.staff.accounts import email_address, password_policy

SEATS = [InputRequired("Enter the number of licence seats."),
         NumberRange(1, 100_000, "Enter a number of seats from 1 to 100,000.")]


class AgencyCreateForm(FlaskForm):
    name = StringField("Agency Name", filters=[strip_text],
                       validators=[DataRequired("Enter the agency name."), max_length(120), PlainText()])
    licence_seats = IntegerField("Licence seats", validators=SEATS)
    admin_email = EmailField("Administrator Email", filters=[strip_text],
                             validators=[DataRequired("Enter the administrator's email address."), max_length(254),
                                         PlainText(), email_address])
    admin_first_name = StringField("Administrator First Name", filters=[strip_text],
                                   validators=[DataRequired("Enter the first name."), max_length(100), PlainText()])
    admin_last_name = StringField("Administrator Last Name", filters=[strip_text],
                                  validators=[DataRequired("Enter the last name."), max_length(100), PlainText()])
    admin_password = PasswordField("Administrator Password",
                                   validators=[DataRequired("Enter a password."), password_policy])

    def agency_data(self) -> dict[str, Any]:
        """The keyword arguments of create_agency."""
        return {name: self[name].data for name in
                ("name", "licence_seats", "admin_email", "admin_first_name", "admin_last_name", "admin_password")}


class AgencySeatsForm(VersionedForm):
    licence_seats = IntegerField("Licence seats", validators=SEATS)


class AgencyRenameForm(VersionedForm):
    name = StringField("Agency Name", filters=[strip_text],
                       validators=[DataRequired("Enter the agency name."), max_length(120), PlainText()])
