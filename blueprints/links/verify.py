"""The public verify page (/links/verify): is this Caseport PDF authentic and unchanged? (ES-INTEGRITY)

Anyone holding a PDF (a partner, a landlord) uploads it or types the code printed on each page. The
answer says only what the PDF already holds: its title, when it was signed and by whom.
"""
from __future__ import annotations


from flask import current_app, render_template

from forms.links.verify import VerifyCodeForm, VerifyUploadForm
from portal_app.authz import public
from portal_app.documents import sealed
from portal_app.extensions import limiter

from . import bp


def _throttled(view):
    """Per-IP limit on checks (each one parses a PDF; codes must not be guessed in bulk)."""
    return limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], methods=["POST"])(view)


def _result(verdict: sealed.Verdict, by_code: bool):
    return render_template("links/verify_result.html", verdict=verdict, by_code=by_code)


def _page(upload: VerifyUploadForm | None = None, code: VerifyCodeForm | None = None, status: int = 200):
    return render_template("links/verify.html", upload=upload or VerifyUploadForm(),
                           code_form=code or VerifyCodeForm(), mode="upload" if upload else "code"), status


@bp.route("/verify", methods=["GET", "POST"])
@public
@_throttled
def verify():
    """The page with both forms; a POST checks an uploaded PDF."""
    form = VerifyUploadForm()
    if not form.validate_on_submit():
        return _page(form if form.is_submitted() else None, status=422 if form.is_submitted() else 200)
    data = form.document_bytes()
    if data is None:
        return _page(form, status=413 if form.too_large else 422)
    return _result(sealed.check_pdf(data), by_code=False)


@bp.post("/verify/code")
@public
@_throttled
def verify_code():
    """Look up the code printed at the bottom of each page."""
    form = VerifyCodeForm()
    if not form.validate_on_submit():
        return _page(code=form, status=422)
    record = sealed.find_by_code(sealed.normalize_code(form.code.data))
    return _result(sealed.Verdict(sealed.AUTHENTIC if record else sealed.UNKNOWN, record), by_code=True)
