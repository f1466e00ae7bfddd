"""Goals domain: the policy (agency scoping), the services the referrals domain will call, the demo."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal_app.audit import AuditEvent
from portal_app.authz import Permission, can
from portal_app.extensions import db
from portal_app.goals import queries, services
from portal_app.goals.models import Goal
from tests import factories
from tests.factories.goals import goal as make_goal


@pytest.fixture
def other_agency_staff():
    agency_b = factories.agency("Agency B")
    return {role: factories.user(agency_b, role=role, email=f"{role}@b.test")
            for role in ("admin", "supervisor", "case_manager")}


@pytest.mark.parametrize("role", ["admin", "supervisor", "case_manager"])
def test_staff_of_the_clients_agency_manage_its_goals_and_nobody_else(people, other_agency_staff, role):
    client = factories.client(people["admin"].organization)
    goal = make_goal(client, people["case_manager"])
    assert can(people[role], Permission.STAFF_GOALS, client) and can(people[role], Permission.STAFF_GOALS, goal)
    outsider = other_agency_staff[role]
    assert not can(outsider, Permission.STAFF_GOALS, client) and not can(outsider, Permission.STAFF_GOALS, goal)
    assert not can(people["partner"], Permission.STAFF_GOALS, goal)  # partners do not see goals
    assert queries.get_goal_for(people[role], goal.id) is goal
    with pytest.raises(queries.GoalNotFound):
        queries.get_goal_for(outsider, goal.id)
    people[role].enabled = False
    assert not can(people[role], Permission.STAFF_GOALS, goal)
    with pytest.raises(queries.GoalNotFound):
        queries.get_goal_for(people[role], goal.id)


def test_services_refuse_another_agencys_staff(people, other_agency_staff):
    client = factories.client(people["admin"].organization)
    goal = make_goal(client, people["case_manager"])
    with pytest.raises(services.GoalError):
        services.create_goal(other_agency_staff["admin"], client, title="X", domain="other")
    with pytest.raises(services.GoalError):
        services.mark_met(other_agency_staff["admin"], goal)
    assert goal.status == "open"


def test_picker_offers_open_goals_nearest_target_first(people):
    client, other = (factories.client(people["admin"].organization) for _ in range(2))
    cm = people["case_manager"]
    undated = make_goal(client, cm, "Undated")
    later = make_goal(client, cm, "Later", target_date=date(2099, 5, 1))
    sooner = make_goal(client, cm, "Sooner", target_date=date(2099, 1, 1))
    make_goal(client, cm, "Done", status="met")
    make_goal(other, cm, "Someone else's")
    assert services.goals_for_picker(client) == [sooner, later, undated]


def test_mark_met_records_who_and_when_once(people, frozen_clock):
    client = factories.client(people["admin"].organization)
    goal = make_goal(client, people["admin"])
    assert services.mark_met(people["case_manager"], goal) is True
    assert (goal.status, goal.status_changed_by_id, goal.status_changed_at) == (
        "met", people["case_manager"].id, frozen_clock.utcnow())
    frozen_clock.advance(timedelta(hours=1))
    assert services.mark_met(people["supervisor"], goal) is False  # a second press changes nothing
    assert goal.status_changed_by_id == people["case_manager"].id
    with pytest.raises(services.GoalClosed):
        services.set_goal_status(people["case_manager"], goal, "withdrawn")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "goal.status_changed",
                                                         AuditEvent.client_id == client.id)).all()
    assert len(events) == 1


def test_create_checks_every_field_and_keeps_nothing_on_refusal(people):
    client = factories.client(people["admin"].organization)
    cm = people["case_manager"]
    for data, field in (({"title": " ", "domain": "food"}, "title"), ({"title": "A", "domain": "pets"}, "domain"),
                        ({"title": "A", "domain": "food", "target_date": date(1999, 1, 1)}, "target_date")):
        with pytest.raises(services.InvalidGoal) as err:
            services.create_goal(cm, client, **data)
        assert err.value.field == field
    assert db.session.scalar(select(Goal).where(Goal.client_id == client.id)) is None


def test_the_demo_gives_clients_open_and_met_goals(app):
    from portal_app.clients.models import Client
    from portal_app.demo import load_demo

    assert load_demo()
    maria = db.session.scalar(select(Client).where(Client.first_name == "María"))
    titles = {g.title: g.status for g in db.session.scalars(select(Goal).where(Goal.client_id == maria.id))}
    assert titles == {"Move into a two-bedroom apartment": "open", "Enroll in evening English classes": "met"}
    assert db.session.scalar(select(Goal).join(Client).where(Client.first_name == "Sam")) is not None


def test_a_portal_account_sees_goals_only_through_its_own_active_access(people):
    from portal_app.clock import utcnow

    client = factories.client(people["admin"].organization)
    mine, theirs = factories.account("goalsmine"), factories.account("goalstheirs")
    access = factories.access(mine, client, relationship="self")
    other = factories.access(theirs, client, label="father")
    assert can(mine, Permission.PORTAL_GOALS, access)
    assert not can(mine, Permission.PORTAL_GOALS, other)  # someone else's access
    assert not can(mine, Permission.PORTAL_GOALS, client)  # only through an access
    assert not can(people["case_manager"], Permission.PORTAL_GOALS, access)
    access.revoked_at = utcnow()
    assert not can(mine, Permission.PORTAL_GOALS, access)
