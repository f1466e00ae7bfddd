"""Chromium tests: a separate application served over real HTTP on a scratch database.

The autouse `_db` fixture of tests/conftest.py opens no rolled-back transaction for a test that
uses `live_server` (keep that name): the server's threads commit for real, into a database of
their own that is dropped afterwards.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal_app import create_app
from portal_app.extensions import db
from tests import factories
from tests.conftest import DEMO_PASSWORD, IN_CI
from tests.scratch_databases import scratch_database

# The full suite runs the browser tests on a loaded two-core machine: a page can take longer than Playwright's 5 s
# default to answer there. A waiting assertion returns as soon as it holds, so a longer bound slows no passing test.
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class LiveServer:
    url: str
    password: str = DEMO_PASSWORD
    people: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> email, name, organization


def _seed() -> dict[str, dict[str, str]]:
    """An agency with an admin, a case manager and a client on the caseload; a partner organization
    with its user. Committed."""
    from portal_app.clients.models import PRIMARY_CASE_MANAGER, CareTeamMember, Client

    agency = factories.agency("Riverside County Probation")
    partner_org = factories.partner_organization("Harbor Counseling Center")
    admin = factories.user(agency, role="admin", email="alex@riverside.test", first_name="Alex", last_name="Admin")
    case_manager = factories.user(agency, role="case_manager", email="casey@riverside.test",
                                  first_name="Casey", last_name="Morgan")
    partner = factories.user(partner_org, role="partner", email="pat@harbor.test",
                             first_name="Pat", last_name="Rivera")
    client = Client(organization=agency, first_name="Jamie", last_name="Fields", phone="(541) 555-0190")
    client.care_team.append(CareTeamMember(user=case_manager, role=PRIMARY_CASE_MANAGER))
    db.session.add(client)
    guardian = _seed_family(agency, case_manager)
    jamie = _seed_messaging(client, case_manager)
    db.session.commit()
    people = {
        person.role: {"email": person.email, "name": person.display_name, "organization": person.organization.name}
        for person in (admin, case_manager, partner)
    }
    people["client"] = {"id": str(client.id), "name": client.display_name}
    people["guardian"] = guardian
    people["jamie"] = jamie
    return people


def _seed_family(agency, case_manager) -> dict[str, str]:
    """A guardian's one portal login acting for two children, each with their own case manager."""
    from portal_app.clients.models import PRIMARY_CASE_MANAGER, CareTeamMember, Client
    from portal_app.portal_access.models import (
        ClientAccess,
        PortalAccount,
        Relationship,
    )

    other_manager = factories.user(agency, role="case_manager", email="quinn@riverside.test",
                                   first_name="Morgan", last_name="Quinn")
    account = PortalAccount(username="guardian1", email="parent@family.test",
                            password_hash=factories._hash(DEMO_PASSWORD))
    children = []
    for first, manager in (("Avery", case_manager), ("Riley", other_manager)):
        child = Client(organization=agency, first_name=first, last_name="Stone")
        child.care_team.append(CareTeamMember(user=manager, role=PRIMARY_CASE_MANAGER))
        access = ClientAccess(account=account, client=child, relationship_kind=Relationship.REPRESENTATIVE,
                              relationship_label="mother", can_sign=True)
        db.session.add_all([child, access])
        children.append((child, manager))
    db.session.add(account)
    return {"username": "guardian1", "first": "Avery Stone", "first_manager": children[0][1].display_name,
            "second": "Riley Stone", "second_manager": children[1][1].display_name}


def _seed_messaging(client, case_manager) -> dict[str, str]:
    """Messaging: the case manager holds the "Messaging" permission (the agency's module is on) and
    Jamie signs in to the portal as themself ("jamie")."""
    from portal_app.portal_access.models import (
        ClientAccess,
        PortalAccount,
        Relationship,
    )

    case_manager.perm_messaging = True
    account = PortalAccount(username="jamie", email="jamie@family.test", password_hash=factories._hash(DEMO_PASSWORD))
    db.session.add_all([account, ClientAccess(account=account, client=client, relationship_kind=Relationship.SELF)])
    return {"username": "jamie"}


def htmx_settled(page) -> None:
    """Wait until htmx has swapped and settled what it last fetched: the new elements are bound (htmx binds
    swapped-in content after its settle delay), so the next event on them reaches the server."""
    page.wait_for_function("() => window.htmx && !document.querySelector("
                           "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")



def choose_redrawing(page, label: str, option: str, url_part: str) -> None:
    """Pick an option whose change redraws the form with htmx (a GET whose URL holds `url_part`): wait until
    the form on screen is bound before, and the redrawn one after, so neither change is lost."""
    htmx_settled(page)
    with page.expect_response(lambda r: url_part in r.url):
        page.get_by_label(label).select_option(label=option)
    htmx_settled(page)

@contextmanager
def seeded_server(tmp_path, name: str, extra_seed: Callable[[dict], Any] | None = None) -> Iterator[tuple[LiveServer, Any]]:
    """The application on 127.0.0.1 (a free port), threaded, seeded (plus `extra_seed(people)`, whose
    result is yielded beside the server), on a scratch database, in a daemon thread."""
    with scratch_database(tmp_path, name) as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                                  "FILES_DIR": str(tmp_path / "files")})
        with app.app_context():
            db.create_all()
            people = _seed()
            extra = extra_seed(people) if extra_seed else None
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
        thread.start()
        try:
            yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", people=people), extra
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """The seeded application, served over real HTTP for one test."""
    with seeded_server(tmp_path, "live") as (server, _):
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
