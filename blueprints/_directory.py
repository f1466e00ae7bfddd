"""The programs directory search that the staff Directory and Start a Referral share: the search form read
from the query string, its results, and the answer (htmx: the results alone; else the whole page)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import render_template, request

from forms.programs import DirectorySearchForm
from portal_app.programs.search import (
    DirectoryQuery,
    DirectoryResult,
    UnknownZip,
    search_directory,
)

from ._common import audited_page

RESULTS_TEMPLATE = "staff/_partials/directory_results.html"


def run_search(args: Mapping[str, Any], run: bool) -> tuple[DirectorySearchForm, DirectoryResult | None]:
    """The search form filled from args and, when run and the form is valid, its page of results
    (a ZIP code the directory does not know becomes an error on the ZIP field)."""
    form = DirectorySearchForm(args)
    result = None
    if run and form.validate():
        try:
            result = search_directory(DirectoryQuery(form.zip.data, miles=float(form.miles.data or 25),
                                                     category=form.category.data or None,
                                                     language=form.language.data or None,
                                                     accepting_only=form.accepting.data,
                                                     page=args.get("page", 1)))
        except UnknownZip:
            form.zip.errors = [*form.zip.errors, "We do not know this ZIP code; check it, like 97401."]
    return form, result


def search_response(template: str, status: int, record_view: Callable[[], Any] = lambda: None, **context):
    """htmx (not a history restore): the results partial alone; else the whole page, its view recorded.
    Either way the answer varies with HX-Request."""
    if request.htmx and not request.htmx.history_restore_request:
        body = render_template(RESULTS_TEMPLATE, **context)
    else:
        body, status = audited_page(template, record_view, status, **context)
    return body, status, {"Vary": "HX-Request"}
