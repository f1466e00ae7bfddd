"""Account Administration forms: organizations, user accounts, agency modules."""
from __future__ import annotations

from typing import Any

from email_validator import validate_email
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Optional,
    Regexp,
    ValidationError,
)

from forms.fields import PlainText, VersionedForm, max_length, optional_int, strip_text
from portal_app.accounts.models import (
    MODULE_LABELS,
    ROLE_LABELS,
    Organization,
    Role,
)
from portal_app.accounts.services import PasswordPolicyError, validate_password


def email_address(form: FlaskForm, field: Any) -> None:
    """A well-formed address; no DNS look-up (intranets may use internal mail domains)."""
    if not field.data:
        return
    try:
        # `.test` addresses are only accepted while testing, as email_validator intends.
        validate_email(field.data, check_deliverability=False, test_environment=current_app.testing)
    except ValueError as err:
        raise ValidationError("Enter a valid email address, like name@example.org.") from err


def password_policy(form: FlaskForm, field: Any) -> None:
    """Length only (S1): the same rule the service applies."""
    if not field.data:
        return
    try:
        validate_password(field.data)
    except PasswordPolicyError as err:
        raise ValidationError(str(err)) from err


class OrganizationForm(VersionedForm):
    name = StringField(
        "Organization Name",
        filters=[strip_text],
        validators=[DataRequired("Enter the organization name."), max_length(200), PlainText()],
    )
    phone = StringField("Phone", filters=[strip_text], validators=[max_length(40), PlainText()])
    address = TextAreaField("Address", filters=[strip_text], validators=[max_length(400), PlainText(multiline=True)])
    contact_name = StringField(
        "Primary Point of Contact Name", filters=[strip_text], validators=[max_length(200), PlainText()]
    )
    contact_email = EmailField(
        "Primary Point of Contact Email",
        filters=[strip_text],
        validators=[max_length(254), PlainText(), email_address],
    )
    sharing_enabled = BooleanField("Sharing enabled")

    def organization_data(self) -> dict[str, Any]:
        """The keyword arguments of update_organization (the kind of an organization never changes here)."""
        data = {
            name: self[name].data or ""
            for name in ("name", "phone", "address", "contact_name", "contact_email")
        }
        return {**data, "sharing_enabled": bool(self.sharing_enabled.data)}


class PartnerOrganizationForm(OrganizationForm):
    """Add New partner organization: the agency's administrator creates or links one."""

    link_existing = BooleanField("Work with the existing organization of this name")

    def organization_data(self) -> dict[str, Any]:
        """The keyword arguments of create_organization."""
        return {**super().organization_data(), "link_existing": bool(self.link_existing.data)}


# Operators are created on the command line, never by an agency's administrator.
ROLE_CHOICES = [SelectChoice("", "Choose a role")] + [
    SelectChoice(r.value, ROLE_LABELS[r]) for r in Role if r != Role.OPERATOR
]


class UserAccountForm(VersionedForm):
    """Fields shared by the Add New and edit forms of a user account."""

    email = EmailField(
        "Email",
        filters=[strip_text],
        validators=[DataRequired("Enter the email address."), max_length(254), PlainText(), email_address],
    )
    first_name = StringField(
        "First Name", filters=[strip_text],
        validators=[DataRequired("Enter the first name."), max_length(100), PlainText()],
    )
    middle_name = StringField("Middle Name", filters=[strip_text], validators=[max_length(100), PlainText()])
    last_name = StringField(
        "Last Name", filters=[strip_text],
        validators=[DataRequired("Enter the last name."), max_length(100), PlainText()],
    )
    organization_id = SelectField(
        "Organization",
        coerce=optional_int,
        validators=[InputRequired("Choose the organization this person belongs to.")],
        invalid_value_message="Choose one of the organizations in the list.",
        invalid_choice_message="Choose one of the organizations in the list.",
    )
    role = SelectField(
        "Role",
        choices=ROLE_CHOICES,
        validators=[InputRequired("Choose a role.")],
        invalid_choice_message="Choose one of the roles in the list.",
    )
    enabled = BooleanField("Enabled", default=True)
    perm_client_portal = BooleanField("Client Portal")
    perm_messaging = BooleanField("Messaging")

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organizations = {org.id: org for org in organizations}
        self.organization_id.choices = [SelectChoice("", "Choose an organization")] + [
            SelectChoice(str(org.id), org.name, optgroup="Agencies" if org.is_agency else "Partner organizations")
            for org in organizations
        ]

    def user_data(self) -> dict[str, Any]:
        """The keyword arguments of create_user / update_user."""
        data = {
            name: self[name].data or ""
            for name in ("email", "first_name", "middle_name", "last_name", "role")
        }
        for name in ("enabled", "perm_client_portal", "perm_messaging"):
            data[name] = bool(self[name].data)
        data["organization"] = self._organizations[self.organization_id.data]
        return data


class UserCreateForm(UserAccountForm):
    password = PasswordField(
        "Password", validators=[DataRequired("Enter a password."), password_policy]
    )

    def user_data(self) -> dict[str, Any]:
        return {**super().user_data(), "password": self.password.data}


class UserEditForm(UserAccountForm):
    password = PasswordField("Password", validators=[Optional(), password_policy])

    def user_data(self) -> dict[str, Any]:
        return {**super().user_data(), "password": self.password.data or None}


class UserEnabledForm(FlaskForm):
    """The one-button Disable / Enable form: the state asked for, so a double submit is harmless."""

    user_id = HiddenField(validators=[Regexp(r"^[0-9]{1,18}$", message="Choose a user account.")])
    enabled = HiddenField(validators=[AnyOf(["0", "1"], message="Choose Disable or Enable.")])

    def target_id(self) -> int:
        return int(self.user_id.data)

    def wants_enabled(self) -> bool:
        return self.enabled.data == "1"


class AgencyModulesForm(VersionedForm):
    module_client_portal = BooleanField(MODULE_LABELS["client_portal"])
    module_messaging = BooleanField(MODULE_LABELS["messaging"])
    module_kiosk = BooleanField(MODULE_LABELS["kiosk"])
    module_referrals = BooleanField(MODULE_LABELS["referrals"])
    sharing_requires_roi = BooleanField("Sharing requires an active ROI")
    referral_team_sharing = BooleanField(
        "Team referral sharing: anyone in the agency may see, note and update the agency's outbound referrals")

    def modules(self) -> dict[str, bool]:
        """The keyword arguments of update_agency_modules."""
        return {
            name.removeprefix("module_"): bool(self[name].data)
            for name in ("module_client_portal", "module_messaging", "module_kiosk", "module_referrals")
        }
