"""Portal requests: send a document's pages, a location, or say "I can't provide this"."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from forms.fields import PlainText, strip_text

CANT_CHOICES = [SelectChoice("dont_have", _l("I don't have it")), SelectChoice("lost", _l("I lost it")),
                SelectChoice("need_help", _l("I need help getting it")), SelectChoice("other", _l("Other"))]


class PagesForm(FlaskForm):
    files = MultipleFileField(_l("Photo or PDF of the document (you can choose several pages)"),
                              render_kw={"accept": "image/*,application/pdf", "capture": "environment",
                                         "multiple": True})


class LocationForm(FlaskForm):
    address = StringField(_l("Address"), filters=[strip_text],
                          validators=[Length(max=300, message=_l("Use at most 300 characters.")), PlainText()])
    latitude = HiddenField()
    longitude = HiddenField()


class CantProvideForm(FlaskForm):
    reason = RadioField(_l("Why?"), choices=CANT_CHOICES,
                        validators=[DataRequired(_l("Choose a reason."))])
    text = TextAreaField(_l("Tell us more (needed when you choose Other)"), filters=[strip_text],
                         validators=[Length(max=1000, message=_l("Use at most 1000 characters.")),
                                     PlainText(multiline=True)])
