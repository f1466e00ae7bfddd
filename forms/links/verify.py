"""The verify page's two forms: upload a PDF, or type the code printed at the bottom of each page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal_app.documents.sealed import normalize_code

MAX_VERIFY_BYTES = 8 * 1024 * 1024
# What browsers send for a PDF (some send nothing or the generic type); the content decides anyway.
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/acrobat", "application/octet-stream",
                       "binary/octet-stream", ""})


class VerifyUploadForm(FlaskForm):
    """A PDF someone holds; judged by its content (it must start like a PDF), at most 8 MB."""

    too_large = False
    document = FileField(_l("Your PDF file"), validators=[FileRequired(_l("Choose the PDF file to check."))],
                         render_kw={"accept": "application/pdf,.pdf"})

    def document_bytes(self) -> bytes | None:
        """The upload, read no further than one byte past the limit; None (with the field's message) when it
        is too large, not a PDF by its type or by its first bytes."""
        upload = self.document.data
        try:
            data = upload.read(MAX_VERIFY_BYTES + 1)
        finally:
            upload.close()  # a large upload is spooled to a temporary file: let it go now
        self.too_large = len(data) > MAX_VERIFY_BYTES
        if self.too_large:
            self.document.errors = [_l("This file is larger than 8 MB. A Caseport document is much smaller: "
                                       "check that you chose the right file.")]
            return None
        declared = (upload.mimetype or "").lower()
        if declared not in PDF_TYPES or b"%PDF-" not in data[:1024]:
            self.document.errors = [_l("This file is not a PDF. Choose the PDF document you received.")]
            return None
        return data


def code_shape(form, field) -> None:
    if normalize_code(field.data or "") is None:
        raise ValidationError(_l("A verification code has 10 letters and digits, like ABCDE-12345. "
                                 "Copy it from the bottom of any page."))


class VerifyCodeForm(FlaskForm):
    """The short code printed at the bottom of every page of a Caseport PDF."""

    code = StringField(_l("Verification code"),
                       validators=[DataRequired(_l("Type the verification code.")),
                                   Length(max=40, message=_l("A verification code has 10 letters and digits.")),
                                   code_shape],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
