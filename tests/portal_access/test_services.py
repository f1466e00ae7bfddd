"""Invitations, registration, the family login, revoking access, hiding items: the services and visible_to()."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal_app.audit import AuditEvent
from portal_app.authz import Permission, can
from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from portal_app.passwords import verify_password
from portal_app.portal_access import errors, hiding, invitations, queries, registration
from portal_app.portal_access.models import ClientAccess, HiddenItem, Invitation
from portal_app.portal_access.policy import visible_to
from portal_app.tokens import make_token
from tests import factories
from tests import factories as pf
from tests import factories as sf


@pytest.fixture
def person(agency):
    return sf.client(agency, first_name="Zephyrine", last_name="Quackenbush", email="zq@example.test")


def actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def test_invite_emails_the_link_without_the_client_name(admin, person, frozen_clock):
    """(The clock is frozen: the link is signed again here, with the same timestamp as the email's.)"""
    invitation = invitations.invite(admin, person, email="zq@example.test", relationship="self")
    email = db.session.scalar(select(OutboxEmail).order_by(OutboxEmail.id.desc()))
    assert email.to_address == "zq@example.test"
    link = f"http://localhost/links/invite/{invitations.invitation_token(invitation)}"
    assert link in email.body_text and link in email.body_html
    assert admin.organization.name in email.body_text
    for text in (email.subject, email.body_text, email.body_html):
        assert "Zephyrine" not in text and "Quackenbush" not in text
    assert invitation.can_sign and len(invitation.nonce) == 32
    assert actions("portal.invitation_sent")


def test_second_self_invitation_or_existing_self_access_is_refused(admin, person):
    invitations.invite(admin, person, email="zq@example.test", relationship="self")
    with pytest.raises(errors.SelfAlreadyInvited):
        invitations.invite(admin, person, email="other@example.test", relationship="self")
    invitations.invite(admin, person, email="mum@example.test", relationship="representative",
                  relationship_label="mother", can_sign=True)  # representatives: any number
    other = sf.client(admin.organization)
    pf.access(pf.account(), other, "self")
    with pytest.raises(errors.SelfAlreadyInvited):
        invitations.invite(admin, other, email="x@example.test", relationship="self")


@pytest.mark.parametrize(("email", "label"), [("not-an-email", "mother"), ("a@b.test", ""), ("a@b.test", "x" * 61)])
def test_invite_refuses_bad_input(admin, person, email, label):
    with pytest.raises(errors.PortalAccessError):
        invitations.invite(admin, person, email=email, relationship="representative", relationship_label=label)


def test_redeem_names_each_problem(admin, person, frozen_clock):
    invitation = pf.invitation(person, admin)
    token = invitations.invitation_token(invitation)
    assert invitations.redeem(token) is invitation
    with pytest.raises(errors.InvitationInvalid):
        invitations.redeem(factories.tampered(token))
    with pytest.raises(errors.InvitationInvalid):
        invitations.redeem(make_token("invite", {"i": invitation.id, "n": "0" * 32}))
    with pytest.raises(errors.InvitationInvalid):
        invitations.redeem(make_token("reset", {"i": invitation.id, "n": invitation.nonce}))
    frozen_clock.advance(timedelta(days=7, minutes=1))
    with pytest.raises(errors.InvitationExpired):
        invitations.redeem(token)


def test_resend_rotates_the_link_and_cancel_ends_it(admin, person):
    invitation = pf.invitation(person, admin)
    old = invitations.invitation_token(invitation)
    invitations.resend(admin, invitation)
    with pytest.raises(errors.InvitationInvalid):
        invitations.redeem(old)
    new = invitations.invitation_token(invitation)
    assert invitations.redeem(new) is invitation
    assert invitations.cancel(admin, invitation) is True
    assert invitations.cancel(admin, invitation) is False
    with pytest.raises(errors.InvitationCancelled):
        invitations.redeem(new)
    with pytest.raises(errors.InvitationNotPending):
        invitations.resend(admin, invitation)


def test_register_creates_account_and_access_and_uses_the_invitation(admin, person):
    invitation = pf.invitation(person, admin, relationship="representative", label="mother", can_sign=True)
    account = registration.register_account(invitation, full_name="Test Person", username="Mama.Bear", password="eight ch", email="m@example.test")
    assert verify_password(account.password_hash, "eight ch")
    access = db.session.scalar(select(ClientAccess).where(ClientAccess.account_id == account.id))
    assert (access.client_id, access.relationship_kind, access.relationship_label, access.can_sign) == (
        person.id, "representative", "mother", True)
    db.session.refresh(invitation)
    assert invitation.accepted_at is not None and invitation.accepted_account_id == account.id
    with pytest.raises(errors.InvitationUsed):
        registration.register_account(invitation, full_name="Test Person", username="another", password="eight ch", email="m@example.test")
    assert actions("portal.account_registered")


@pytest.mark.parametrize(("username", "error"), [
    ("ab", errors.UsernameRejected), ("a" * 33, errors.UsernameRejected), ("has space", errors.UsernameRejected),
    ("émile", errors.UsernameRejected), ("me@example.org", errors.UsernameLooksLikeEmail),
    ("TAKEN", errors.UsernameTaken),
])
def test_username_rules(admin, person, username, error):
    pf.account("taken")
    invitation = pf.invitation(person, admin)
    with pytest.raises(error) as info:
        registration.register_account(invitation, full_name="Test Person", username=username, password="long enough", email="a@example.test")
    assert info.value.field == "username"


def test_email_shaped_username_is_explained(app, admin, person):
    with pytest.raises(errors.UsernameLooksLikeEmail) as info:
        registration.check_username("me@example.org")
    with app.test_request_context("/portal/register"):
        assert "never be changed" in str(info.value)


@pytest.mark.parametrize("password", ["short", "x" * 129])
def test_password_rules(admin, person, password):
    with pytest.raises(errors.PasswordRejected):
        registration.register_account(pf.invitation(person, admin), full_name="Test Person", username="okname", password=password,
                                email="a@example.test")


def test_double_submit_race_gives_a_named_refusal_and_no_second_account(admin, person):
    invitation = pf.invitation(person, admin)
    first = pf.account("first")
    # Another request accepted it after this one read the invitation (the in-memory copy is stale).
    db.session.execute(update(Invitation).where(Invitation.id == invitation.id)
                       .values(accepted_at=invitation.created_at, accepted_account_id=first.id),
                       execution_options={"synchronize_session": False})
    with pytest.raises(errors.InvitationUsed):
        registration._claim(invitation, first)
    db.session.expire_all()
    with pytest.raises(errors.InvitationUsed):
        registration.register_account(invitation, full_name="Test Person", username="second", password="long enough", email="a@example.test")
    assert registration.check_username("second") == "second"  # nothing was created


def test_family_login_adds_a_second_client_to_the_same_account(admin, person):
    parent = pf.account("parent")
    pf.access(parent, person, "representative", "father")
    sibling = sf.client(admin.organization)
    invitation = pf.invitation(sibling, admin, relationship="representative", label="father")
    access = registration.accept_with_existing_account(invitation, parent)
    assert access.account_id == parent.id and access.client_id == sibling.id
    assert {a.client_id for a in parent.accesses} == {person.id, sibling.id}
    again = pf.invitation(sibling, admin, relationship="representative", label="father")
    with pytest.raises(errors.AlreadyActsForClient):
        registration.accept_with_existing_account(again, parent)


def test_an_account_holds_one_own_record_at_most(admin, person):
    """A parent's account that is their own record cannot also become a child's own record."""
    parent = pf.account("parent.self")
    pf.access(parent, person, "self")
    child = sf.client(admin.organization)
    mistaken = pf.invitation(child, admin, relationship="self")
    with pytest.raises(errors.OwnRecordTaken):
        registration.accept_with_existing_account(mistaken, parent)
    as_mother = pf.invitation(child, admin, relationship="representative", label="mother")
    assert registration.accept_with_existing_account(as_mother, parent).client_id == child.id


def test_revoke_access_is_idempotent_and_audited(admin, person):
    access = pf.access(pf.account(), person, "self")
    assert invitations.revoke_access(admin, access) is True
    assert invitations.revoke_access(admin, access) is False
    assert len(actions("portal.access_revoked")) == 1
    assert queries.client_accesses(person) == []


def test_permission_needs_module_and_staff_permission(admin, person):
    assert not can(admin, Permission.STAFF_PORTAL_MANAGER, person)
    admin.perm_client_portal = True
    assert can(admin, Permission.STAFF_PORTAL_MANAGER, person)
    admin.organization.module_client_portal = False
    assert not can(admin, Permission.STAFF_PORTAL_MANAGER, person)


@pytest.fixture
def custody(admin, person):
    """The client, their mother and their father (seed 002): the father must not see the mother."""
    me = pf.access(pf.account("kid"), person, "self")
    mother = pf.access(pf.account("mum"), person, "representative", "mother")
    father = pf.access(pf.account("dad"), person, "representative", "father")
    return me, mother, father


def _seen_by(access: ClientAccess) -> set[int]:
    """The portal's query for "Who else can act for this client", as the portal runs it."""
    query = select(ClientAccess.id).where(
        ClientAccess.client_id == access.client_id, ClientAccess.revoked_at.is_(None),
        visible_to(access, "client_access", ClientAccess.id))
    return set(db.session.scalars(query))


def test_hidden_item_is_excluded_for_that_representative_only(admin, custody):
    me, mother, father = custody
    assert hiding.hide_item(admin, father, "client_access", mother.id) is True
    assert hiding.hide_item(admin, father, "client_access", mother.id) is False  # idempotent
    assert _seen_by(father) == {me.id, father.id}
    assert _seen_by(mother) == {me.id, mother.id, father.id}
    assert _seen_by(me) == {me.id, mother.id, father.id}
    assert queries.hidden_items(me.client) == {(father.id, "client_access", mother.id)}
    assert hiding.show_item(admin, father, "client_access", mother.id) is True
    assert hiding.show_item(admin, father, "client_access", mother.id) is False
    assert _seen_by(father) == {me.id, mother.id, father.id}
    assert [e.action for e in actions("portal.item_hidden") + actions("portal.item_shown")] == [
        "portal.item_hidden", "portal.item_shown"]


def test_hiding_from_the_client_themself_or_an_unknown_item_is_refused(admin, custody, agency):
    me, mother, father = custody
    with pytest.raises(errors.NotARepresentative):
        hiding.hide_item(admin, me, "client_access", mother.id)
    with pytest.raises(errors.UnknownItem):
        hiding.hide_item(admin, father, "document", 1)
    stranger = pf.access(pf.account(), sf.client(agency), "self")
    with pytest.raises(errors.UnknownItem):
        hiding.hide_item(admin, father, "client_access", stranger.id)
    assert db.session.scalar(select(HiddenItem.id)) is None
