"""Single-request times of the busy pages at demo size and at 10k (QUALITY.md P6: within 1.5x).

Run from the worktree (not collected by pytest):

    CASEPORT_ENV=test .venv/bin/python tests/bench/scale_timings.py            # SQLite, a temporary file
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caseport_bench \\
        CASEPORT_ENV=test .venv/bin/python tests/bench/scale_timings.py        # PostgreSQL (emptied first)

It loads the demo network, times each page (median of a few requests through the test client, after
one warm-up), then grows the demo agency to 10,000 clients, 200,000 contacts (one client with 2,000),
200,000 messages in 40,000 conversations, 1,500 shares and 2,000 portal accounts with bulk inserts
through the models, and times the same pages again.
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

from sqlalchemy import event, func, insert, select, text  # noqa: E402

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

    def time(self, url: str, repeat: int, headers: dict | None = None) -> float:
        """Median milliseconds of `repeat` requests after one warm-up; the page must answer 200."""
        response = self.client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            self.client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)


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


def measure(app, ids: dict, repeat: int, slow_ms: float | None = None) -> dict[str, float]:
    """Median time of each page; with slow_ms, also print each page's statements slower than that."""
    times = {}
    for label, session, url, headers in pages(app, ids):
        times[label] = session.time(url, repeat, headers)
        if slow_ms is not None:
            with _statement_timer(app) as slow:
                session.client.get(url, headers=headers)
            for ms, statement in sorted(slow, reverse=True):
                if ms >= slow_ms:
                    print(f"  {label}: {ms:.1f} ms  {' '.join(statement.split())[:300]}")
    return times


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--conversations", type=int, default=40_000)
    parser.add_argument("--shares", type=int, default=1_500)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--big-log", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reuse", action="store_true",
                        help="DATABASE_URL already holds the grown data set: only time the pages at that size")
    parser.add_argument("--slow-ms", type=float, default=None, help="print each page's statements slower than this")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/scale.sqlite3"
    files = tempfile.mkdtemp()
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "FILES_DIR": files, "LOGIN_RATE_LIMIT": "1000 per minute",
                              "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute"})
    if args.reuse:
        with app.app_context():
            big_client = db.session.scalar(select(Contact.client_id).group_by(Contact.client_id)
                                           .order_by(func.count().desc()).limit(1))
        for label, ms in measure(app, {"big_client": big_client}, args.repeat, args.slow_ms).items():
            print(f"{label:<32} {ms:>8.1f}")
        return
    with app.app_context():
        db.drop_all()
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        load_demo()
        db.session.commit()
    print(f"database: {db.engine.url.get_backend_name() if False else url.split(':')[0]}")
    demo = measure(app, {}, args.repeat)
    started = time.perf_counter()
    with app.app_context():
        ids = grow(args.clients, args.contacts, args.messages, args.conversations, args.shares, args.accounts,
                   args.big_log)
        if url.startswith("postgresql"):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    print(f"grown to {args.clients:,} clients in {time.perf_counter() - started:.1f} s")
    big = measure(app, ids, args.repeat, args.slow_ms)
    print(f"\n{'page':<32} {'demo ms':>8} {'10k ms':>8} {'ratio':>6}")
    for label, ms in demo.items():
        print(f"{label:<32} {ms:>8.1f} {big[label]:>8.1f} {big[label] / ms:>6.2f}")


if __name__ == "__main__":
    main()
