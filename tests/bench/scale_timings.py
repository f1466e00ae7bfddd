"""Single-request times of the busy pages at demo size and at 10k (QUALITY.md P6: within 1.5x).

Run from the worktree (not collected by pytest):

    CASEPORT_ENV=test .venv/bin/python tests/bench/scale_timings.py            # SQLite, a temporary file
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caseport_bench \\
        CASEPORT_ENV=test .venv/bin/python tests/bench/scale_timings.py        # PostgreSQL (emptied first)

It loads the demo network into two databases (the second one beside the first: another SQLite file, or
<name>_demo on PostgreSQL), grows one of them to 10,000 clients, 200,000 contacts (one client with
2,000), 200,000 messages in 40,000 conversations, 1,500 shares and 2,000 portal accounts with bulk
inserts through the models, then times each page through the test client at both sizes, alternating
request by request (so load from elsewhere on the machine falls on both alike): medians after a warm-up.
"""
from __future__ import annotations

import argparse
from contextlib import contextmanager
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal_app import create_app  # noqa: E402
from portal_app.accounts.models import Organization, User  # noqa: E402
from portal_app.clients.models import CareTeamMember, Client  # noqa: E402
from portal_app.clock import utcnow  # noqa: E402
from portal_app.demo import AGENCY_NAME, DEMO_PASSWORD, load_demo  # noqa: E402
from portal_app.extensions import db  # noqa: E402
from portal_app.messaging.models import Conversation, Message  # noqa: E402
from portal_app.portal_access.models import ClientAccess, PortalAccount  # noqa: E402
from portal_app.sharing.models import ClientShare, Contact, ContactSource  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FIRST = ["María", "José", "Ana", "Luis", "James", "Aaliyah", "Tyler", "Priya", "Núria", "Zoë", "Kevin", "Latoya"]
LAST = ["González", "Núñez", "Peña", "Álvarez", "Whitaker", "Brooks", "Nguyen", "O'Connell", "Raman", "Carter",
        "Bell", "Jenkins", "Delgado", "Ruiz", "Smith", "Johnson", "Lee", "Martínez", "Østergaard", "Çelik"]
BATCH = 5_000


def _chunks(rows: list[dict], size: int = BATCH):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _bulk(model, rows: list[dict]) -> list[int]:
    """Insert through the model in batches; the new ids in order."""
    ids: list[int] = []
    for chunk in _chunks(rows):
        ids += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), chunk).all()
    return ids


def grow(clients: int, contacts: int, messages: int, conversations: int, shares: int, accounts: int,
         big_log: int) -> dict:
    """Bulk-load the demo agency up to the given sizes; returns ids of the pages' subjects."""
    rng = random.Random(8)
    now = utcnow()
    agency = db.session.scalar(select(Organization).where(Organization.name == AGENCY_NAME))
    staff = {u.email.split("@")[0]: u for u in db.session.scalars(select(User).where(User.organization_id == agency.id))}
    hope = db.session.scalar(select(User).where(User.email == "partner@hope.example"))
    existing = db.session.scalar(select(db.func.count(Client.id)).where(Client.organization_id == agency.id))
    n = clients - existing
    rows = [{"organization_id": agency.id, "first_name": rng.choice(FIRST), "middle_name": "",
             "last_name": f"{rng.choice(LAST)}", "phone": f"(541) 555-{i % 10_000:04d}",
             "email": f"client{i}@example.org", "preferred_language": "en"} for i in range(n)]
    client_ids = _bulk(Client, rows)
    managers = [staff["casey"].id, staff["jordan"].id]
    db.session.execute(insert(CareTeamMember), [{"client_id": c, "user_id": managers[i % 2], "role": "Case manager"}
                                                 for i, c in enumerate(client_ids)])
    big = client_ids[0]
    contact_rows = [{"client_id": big, "author_id": hope.id, "organization_id": hope.organization_id,
                     "occurred_at": now - timedelta(hours=i), "method": "phone", "notes": "Bulk contact.",
                     "source": ContactSource.THIRD_PARTY if i % 4 == 0 else ContactSource.STAFF,
                     "reviewed_at": now if i % 8 else None} for i in range(big_log)]
    for i in range(contacts - big_log):
        third = i % 10 == 0
        contact_rows.append({
            "client_id": client_ids[i % len(client_ids)], "author_id": hope.id if third else managers[i % 2],
            "organization_id": hope.organization_id if third else agency.id,
            "occurred_at": now - timedelta(minutes=i), "method": "in_person", "notes": "Bulk contact.",
            "source": ContactSource.THIRD_PARTY if third else ContactSource.STAFF,
            "reviewed_at": None if third and i % 3 == 0 else (now if third else None)})
    _bulk(Contact, contact_rows)
    share_rows = [{"client_id": c, "organization_id": hope.organization_id, "note": "Bulk share.",
                   "shared_by_id": managers[0], "shared_at": now} for c in client_ids[:shares]]
    _bulk(ClientShare, share_rows)
    account_rows = [{"username": f"bulk{i}", "email": f"bulk{i}@example.org", "password_hash": "x"}
                    for i in range(accounts)]
    account_ids = _bulk(PortalAccount, account_rows)
    db.session.execute(insert(ClientAccess), [{"account_id": a, "client_id": c, "relationship": "self"}
                                              for a, c in zip(account_ids, client_ids, strict=False)])
    conv_rows = [{"client_id": client_ids[i % len(client_ids)], "subject": f"Bulk {i}", "staff_id": managers[i % 2],
                  "audience_all": True, "created_at": now - timedelta(minutes=2 * i),
                  "last_message_at": now - timedelta(minutes=i)} for i in range(conversations)]
    conv_ids = _bulk(Conversation, conv_rows)
    per = messages // conversations
    msg_rows = []
    for i, conv in enumerate(conv_ids):
        for k in range(per):
            from_portal = k % 2 == 1 and i < len(account_ids)
            msg_rows.append({"conversation_id": conv, "body_html": "<p>Bulk message.</p>",
                             "sender_staff_id": None if from_portal else managers[i % 2],
                             "sender_account_id": account_ids[i] if from_portal else None,
                             "created_at": now - timedelta(minutes=i, seconds=per - k)})
    _bulk(Message, msg_rows)
    try:
        from portal_app.messaging.core import catch_up_last_messages
    except ImportError:  # the code before conversations kept their last message
        pass
    else:
        catch_up_last_messages(conv_ids)
    try:
        from portal_app.clients.search import index_clients
    except ImportError:  # the code before search terms existed
        pass
    else:
        index_clients(client_ids)
    try:
        from portal_app.sharing.models import rebuild_review_waiting
    except ImportError:  # the code before case managers' Needs Review entries were kept
        pass
    else:
        rebuild_review_waiting()
    db.session.commit()
    return {"big_client": big}


class Session:
    """A test client signed in on one site."""

    def __init__(self, app, site: str, login: str):
        self.client = app.test_client()
        html = self.client.get(f"/{site}/login").get_data(as_text=True)
        match = CSRF_RE.search(html)
        field = "username" if site == "portal" else "email"
        response = self.client.post(f"/{site}/login", data={field: login, "password": DEMO_PASSWORD,
                                                            "csrf_token": match.group(1) or match.group(2)})
        assert response.status_code in (302, 303), (site, login, response.status_code)

    def act_for(self, client_id: int) -> None:
        """Portal: act for this client (a guardian's family login)."""
        html = self.client.get("/portal/switch").get_data(as_text=True)
        match = CSRF_RE.search(html)
        response = self.client.post("/portal/acting-for", data={"client_id": client_id,
                                                                "csrf_token": match.group(1) or match.group(2)})
        assert response.status_code in (302, 303), response.status_code

    def once(self, url: str, headers: dict | None = None) -> float:
        """Milliseconds of one request; the page must answer 200."""
        started = time.perf_counter()
        response = self.client.get(url, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed


def pages(app, ids: dict) -> list[tuple[str, Session, str, dict | None]]:
    """(label, signed-in session, url, headers) of every busy page."""
    with app.app_context():
        maria = db.session.scalar(select(Client.id).where(Client.email == "maria.gonzalez@example.org"))
        sam = db.session.scalar(select(Client.id).where(Client.first_name == "Sam"))
        conv = db.session.scalar(select(Conversation.id).where(Conversation.client_id == maria)
                                 .order_by(Conversation.id))
        sam_conv = db.session.scalar(select(Conversation.id).where(Conversation.client_id == sam)
                                     .order_by(Conversation.id))
    supervisor = Session(app, "staff", "supervisor@riverside.example")
    casey = Session(app, "staff", "casey@riverside.example")
    partner = Session(app, "partner", "partner@hope.example")
    self_portal = Session(app, "portal", "maria")
    guardian = Session(app, "portal", "guardian")
    guardian.act_for(sam)
    big = ids.get("big_client", maria)
    return [
        ("staff client list", supervisor, "/staff/clients", None),
        ("client search fragment", supervisor, "/staff/clients?q=gonz", {"HX-Request": "true"}),
        ("client profile", supervisor, f"/staff/clients/{maria}", None),
        ("client log", supervisor, f"/staff/clients/{maria}/log", None),
        ("client log (big client)", supervisor, f"/staff/clients/{big}/log", None),
        ("staff home (supervisor)", supervisor, "/staff/", None),
        ("staff home (case manager)", casey, "/staff/", None),
        ("inbox (supervisor)", supervisor, "/staff/messages", None),
        ("inbox (case manager)", casey, "/staff/messages", None),
        ("staff conversation", supervisor, f"/staff/messages/{conv}", None),
        ("partner shared clients", partner, "/partner/", None),
        ("partner shared client", partner, f"/partner/clients/{maria}", None),
        ("portal home (self)", self_portal, "/portal/", None),
        ("portal messages (self)", self_portal, "/portal/messages", None),
        ("portal conversation (self)", self_portal, f"/portal/messages/{conv}", None),
        ("portal messages (guardian)", guardian, "/portal/messages", None),
        ("portal conversation (guardian)", guardian, f"/portal/messages/{sam_conv}", None),
    ]


def measure(demo: list, big: list, repeat: int, slow_ms: float | None, big_app) -> list[tuple[str, float, float]]:
    """(label, demo ms, 10k ms) of each page: medians of `repeat` requests after a warm-up, the two sizes
    alternating request by request so that load from elsewhere on the machine falls on both alike."""
    rows = []
    for (label, demo_session, demo_url, headers), (_, big_session, big_url, _) in zip(demo, big, strict=True):
        demo_session.once(demo_url, headers), big_session.once(big_url, headers)
        demo_times, big_times = [], []
        for _ in range(repeat):
            demo_times.append(demo_session.once(demo_url, headers))
            big_times.append(big_session.once(big_url, headers))
        rows.append((label, statistics.median(demo_times), statistics.median(big_times)))
        if slow_ms is not None:
            with _statement_timer(big_app) as slow:
                big_session.once(big_url, headers)
            for ms, statement in sorted(slow, reverse=True):
                if ms >= slow_ms:
                    print(f"  {label}: {ms:.1f} ms  {' '.join(statement.split())[:300]}")
    return rows


@contextmanager
def _statement_timer(app):
    """(ms, SQL) of every statement sent inside the block."""
    found: list[tuple[float, str]] = []
    started: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        started.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        found.append(((time.perf_counter() - started.pop()) * 1000, statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _app(url: str):
    return create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "FILES_DIR": tempfile.mkdtemp(),
                               "LOGIN_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute"})


def _demo_url(url: str) -> str:
    """A second database for the demo-size measurements: another SQLite file, or <name>_demo on PostgreSQL."""
    if not url.startswith("postgresql"):
        return f"sqlite:///{tempfile.mkdtemp()}/demo.sqlite3"
    parsed = make_url(url)
    name = f"{parsed.database}_demo"
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _load(app, url: str) -> None:
    """An empty schema with the demo network."""
    with app.app_context():
        db.drop_all()
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        load_demo()
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--conversations", type=int, default=40_000)
    parser.add_argument("--shares", type=int, default=1_500)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--big-log", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--reuse", action="store_true",
                        help="DATABASE_URL already holds the grown data set (from an earlier run): do not rebuild it")
    parser.add_argument("--slow-ms", type=float, default=None, help="print each page's statements slower than this")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/scale.sqlite3"
    demo_url = _demo_url(url)
    demo_app, big_app = _app(demo_url), _app(url)
    _load(demo_app, demo_url)
    print(f"database: {url.split(':')[0]}")
    if args.reuse:
        with big_app.app_context():
            ids = {"big_client": db.session.scalar(select(Contact.client_id).group_by(Contact.client_id)
                                                   .order_by(func.count().desc()).limit(1))}
    else:
        _load(big_app, url)
        started = time.perf_counter()
        with big_app.app_context():
            ids = grow(args.clients, args.contacts, args.messages, args.conversations, args.shares, args.accounts,
                       args.big_log)
            if url.startswith("postgresql"):
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM ANALYZE"))
            else:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        print(f"grown to {args.clients:,} clients in {time.perf_counter() - started:.1f} s")
    rows = measure(pages(demo_app, {}), pages(big_app, ids), args.repeat, args.slow_ms, big_app)
    print(f"\n{'page':<32} {'demo ms':>8} {'10k ms':>8} {'ratio':>6}")
    for label, demo_ms, big_ms in rows:
        print(f"{label:<32} {demo_ms:>8.1f} {big_ms:>8.1f} {big_ms / demo_ms:>6.2f}")


if __name__ == "__main__":
    main()
