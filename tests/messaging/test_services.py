"""Staff-side messaging services: start, respond, read (audited), My Info's switch, mass sending."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal_app import worker
from portal_app.audit import AuditEvent
from portal_app.extensions import db
from portal_app.messaging import services
from portal_app.messaging.models import Conversation, MassSend, Message, ReadState
from portal_app.outbox import OutboxEmail
from tests import factories
from tests.messaging.helpers import allow_messaging, family
from tests import factories as sf
from tests import factories as pf


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def cm(case_manager):
    allow_messaging(case_manager)
    return case_manager


def test_start_conversation_to_everyone(cm):
    client, _, _ = family(cm.organization)
    conv = services.start_conversation(cm, client, subject=" Visit ", body_html="<p>Hi <b>there</b></p>",
                                       account_ids=None)
    assert conv.audience_all and conv.subject == "Visit" and conv.staff_id == cm.id
    assert [m.body_html for m in conv.messages] == ["<p>Hi <b>there</b></p>"]
    assert count(OutboxEmail) == 2  # the client and the mother
    assert len(events("message.sent")) == 1


def test_start_conversation_to_chosen_representative(cm):
    client, _, mother = family(cm.organization)
    conv = services.start_conversation(cm, client, subject="S", body_html="<p>Hi</p>", account_ids=[mother.account_id])
    assert not conv.audience_all and [r.account_id for r in conv.recipients] == [mother.account_id]
    assert db.session.scalars(select(OutboxEmail.to_address)).all() == [mother.account.email]


@pytest.mark.parametrize("chosen", [[], [999999]])
def test_chosen_accounts_must_act_for_the_client(cm, chosen):
    client, _, _ = family(cm.organization)
    with pytest.raises(services.UnknownRecipient):
        services.start_conversation(cm, client, subject="S", body_html="<p>Hi</p>", account_ids=chosen)


def test_no_portal_access_is_refused_with_a_sentence(cm):
    client = sf.client(cm.organization)
    revoked = pf.access(pf.account(), client, "self")
    revoked.revoked_at = revoked.granted_at
    with pytest.raises(services.NoPortalAccess) as err:
        services.start_conversation(cm, client, subject="S", body_html="<p>Hi</p>", account_ids=None)
    assert err.value.status == 422 and "Client Portal" in str(err.value)
    assert count(Conversation) == 0


def test_start_needs_the_messaging_permission(case_manager):
    client, _, _ = family(case_manager.organization)
    with pytest.raises(services.NotAllowed):
        services.start_conversation(case_manager, client, subject="S", body_html="<p>Hi</p>", account_ids=None)


def test_reply_is_sanitized_and_reading_is_audited(cm):
    client, _, _ = family(cm.organization)
    conv = services.start_conversation(cm, client, subject="S", body_html="<p>Hi</p>", account_ids=None)
    reply = services.reply_as_staff(cm, conv, '<p onclick="x()">Ok<script>bad()</script></p>')
    assert reply.body_html == "<p>Ok</p>"
    services.mark_read_by_staff(cm, conv)
    services.mark_read_by_staff(cm, conv)
    assert len(events("conversation.viewed")) == 2  # every read, not only the first
    state = db.session.scalar(select(ReadState).where(ReadState.reader_kind == "staff", ReadState.reader_id == cm.id))
    assert state.last_read_message_id == reply.id


def test_allow_client_contact_is_stored_and_audited(cm):
    assert services.set_allow_client_contact(cm, False) is True
    assert cm.allow_client_contact is False
    assert services.set_allow_client_contact(cm, False) is False
    [event] = events("account.client_contact_changed")
    assert '"allowed": false' in event.details


def test_mass_send_only_queues_then_delivers_in_batches(cm):
    with_access = [family(cm.organization, first_name=f"A{i}")[0] for i in range(3)]
    without = [sf.client(cm.organization) for _ in range(2)]
    job = services.create_mass_send(cm, [c.id for c in with_access + without] + [with_access[0].id], "News",
                                    "<p>Office closed Friday</p>")
    assert (job.status, job.total, count(Conversation)) == ("queued", 5, 0)
    assert services.process_mass_send(job, batch_size=2) is False
    assert (job.status, job.processed, job.delivered) == ("running", 2, 2)
    while not services.process_mass_send(job, batch_size=2):
        pass
    assert (job.status, job.processed, job.delivered, job.skipped) == ("done", 5, 3, 2)
    assert job.finished_at is not None
    assert count(Conversation, Conversation.mass_send_id == job.id) == 3
    assert count(Message) == 3


def test_mass_send_refuses_other_agencies_and_empty_lists(cm):
    other = sf.client(factories.agency())
    with pytest.raises(services.ClientOutsideAgency):
        services.create_mass_send(cm, [other.id], "S", "<p>Hi</p>")
    with pytest.raises(services.NoClientsChosen):
        services.create_mass_send(cm, [], "S", "<p>Hi</p>")


def test_the_worker_runs_one_batch_per_mass_send_and_commits(cm):
    clients = [family(cm.organization, first_name=f"B{i}")[0] for i in range(3)] + [sf.client(cm.organization)]
    first = services.create_mass_send(cm, [c.id for c in clients], "One", "<p>One</p>")
    second = services.create_mass_send(cm, [clients[0].id], "Two", "<p>Two</p>")
    assert worker.run_mass_sends(batch_size=3) == 2
    assert (first.status, first.processed, second.status) == ("running", 3, "done")
    assert worker.run_mass_sends(batch_size=3) == 1
    assert (first.status, first.delivered, first.skipped) == ("done", 3, 1)
    assert worker.run_mass_sends() == 0
    assert count(MassSend, MassSend.status == "done") == 2


def test_the_outbox_worker_runs_mass_sends(cm):
    import threading

    from portal_app.worker import run_worker

    class OnePass(threading.Event):
        def wait(self, timeout=None):
            self.set()
            return True

    client, _, _ = family(cm.organization)
    job_id = services.create_mass_send(cm, [client.id], "S", "<p>Hi</p>").id
    db.session.commit()
    run_worker(0.1, 20, OnePass())
    job = db.session.get(MassSend, job_id)
    assert (job.status, job.delivered) == ("done", 1)
