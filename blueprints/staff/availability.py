"""Staff availability: My Availability (weekly hours and exceptions), another staff member's (administrators and
supervisors), and Review Staff Availability (the agency's staff for a chosen week)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from forms.staff.appointments import (
    HOURS_HINT,
    AvailabilityExceptionForm,
    ExceptionRemoveForm,
    WeeklyHoursForm,
)
from portal_app.appointments import availability, calendar, queries
from portal_app.appointments.errors import AppointmentError
from portal_app.authz import Permission, requires
from portal_app.clock import utcnow
from portal_app.timefmt import to_local

from .._common import current_actor as _actor
from .._common import place_refusal, savepoint
from . import bp

P = Permission.STAFF_AVAILABILITY


def _person(user_id: int):
    return queries.get_staff_for(_actor(), user_id, P)


def _page(person, status: int = 200, error: str | None = None, **forms):
    today = to_local(utcnow()).date()
    weekly = availability.weekly_hours(person)
    forms = {"weekly_form": WeeklyHoursForm(formdata=None, **{f"day_{d}": availability.format_ranges(r)
                                                               for d, r in weekly.items()}),
             "exception_form": AvailabilityExceptionForm(formdata=None), "remove_form": ExceptionRemoveForm(), **forms}
    return render_template("staff/appointments/availability.html", person=person, error=error,
                           exceptions=availability.exceptions_from(person, today), hint=HOURS_HINT,
                           format_ranges=availability.format_ranges, **forms), status


@bp.get("/availability")
@requires(P)
def availability_mine():
    """My Availability: the signed-in staff member's own hours."""
    return redirect(url_for("staff.availability_edit", user_id=_actor().id))


@bp.get("/availability/<int:user_id>")
@requires(P)
def availability_edit(user_id: int):
    """Weekly hours (per weekday, one or more ranges) and exceptions (days off, other hours on a date)."""
    return _page(_person(user_id))


@bp.post("/availability/<int:user_id>/weekly")
@requires(P)
def availability_weekly(user_id: int):
    """Save the weekly hours; appointments already booked stay."""
    person = _person(user_id)
    form = WeeklyHoursForm()
    if not form.validate_on_submit():
        return _page(person, 422, weekly_form=form)
    availability.set_weekly_hours(_actor(), person, form.hours())
    flash("The weekly hours were saved.", "success")
    return redirect(url_for("staff.availability_edit", user_id=person.id))


@bp.post("/availability/<int:user_id>/exceptions")
@requires(P)
def availability_exception(user_id: int):
    """Other hours (or a day off) on one date."""
    person = _person(user_id)
    form = AvailabilityExceptionForm()
    if not form.validate_on_submit():
        return _page(person, 422, exception_form=form)
    try:
        with savepoint():
            availability.set_exception(_actor(), person, form.on_date.data, getattr(form.hours, "ranges", []),
                                       form.note.data or "")
    except AppointmentError as err:
        return _page(person, err.status, place_refusal(err, form), exception_form=form)
    flash("The hours of that date were saved.", "success")
    return redirect(url_for("staff.availability_edit", user_id=person.id))


@bp.post("/availability/<int:user_id>/exceptions/remove")
@requires(P)
def availability_exception_remove(user_id: int):
    """The date follows the weekly hours again."""
    person = _person(user_id)
    form = ExceptionRemoveForm()
    if not form.validate_on_submit():
        return _page(person, 422, remove_form=form)
    availability.remove_exception(_actor(), person, form.on_date.data)
    flash("That date follows the weekly hours again.", "success")
    return redirect(url_for("staff.availability_edit", user_id=person.id))


@bp.get("/availability/review")
@requires(Permission.STAFF_APPOINTMENTS)
def availability_review():
    """Review Staff Availability: every staff member of the agency, their hours each day of a chosen week."""
    actor = _actor()
    staff = queries.agency_staff(actor)
    day = calendar.parse_day(request.args.get("week"), to_local(utcnow()).date())
    days = calendar.week_of(day)
    rows = availability.rows_for([p.id for p in staff], days[0], days[-1])
    table = [(p, [(availability.format_ranges(availability.hours_on(rows, p.id, d)),
                   availability.exception_on(rows, p.id, d)) for d in days]) for p in staff]
    return render_template("staff/appointments/availability_review.html", days=days, table=table,
                           previous=days[0].fromordinal(days[0].toordinal() - 7),
                           next=days[0].fromordinal(days[0].toordinal() + 7))
