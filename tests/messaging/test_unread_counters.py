"""The badges' unread counters stay exact: sends, reads, new participants, hidden items, concurrent writers (P6)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import orm, select

from portal_app import create_app
from portal_app.accounts.models import User
from portal_app.extensions import db
from portal_app.messaging import core, portal_queries, portal_services, queries, services, unread
from portal_app.messaging.models import AwaitingStaff
from portal_app.portal_access import hiding as access_services
from portal_app.portal_access.models import ClientAccess
from tests import factories
from tests.messaging.helpers import allow_messaging, bulk_conversations, family
from tests.scratch_databases import scratch_database
from tests.sql import count_statements


def staff_readers():
    return list(db.session.scalars(select(User).where(User.role != "partner")))


def waiting_for(user) -> tuple[set[int], set[int]]:
    """The conversations kept as waiting for the staff member (AwaitingStaff), and those found the slow way:
    last message from the portal, not read by them."""
    kept = set(db.session.scalars(select(AwaitingStaff.conversation_id).where(AwaitingStaff.user_id == user.id)))
    return kept, {cid for _, cid, _ in db.session.execute(queries.awaiting_rows(user))}


def assert_exact(*extra_accesses) -> None:
    """Every staff user's and every active access's kept count equals the count made the slow way; so do the
    conversations kept as waiting for each staff member whose count is known (the staff home's panel)."""
    for user in staff_readers():
        assert queries.unread_count(user) == queries.exact_unread_count(user), user.email
        if unread.known(unread.STAFF, user.id) is not None:
            kept, found = waiting_for(user)
            assert kept == found, user.email
    for access in db.session.scalars(select(ClientAccess).where(ClientAccess.revoked_at.is_(None))):
        assert portal_queries.unread_count(access) == portal_queries.exact_unread_count(access), access.id


@pytest.fixture
def world(agency, supervisor, case_manager, admin):
    allow_messaging(supervisor, case_manager, admin)
    client, own, mother = family(agency, case_manager)
    father = factories.access(factories.account(), client, "representative", "father")
    outsider = factories.user(agency, role="case_manager", email="other@agency.test")
    allow_messaging(outsider)
    for user in (supervisor, case_manager, admin, outsider):  # every badge known from the start
        unread.recount(unread.STAFF, user.id)
    for access in (own, mother, father):
        unread.recount(unread.PORTAL, access.id)
    return {"client": client, "own": own, "mother": mother, "father": father, "cm": case_manager,
            "sup": supervisor, "outsider": outsider}


def test_counts_follow_sends_reads_hidden_items_and_new_participants(world, supervisor):
    w = world
    to_all = services.start_conversation(w["cm"], w["client"], subject="All", body_html="<p>a</p>", account_ids=None)
    to_mother = services.start_conversation(w["cm"], w["client"], subject="Mum", body_html="<p>m</p>",
                                            account_ids=[w["mother"].account_id])
    assert portal_queries.unread_count(w["mother"]) == 2 and portal_queries.unread_count(w["father"]) == 1
    assert queries.unread_count(w["sup"]) == 2 and queries.unread_count(w["cm"]) == 0
    assert queries.unread_count(w["outsider"]) == 0  # not on the care team, not assigned
    assert_exact()

    portal_services.reply_as_portal(w["mother"], to_all, "Thanks")  # the mother's own message leaves it read for her
    assert portal_queries.unread_count(w["mother"]) == 1 and queries.unread_count(w["cm"]) == 1
    portal_services.mark_read_by_portal(w["mother"], to_mother)
    portal_services.mark_read_by_portal(w["mother"], to_mother)  # twice: counted down once
    assert portal_queries.unread_count(w["mother"]) == 0
    services.mark_read_by_staff(w["sup"], to_all)
    services.reply_as_staff(w["cm"], to_all, "<p>again</p>")
    assert_exact()

    # A case manager outside the conversation answers it: it joins their inbox as read.
    services.reply_as_staff(w["outsider"], to_all, "<p>covering</p>")
    assert queries.unread_count(w["outsider"]) == 0
    services.reply_as_staff(w["cm"], to_all, "<p>back</p>")
    assert queries.unread_count(w["outsider"]) == 1
    assert_exact()

    # Hidden from the father: his badge drops it; shown again, it is back.
    access_services.hide_item(supervisor, w["father"], "conversation", to_all.id)
    assert portal_queries.unread_count(w["father"]) == 0
    services.reply_as_staff(w["cm"], to_all, "<p>hidden from dad</p>")
    assert_exact()
    access_services.show_item(supervisor, w["father"], "conversation", to_all.id)
    assert portal_queries.unread_count(w["father"]) == 1
    assert_exact()

    # A new participant (an aunt invited later) sees the conversations to everyone, all unread.
    aunt = factories.access(factories.account(), w["client"], "representative", "aunt")
    assert portal_queries.unread_count(aunt) == 1
    services.reply_as_staff(w["cm"], to_all, "<p>welcome</p>")
    portal_services.mark_read_by_portal(aunt, to_all)
    assert portal_queries.unread_count(aunt) == 0
    assert_exact()

    # A new client on the outsider's caseload brings its unread conversations into their inbox.
    factories.care_team(w["client"], w["outsider"])
    db.session.flush()
    assert_exact()


def test_portal_started_conversation_counts_for_staff_not_the_starter(world):
    w = world
    portal_services.start_conversation_from_portal(w["mother"], w["cm"].id, "Question", "Hello")
    assert portal_queries.unread_count(w["mother"]) == 0 and portal_queries.unread_count(w["father"]) == 0
    assert queries.unread_count(w["cm"]) == 1 and queries.unread_count(w["sup"]) == 1
    assert_exact()


def test_bulk_loads_forget_counts_and_the_badge_counts_exactly_meanwhile(world):
    w = world
    bulk_conversations(w["client"], w["cm"], 5, portal_account_id=w["own"].account_id)
    unread.forget_all()  # as after a bulk load that skips the helpers' recount
    assert unread.known(unread.STAFF, w["cm"].id) is None
    assert queries.unread_count(w["cm"]) == 5
    assert unread.recount_all() >= 4
    assert unread.known(unread.STAFF, w["cm"].id) == 5
    assert_exact()


def test_the_badge_is_one_query_whatever_the_inbox_holds(world):
    w = world
    for n in (10, 990):
        bulk_conversations(w["client"], w["cm"], n, portal_account_id=w["own"].account_id)
        unread.recount_all()
        with count_statements() as statements:
            assert queries.unread_count(w["sup"]) == portal_queries.unread_count(w["mother"]) == n + (10 if n > 10 else 0)
        badge = [s for s in statements if "unread_counter" in s or "conversation" in s]
        assert len(badge) == 2 and all("FROM unread_counter" in s for s in badge)  # one primary-key lookup each


# -- Concurrent writers on committed rows, each thread its own session (no lost update) ----------------

THREADS, ROUNDS = 4, 3


@pytest.fixture
def separate_app(database_url, tmp_path, monkeypatch):
    with scratch_database(tmp_path, "unread", database_url) as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX_DIR": str(tmp_path / "outbox")})
        with app.app_context():
            db.create_all()
            engine = db.engine
        monkeypatch.setattr(db, "session", orm.scoped_session(orm.sessionmaker(bind=engine),
                                                              scopefunc=threading.get_ident))
        try:
            yield app
        finally:
            db.session.remove()
            engine.dispose()


def _run(app, jobs) -> list[BaseException]:
    start, errors = threading.Barrier(len(jobs)), []

    def work(job) -> None:
        try:
            with app.app_context():
                start.wait(timeout=20)
                for _ in range(ROUNDS):
                    job()
                    db.session.commit()
        except BaseException as err:  # noqa: BLE001  (reported by the main thread)
            errors.append(err)
        finally:
            db.session.remove()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_sends_and_reads_lose_no_update(separate_app):
    app = separate_app
    with app.app_context():
        agency = factories.agency()
        sup = factories.user(agency, role="supervisor", email="sup@agency.test")
        cm = factories.user(agency, role="case_manager", email="cm@agency.test")
        allow_messaging(sup, cm)
        client, own, mother = family(agency, cm)
        conversations = [services.start_conversation(cm, client, subject=f"T{i}", body_html="<p>x</p>",
                                                     account_ids=None).id for i in range(THREADS)]
        for cid in conversations:
            conv = db.session.get(core.Conversation, cid)
            services.mark_read_by_staff(sup, conv)
            portal_services.mark_read_by_portal(mother, conv)
        ids = {"sup": sup.id, "cm": cm.id, "mother": mother.id, "own": own.id}
        db.session.commit()

    def staff_sends(cid):
        def job():
            conv = db.session.get(core.Conversation, cid)
            services.reply_as_staff(db.session.get(User, ids["cm"]), conv, "<p>news</p>")
        return job

    def portal_sends(cid):
        def job():
            conv = db.session.get(core.Conversation, cid)
            portal_services.reply_as_portal(db.session.get(ClientAccess, ids["own"]), conv, "ok")
        return job

    def supervisor_reads(cid):
        def job():
            services.mark_read_by_staff(db.session.get(User, ids["sup"]),
                                        db.session.get(core.Conversation, cid))
        return job

    def mother_reads(cid):
        def job():
            portal_services.mark_read_by_portal(db.session.get(ClientAccess, ids["mother"]),
                                       db.session.get(core.Conversation, cid))
        return job

    # Each thread moves the shared counters (supervisor, mother, case manager) from its own conversation;
    # then sends and reads of the same conversations race each other.
    errors = _run(app, [staff_sends(c) for c in conversations])
    errors += _run(app, [portal_sends(c) for c in conversations])
    errors += _run(app, [job(c) for c in conversations for job in (staff_sends, supervisor_reads, mother_reads)])
    errors += _run(app, [job(c) for c in conversations for job in (portal_sends, supervisor_reads)])
    assert errors == []
    with app.app_context():
        sup, cm = db.session.get(User, ids["sup"]), db.session.get(User, ids["cm"])
        mother, own = db.session.get(ClientAccess, ids["mother"]), db.session.get(ClientAccess, ids["own"])
        assert unread.known(unread.STAFF, sup.id) == queries.exact_unread_count(sup)
        assert unread.known(unread.STAFF, cm.id) == queries.exact_unread_count(cm)
        for staff in (sup, cm):  # what waits for them on the home, too
            kept, found = waiting_for(staff)
            assert kept == found, staff.email
        assert waiting_for(cm)[1], "the client's last messages wait for the case manager, who read none"
        assert unread.known(unread.PORTAL, mother.id) == portal_queries.exact_unread_count(mother)
        assert unread.known(unread.PORTAL, own.id) == portal_queries.exact_unread_count(own)
        db.session.remove()
