"""Account Administration › Forms: editing a draft version (settings, fields, order) and publishing it.

Every action is a plain form (POST -> redirect -> GET). With htmx, moving or removing a field and
publishing answer the draft section only (the same partial the page includes), so the page stays put.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forms.staff.documents import (
    DraftActionForm,
    FieldForm,
    FieldMoveForm,
    SettingsForm,
    TemplateEditForm,
    bands_text,
)
from portal_app.accounts.models import User
from portal_app.authz import Permission, requires
from portal_app.documents import queries
from portal_app.documents import services as forms_service
from portal_app.documents.errors import FormsError, VersionNotFound
from portal_app.documents.fields import KIND_LABELS, FieldKind

from .._common import place_refusal, savepoint
from . import bp
from .forms_admin import editor_context


def _actor() -> User:
    return current_user._get_current_object()


def _editor_url(version) -> str:
    return url_for("staff.admin_form_edit", template_id=version.template_id, _anchor="draft")


def _draft_answer(version, error: str | None = None, status: int = 200):
    """htmx: the draft section again; otherwise back to the editor. A refusal is shown with its status."""
    if request.htmx and error:
        # htmx swaps no 4xx answer: reload the editor (it shows what changed) with the reason above it.
        flash(error, "error")
        resp = current_app.response_class(status=status)
        resp.headers["HX-Redirect"] = _editor_url(version)
        return resp
    if request.htmx:
        return render_template("staff/_partials/form_draft.html", **editor_context(version.template)), status
    if error:
        form = TemplateEditForm(obj=version.template, formdata=None)
        return render_template("staff/forms_admin/edit.html", details_form=form, draft_error=error,
                               **editor_context(version.template)), status
    return redirect(_editor_url(version))


@bp.post("/admin/forms/<int:template_id>/draft")
@requires(Permission.ADMIN_FORMS)
def admin_form_draft(template_id: int):
    """Edit fields and settings: a new draft version, a copy of the current one."""
    template = queries.get_template_for(_actor(), template_id)
    if not DraftActionForm().validate_on_submit():
        abort(400)
    try:
        with savepoint():
            forms_service.start_draft(_actor(), template)
    except FormsError as err:
        form = TemplateEditForm(obj=template, formdata=None)
        return render_template("staff/forms_admin/edit.html", details_form=form, draft_error=str(err),
                               **editor_context(template)), err.status
    return redirect(url_for("staff.admin_form_edit", template_id=template.id, _anchor="draft"))


@bp.route("/admin/forms/<int:template_id>/versions/<int:number>/settings", methods=["GET", "POST"])
@requires(Permission.ADMIN_FORMS)
def admin_form_settings(template_id: int, number: int):
    """The draft's flags (where it may be filled, who signs, paper only) and severity bands."""
    version = queries.get_version_for(_actor(), template_id, number)
    form = SettingsForm(obj=version, data=None if request.method == "POST" else {
        "bands": bands_text(version.bands), **SettingsForm.card_data(version)})
    status, error = 200, None
    if form.validate_on_submit():
        try:
            with savepoint():
                forms_service.update_settings(_actor(), version.template, version, form.expected_version(),
                                              flags=form.flags(), bands=form.parsed_bands, card=form.card())
        except FormsError as err:
            status, error = err.status, place_refusal(err, form)
        else:
            flash(f"The settings of version {version.number} were saved.", "success")
            return redirect(_editor_url(version))
    elif form.is_submitted():
        status = 422
    return render_template("staff/forms_admin/settings.html", form=form, version=version,
                           template=version.template, error=error), status


@bp.route("/admin/forms/<int:template_id>/versions/<int:number>/fields/new", methods=["GET", "POST"])
@requires(Permission.ADMIN_FORMS)
def admin_form_field_new(template_id: int, number: int):
    """Add a field of the chosen kind (?kind=) to the draft."""
    version = queries.get_version_for(_actor(), template_id, number)
    try:
        kind = FieldKind(request.values.get("kind", ""))
    except ValueError:
        abort(400)
    form = FieldForm(kind=kind)
    return _field_page(version, form, None)


@bp.route("/admin/forms/<int:template_id>/versions/<int:number>/fields/<key>", methods=["GET", "POST"])
@requires(Permission.ADMIN_FORMS)
def admin_form_field_edit(template_id: int, number: int, key: str):
    """Edit one field's properties (labels, help, required, its kind's rules)."""
    version = queries.get_version_for(_actor(), template_id, number)
    field = version.field(key)
    if field is None:
        raise VersionNotFound
    form = FieldForm(kind=FieldKind(field["kind"]), existing=field)
    if request.method == "GET":
        form.load(field)
        form.version_id.data = version.version_id
    return _field_page(version, form, field)


def _field_page(version, form: FieldForm, field: dict | None):
    """Show the field form; on a valid POST add or update the field, then go back to the editor."""
    status, error = 200, None
    if request.method == "GET" and field is None:
        form.version_id.data = version.version_id
    if form.validate_on_submit():
        try:
            with savepoint():
                if field is None:
                    forms_service.add_field(_actor(), version.template, version, form.expected_version(),
                                            form.field_data())
                else:
                    forms_service.update_field(_actor(), version.template, version, form.expected_version(),
                                               field["key"], form.field_data())
        except FormsError as err:
            status, error = err.status, place_refusal(err, form)
        else:
            flash("The field was added." if field is None else "The field was saved.", "success")
            return redirect(_editor_url(version))
    elif form.is_submitted():
        status = 422
    return render_template("staff/forms_admin/field.html", form=form, version=version, template=version.template,
                           field=field, kind_label=KIND_LABELS[form.kind], error=error), status


def _change_draft(version, form, change):
    """A one-button change of the draft (move, remove, publish): the form checked (400), `change(form)` in a
    savepoint, a refusal answered by _draft_answer with its status; None when it went through."""
    if not form.validate_on_submit():
        abort(400)
    try:
        with savepoint():
            change(form)
    except FormsError as err:
        return _draft_answer(version, str(err), err.status)
    return None


@bp.post("/admin/forms/<int:template_id>/versions/<int:number>/fields/<key>/move")
@requires(Permission.ADMIN_FORMS)
def admin_form_field_move(template_id: int, number: int, key: str):
    """Move a field up or down (htmx: the draft section again)."""
    version = queries.get_version_for(_actor(), template_id, number)
    refused = _change_draft(version, FieldMoveForm(), lambda form: forms_service.move_field(
        _actor(), version.template, version, form.expected_version(), key, form.direction.data))
    return _draft_answer(version) if refused is None else refused


@bp.post("/admin/forms/<int:template_id>/versions/<int:number>/fields/<key>/remove")
@requires(Permission.ADMIN_FORMS)
def admin_form_field_remove(template_id: int, number: int, key: str):
    """Remove a field from the draft (published versions keep it)."""
    version = queries.get_version_for(_actor(), template_id, number)
    refused = _change_draft(version, DraftActionForm(), lambda form: forms_service.remove_field(
        _actor(), version.template, version, form.expected_version(), key))
    return _draft_answer(version) if refused is None else refused


@bp.post("/admin/forms/<int:template_id>/versions/<int:number>/publish")
@requires(Permission.ADMIN_FORMS)
def admin_form_publish(template_id: int, number: int):
    """Publish the draft: it is frozen and new documents start on it."""
    version = queries.get_version_for(_actor(), template_id, number)
    refused = _change_draft(version, DraftActionForm(), lambda form: forms_service.publish(
        _actor(), version.template, version, form.expected_version()))
    if refused is not None:
        return refused
    flash(f"Version {version.number} is published: new documents start on it.", "success")
    return redirect(url_for("staff.admin_form_edit", template_id=template_id))
