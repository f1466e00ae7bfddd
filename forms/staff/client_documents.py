"""Client record › Documents: start one, countersign, void, upload the scanned paper copy."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forms.fields import PlainText, optional_int, strip_text
from portal_app.documents.workflow import PAPER_MAX_BYTES, STAFF_INTENT
from portal_app.portal_access.naming import access_person


class DocumentStartForm(FlaskForm):
    """Choose one of the agency's published forms."""

    template_id = SelectField("Form", coerce=optional_int, validate_choice=True,
                              validators=[DataRequired("Choose a form.")])

    def __init__(self, offered, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.template_id.choices = [(None, "Choose a form")] + [
            (t.id, f"{t.name} (version {v.number}{', signed on paper' if v.paper_only else ''})") for t, v in offered]


class CountersignForm(FlaskForm):
    """A staff countersignature: the typed full name and the statement of intent (ESIGN: intent to sign)."""

    typed_name = StringField("Your full name", filters=[strip_text],
                             validators=[DataRequired("Type your full name to sign."),
                                         Length(min=2, max=200, message="Type your full name (2 to 200 characters)."),
                                         PlainText()])
    intent = BooleanField(STAFF_INTENT,
                          validators=[DataRequired("Tick the box to confirm that you mean to sign.")])


class VoidForm(FlaskForm):
    reason = TextAreaField("Why is it voided?", filters=[strip_text],
                           validators=[DataRequired("Say why the document is voided."),
                                       Length(min=3, max=1000, message="Use 3 to 1,000 characters."),
                                       PlainText(multiline=True)])


class PaperCopyForm(FlaskForm):
    """The scanned wet-ink copy of a paper-only form: PDF, JPEG or PNG by content (S11)."""

    scan = FileField("Scanned signed copy (PDF, JPEG or PNG, at most 10 MB)",
                     validators=[FileRequired("Choose the scanned file to upload.")],
                     render_kw={"accept": "application/pdf,image/jpeg,image/png"})

    def scan_bytes(self) -> bytes:
        return self.scan.data.read(PAPER_MAX_BYTES + 1)


class DocumentEmailForm(FlaskForm):
    """Email the document to ONE of the client's portal accounts (a link only; the others are not told)."""

    access_id = SelectField("Who gets the email", coerce=optional_int, validate_choice=True,
                           validators=[DataRequired("Choose the person to email.")])

    def __init__(self, accesses, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.access_id.choices = [(None, "Choose a person")] + [(a.id, access_person(a)) for a in accesses]


class InPersonSignForm(FlaskForm):
    """The client (or a representative) at the desk signs on the staff screen: who, typed name, intent."""

    signer = SelectField("Who is signing", validate_choice=True, validators=[DataRequired("Choose who is signing.")])
    typed_name = StringField("Their full name, typed by them", filters=[strip_text],
                             validators=[DataRequired("Type the signer's full name."),
                                         Length(min=2, max=200, message="Type the full name (2 to 200 characters)."),
                                         PlainText()])
    intent = BooleanField("The signer read the document, and means the typed name as their signature, signed "
                          "here in my presence.",
                          validators=[DataRequired("Tick the box to confirm the signer means to sign.")])

    def __init__(self, signers, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signer.choices = [("", "Choose who is signing"), *signers]
