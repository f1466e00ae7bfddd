"""Account Administration › Forms (administrators): the list, a new form, its details, history, preview, archive."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from forms.staff.documents import ArchiveForm, TemplateDetailsForm, TemplateEditForm
from portal_app.accounts.models import User
from portal_app.authz import Permission, requires
from portal_app.clock import utcnow
from portal_app.documents import queries
from portal_app.documents import services as forms_service
from portal_app.documents.answers import form_values, validate_answers
from portal_app.documents.errors import FormsError
from portal_app.documents.fields import KIND_LABELS, SIGNER_LABELS
from portal_app.documents.models import FLAG_LABELS
from portal_app.documents.scoring import score_answers
from portal_app.timefmt import to_local

from .._common import place_refusal, savepoint
from . import bp

PREVIEW_LANGUAGES = ("en", "es")


def _actor() -> User:
    return current_user._get_current_object()


def _page(page_name: str, status: int = 200, **context):
    return render_template(f"staff/forms_admin/{page_name}", **context), status


def editor_context(template, **extra) -> dict:
    """What the editor page (and its draft fragment) shows for a template."""
    draft = queries.draft_of(template)
    return {"template": template, "draft": draft, "current": queries.current_version(template),
            "problems": forms_service.publishing_problems(template, draft) if draft else [],
            "flag_labels": FLAG_LABELS, "kind_labels": KIND_LABELS, "signer_labels": SIGNER_LABELS, **extra}


@bp.get("/admin/forms")
@requires(Permission.ADMIN_FORMS)
def admin_forms():
    """Forms: the agency's form templates, by name, a page at a time (archived ones on their own list)."""
    archived = request.args.get("archived") == "1"
    page = queries.templates_page(_actor(), request.args.get("page"), archived=archived)
    return _page("list.html", page=page, archived=archived)[0]


@bp.route("/admin/forms/new", methods=["GET", "POST"])
@requires(Permission.ADMIN_FORMS)
def admin_form_new():
    """Add New form: its name, description and category; then the editor opens on draft version 1."""
    form = TemplateDetailsForm()
    if not form.validate_on_submit():
        return _page("new.html", 422 if form.is_submitted() else 200, form=form)
    try:
        with savepoint():
            template = forms_service.create_template(_actor(), **form.details())
    except FormsError as err:
        return _page("new.html", err.status, form=form, error=place_refusal(err, form))
    flash(f"The form \u201c{template.name}\u201d was added. Add its fields, then publish it.", "success")
    return redirect(url_for("staff.admin_form_edit", template_id=template.id))


@bp.route("/admin/forms/<int:template_id>", methods=["GET", "POST"])
@requires(Permission.ADMIN_FORMS)
def admin_form_edit(template_id: int):
    """The editor: details (POST here), the draft version's settings and fields, publishing."""
    template = queries.get_template_for(_actor(), template_id)
    form = TemplateEditForm(obj=template)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return _page("edit.html", status, details_form=form, **editor_context(template))
    try:
        with savepoint():
            forms_service.update_template(_actor(), template, form.expected_version(), **form.details())
    except FormsError as err:
        form.version_id.data = template.version_id
        return _page("edit.html", err.status, details_form=form, details_error=place_refusal(err, form),
                     **editor_context(template))
    flash("The form's details were saved.", "success")
    return redirect(url_for("staff.admin_form_edit", template_id=template.id))


@bp.post("/admin/forms/<int:template_id>/archive")
@requires(Permission.ADMIN_FORMS)
def admin_form_archive(template_id: int):
    """Archive (no longer offered, nothing deleted) or unarchive a form."""
    template = queries.get_template_for(_actor(), template_id)
    form = ArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    archived = form.archived.data == "1"
    forms_service.set_archived(_actor(), template, archived)
    flash(f"The form \u201c{template.name}\u201d is {'archived' if archived else 'active again'}.", "success")
    return redirect(url_for("staff.admin_form_edit", template_id=template.id))


@bp.get("/admin/forms/<int:template_id>/versions")
@requires(Permission.ADMIN_FORMS)
def admin_form_versions(template_id: int):
    """Version history: every version, who made and published it, each one readable in preview."""
    template = queries.get_template_for(_actor(), template_id)
    return _page("versions.html", template=template, versions=queries.versions_of(template))[0]


@bp.route("/admin/forms/<int:template_id>/versions/<int:number>/preview", methods=["GET", "POST"])
@requires(Permission.ADMIN_FORMS)
def admin_form_preview(template_id: int, number: int):
    """Preview a version as a client sees it, in English or Spanish; "Check answers" runs the real validation
    (nothing is saved)."""
    version = queries.get_version_for(_actor(), template_id, number)
    lang = request.values.get("lang", "en")
    if lang not in PREVIEW_LANGUAGES:
        lang = "en"
    values, errors, score = {}, {}, None
    if request.method == "POST":
        today = to_local(utcnow()).date()
        check = validate_answers(version.fields, request.form, lang, today=today)
        values, errors = form_values(version.fields, request.form), check.errors
        score = score_answers(version.fields, version.bands, check.values)
    with force_locale(lang):
        form_html = render_template("staff/_partials/form_preview.html", version=version, lang=lang,
                                    values=values, errors=errors, score=score, checked=request.method == "POST")
    status = 422 if errors else 200
    return _page("preview.html", status, template=version.template, version=version, lang=lang,
                 form_html=Markup(form_html))
