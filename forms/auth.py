"""Sign-in and password forms shared by the staff and partner sites."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal_app.passwords import MAX_PASSWORD


class EmailSignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(message="Enter your email address."), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(message="Enter your password."), Length(max=MAX_PASSWORD)]
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(message="Enter your current password.")]
    )
    new_password = PasswordField(
        "New password",
        validators=[
            DataRequired(message="Enter a new password."),
            Length(min=12, max=MAX_PASSWORD, message="Use between 12 and 128 characters."),
        ],
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[EqualTo("new_password", message="The two new passwords do not match.")],
    )
