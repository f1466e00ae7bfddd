"""Walk-in entry on Inbound Referrals (staff claimers of an agency's programs, partner claimers): the form, then
the new referral's page; bad input answers 422 beside the field."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms import SelectChoice

from forms.referral_walkins import WalkInForm
from portal_app.errors import DomainError
from portal_app.extensions import db
from portal_app.programs.models import Program
from portal_app.referrals.policy import claimed_programs
from portal_app.referrals.walkins import record_walk_in
from portal_app.transactions import savepoint

from ._common import current_actor, place_refusal

PAGES = {"staff": "staff/referrals/walk_in.html", "partner": "partner/referrals/walk_in.html"}


def _programs(actor) -> list[Program]:
    return list(db.session.scalars(select(Program).where(Program.id.in_(claimed_programs(actor)), Program.active)
                                   .order_by(Program.name, Program.id)))


def walk_in_page(site: str, list_endpoint: str):
    """Record a walk-in: a self-referral to one of the person's programs, then its page."""
    actor = current_actor()
    programs = {p.id: p for p in _programs(actor)}
    form = WalkInForm()
    form.program_id.choices = [SelectChoice(p.id, p.name) for p in programs.values()]
    if request.method == "GET" and len(programs) == 1:
        form.program_id.data = next(iter(programs))
    context = {"form": form, "list_endpoint": list_endpoint, "site": site}
    if not form.validate_on_submit():
        return render_template(PAGES[site], **context), 422 if form.is_submitted() else 200
    try:
        with savepoint():
            referral = record_walk_in(actor, programs[form.program_id.data], **form.walk_in_data())
    except DomainError as err:
        context["error"] = place_refusal(err, form)
        return render_template(PAGES[site], **context), err.status
    flash("The walk-in was recorded under Inbound Referrals.", "success")
    return redirect(url_for(f"{site}.referral_detail", referral_id=referral.id))
