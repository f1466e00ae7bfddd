"""Account Administration › Document Categories: the agency's categories of client documents and their
predefined names (what staff choose when they ask a client for a document). Archived, never deleted."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from forms.fields import ConfirmForm
from forms.staff.requests import CategoryForm
from portal_app.authz import Permission, requires
from portal_app.requests import categories
from portal_app.requests.errors import RequestError
from portal_app.requests.queries import get_category_for, get_name_for

from .._common import current_actor as _actor
from .._common import place_refusal, savepoint
from . import bp

P = Permission.ADMIN_DOCUMENT_CATEGORIES


def _list(status: int = 200, **forms):
    forms = {"category_form": CategoryForm(prefix="category"), "name_form": CategoryForm(prefix="name"), **forms}
    forms.setdefault("name_for", None)
    return render_template("staff/document_categories/list.html", confirm=ConfirmForm(),
                           categories=categories.agency_categories(_actor().organization_id), **forms), status


@bp.get("/admin/document-categories")
@requires(P)
def admin_document_categories():
    """The categories, each with its predefined names; forms to add either."""
    return _list()


@bp.post("/admin/document-categories")
@requires(P)
def admin_document_category_add():
    """Add a category."""
    form = CategoryForm(prefix="category")
    if form.validate_on_submit():
        try:
            with savepoint():
                categories.add_category(_actor(), form.name.data, form.name_es.data or "")
        except RequestError as err:
            place_refusal(err, form)
        else:
            flash("The category was added.", "success")
            return redirect(url_for("staff.admin_document_categories"))
    return _list(422, category_form=form)


@bp.post("/admin/document-categories/<int:category_id>/names")
@requires(P)
def admin_document_name_add(category_id: int):
    """Add a predefined name to a category."""
    category = get_category_for(_actor(), category_id)
    form = CategoryForm(prefix="name")
    if form.validate_on_submit():
        try:
            with savepoint():
                categories.add_name(_actor(), category, form.name.data, form.name_es.data or "")
        except RequestError as err:
            place_refusal(err, form)
        else:
            flash("The name was added.", "success")
            return redirect(url_for("staff.admin_document_categories"))
    return _list(422, name_form=form, name_for=category.id)


@bp.post("/admin/document-categories/<int:category_id>/archive")
@requires(P)
def admin_document_category_archive(category_id: int):
    """Archive a category: no longer offered; requests already sent keep it."""
    category = get_category_for(_actor(), category_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    categories.archive_category(_actor(), category)
    flash("The category was archived.", "success")
    return redirect(url_for("staff.admin_document_categories"))


@bp.post("/admin/document-names/<int:name_id>/archive")
@requires(P)
def admin_document_name_archive(name_id: int):
    """Archive a predefined name."""
    item = get_name_for(_actor(), name_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    categories.archive_name(_actor(), item)
    flash("The name was archived.", "success")
    return redirect(url_for("staff.admin_document_categories"))
