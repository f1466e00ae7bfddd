"""The confirm form of a one-tap referral link: which change, and the reason or outcome it may need."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Optional

from forms.fields import PlainText, max_length, strip_text
from portal_app.referrals.statuses import OUTCOME_LABELS


class ReferralLinkForm(FlaskForm):
    action = SelectField(_l("Change"), choices=[], validate_choice=True)
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice("", _l("No outcome")),
                                                   *[SelectChoice(k, _l(v)) for k, v in OUTCOME_LABELS.items()]],
                          validators=[Optional()])
    reason = TextAreaField(_l("Reason"), filters=[strip_text], validators=[max_length(500), PlainText(True)],
                           description=_l("Needed to reject, cancel, hold or mark failed."))
