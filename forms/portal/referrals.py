"""My referrals: the seeker's one-button changes ("I got help" ...), the choices set by the view."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField


class SeekerReferralForm(FlaskForm):
    action = SelectField(_l("Your answer"), choices=[], validate_choice=True)
