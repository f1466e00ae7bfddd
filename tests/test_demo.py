"""The demo network (`flask demo`)."""
import pytest
from sqlalchemy import func, select

from portal_app.accounts.models import Organization, User
from portal_app.clients.models import CareTeamMember, Client
from portal_app.demo import (
    AGENCY_NAME,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoConflict,
    demo_command,
    load_demo,
)
from portal_app.extensions import db
from portal_app.files import StoredFile, read_bytes
from portal_app.sharing.models import ClientShare, Contact, ServiceProvider
from tests import factories

MODELS = (Organization, User, Client, CareTeamMember, StoredFile, ServiceProvider, ClientShare, Contact)


def _counts() -> dict:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def demo():
    assert load_demo() is True
    return db.session.scalar(select(Organization).where(Organization.name == AGENCY_NAME))


def test_demo_loads_the_network(demo):
    assert demo.is_agency
    assert all(demo.module_enabled(m) for m in ("client_portal", "messaging", "kiosk", "referrals"))
    assert demo.phone and demo.address and demo.contact_email == "admin@riverside.example"
    staff = db.session.scalars(select(User).where(User.organization_id == demo.id)).all()
    assert {u.email for u in staff} == {e for e, _, site in DEMO_LOGINS
                                        if site == "staff" and e.endswith("@riverside.example")}
    assert all(u.perm_client_portal and u.perm_messaging for u in staff)
    partners = db.session.scalars(select(Organization).where(Organization.kind == "partner")).all()
    assert {"Hope Counseling Center", "Bridgeway Recovery Program"} <= {p.name for p in partners}
    assert all(p.sharing_enabled for p in partners if p.name in ("Hope Counseling Center", "Bridgeway Recovery Program"))
    assert _user("partner@hope.example").role_label == "Third-Party Organization"


def test_twelve_clients_with_care_teams(demo):
    clients = db.session.scalars(select(Client).where(Client.organization_id == demo.id)).all()
    assert len(clients) == 12
    assert {c.preferred_language for c in clients} == {"en", "es"}
    assert sum(c.part2_protected for c in clients) == 1
    assert all(c.care_team and c.date_of_birth and "555" in c.phone for c in clients)
    adults = [c for c in clients if c.date_of_birth.year < 2008]
    assert len(adults) == 10 and all(c.email.endswith("@example.org") for c in adults)
    primaries = {m.user.email for c in clients for m in c.care_team if m.role == "Primary case manager"}
    assert primaries == {"casey@riverside.example", "jordan@riverside.example"}
    assert any(m.user.email == "supervisor@riverside.example" for c in clients for m in c.care_team)


def test_every_client_has_a_png_photo(demo):
    clients = db.session.scalars(select(Client).where(Client.organization_id == demo.id)).all()
    for client in clients:
        assert client.photo is not None and client.photo.content_type == "image/png"
        assert read_bytes(client.photo).startswith(b"\x89PNG\r\n\x1a\n")


def test_running_twice_adds_nothing(demo):
    before = _counts()
    assert load_demo() is False
    assert _counts() == before


def test_conflicting_people_stop_the_load():
    factories.user(factories.agency(), role="admin", email="Admin@Riverside.example")
    with pytest.raises(DemoConflict):
        load_demo()


def test_demo_admin_signs_in_at_staff(demo, client, auth):
    resp = auth.login(_user("admin@riverside.example"), password=DEMO_PASSWORD)
    assert resp.status_code == 302
    assert "Welcome, Alex" in client.get("/staff/").get_data(as_text=True)


def test_demo_partner_signs_in_at_partner(demo, client, auth):
    resp = auth.login(_user("partner@hope.example"), password="caseport-demo-2026")
    assert resp.status_code == 302
    assert client.get("/partner/").status_code == 200


def test_command_prints_what_it_did_and_the_logins(app):
    runner = app.test_cli_runner()
    result = runner.invoke(demo_command)
    assert result.exit_code == 0, result.output
    assert "12 clients" in result.output and "admin@riverside.example" in result.output
    again = runner.invoke(demo_command)
    assert "already loaded" in again.output


def test_if_empty_leaves_a_real_deployment_alone(app, agency):
    before = _counts()
    result = app.test_cli_runner().invoke(demo_command, ["--if-empty"])
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert _counts() == before


def test_if_empty_reports_an_already_loaded_demo(app, demo):
    result = app.test_cli_runner().invoke(demo_command, ["--if-empty"])
    assert result.exit_code == 0 and "already loaded" in result.output


def test_partners_have_shared_clients_and_contacts_waiting_for_review(demo):
    """After `make run` the sharing workflow can be tried at once: shares and Needs Review exist."""
    from portal_app.sharing import queries, review_queries

    partners = db.session.scalars(select(User).where(User.role == "partner")).all()
    assert len(partners) == 2
    for partner in partners:
        assert len(queries.partner_shared_clients(partner).items) >= 2, partner.email
    casey = db.session.scalar(select(User).where(User.email == "casey@riverside.example"))
    jordan = db.session.scalar(select(User).where(User.email == "jordan@riverside.example"))
    # What the README promises: each case manager sees two of the three, the supervisor all three.
    assert review_queries.needs_review_count(casey) == 2 and review_queries.needs_review_count(jordan) == 2
    supervisor = db.session.scalar(select(User).where(User.email == "supervisor@riverside.example"))
    assert review_queries.needs_review_count(supervisor) == 3


def test_portal_accounts_family_login_hidden_item_and_invitation(demo, client):
    """maria acts for herself; guardian for two children; Sam's father has the mother's access hidden."""
    from portal_app.portal_access.models import (
        ClientAccess,
        HiddenItem,
        Invitation,
        PortalAccount,
    )

    accounts = {a.username: a for a in db.session.scalars(select(PortalAccount))}
    assert set(accounts) == {"maria", "guardian", "rdelgado"}
    active = lambda name: [a for a in accounts[name].accesses if a.active]  # noqa: E731
    assert [(a.client.first_name, a.is_self) for a in active("maria")] == [("María", True)]
    assert sorted(a.client.first_name for a in active("guardian")) == ["Lucía", "Sam"]
    hidden = db.session.scalars(select(HiddenItem).where(HiddenItem.item_type == "client_access")).all()
    assert len(hidden) == 1 and hidden[0].access.account.username == "rdelgado"
    hidden_access = db.session.get(ClientAccess, hidden[0].item_id)
    assert hidden_access.account.username == "guardian" and hidden_access.client.first_name == "Sam"
    pending = db.session.scalars(select(Invitation)).all()
    assert len(pending) == 1 and pending[0].accepted_at is None and pending[0].cancelled_at is None


@pytest.mark.parametrize("username", ["maria", "guardian", "rdelgado"])
def test_demo_portal_accounts_sign_in(demo, client, username):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/portal/login")
    resp = client.post("/portal/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/portal/")
    assert client.get("/portal/").status_code == 200


def test_demo_father_does_not_see_the_hidden_mother(demo, client):
    """rdelgado's home lists who else acts for Sam, without the guardian hidden from him."""
    from tests.conftest import csrf_token

    def home_of(username: str) -> str:
        token = csrf_token(client, "/portal/login")
        client.post("/portal/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token})
        if username == "guardian":
            sam = db.session.scalar(select(Client).where(Client.first_name == "Sam"))
            token = csrf_token(client, "/portal/")
            client.post("/portal/acting-for", data={"client_id": sam.id, "csrf_token": token})
        html = client.get("/portal/").get_data(as_text=True)
        client.post("/portal/logout", data={"csrf_token": csrf_token(client, "/portal/account")})
        return html

    assert "Sam Delgado" in home_of("rdelgado") and "mother" not in home_of("rdelgado")
    assert "father" in home_of("guardian")


def test_demo_conversations_unread_on_both_sides(demo):
    """maria has an unread message from Casey; Casey has an unread reply; Jordan takes no client messages."""
    from portal_app.messaging.models import Conversation, Message, ReadState
    from portal_app.portal_access.models import HiddenItem, PortalAccount

    def unread(kind: str, reader_id: int) -> int:
        count = 0
        for conv in db.session.scalars(select(Conversation)):
            state = db.session.scalar(select(ReadState).where(
                ReadState.conversation_id == conv.id, ReadState.reader_kind == kind, ReadState.reader_id == reader_id))
            last = max(m.id for m in conv.messages)
            count += state is not None and state.last_read_message_id < last
        return count

    maria = db.session.scalar(select(PortalAccount).where(PortalAccount.username == "maria"))
    casey, jordan = _user("casey@riverside.example"), _user("jordan@riverside.example")
    assert unread("portal", maria.id) >= 1 and unread("staff", casey.id) >= 1
    assert jordan.allow_client_contact is False and casey.allow_client_contact is True
    assert db.session.scalar(select(func.count()).select_from(Message)) >= 6
    hidden = db.session.scalars(select(HiddenItem).where(HiddenItem.item_type == "conversation")).all()
    assert [h.access.account.username for h in hidden] == ["rdelgado"]


# --- two agencies and the operator (issue 9) ----------------------------------------------------


def test_demo_has_northside_working_with_hope(demo):
    from portal_app.accounts.queries import partner_organizations_for, seats_used

    northside = db.session.scalar(select(Organization).where(Organization.name == "Northside Family Services"))
    assert northside.is_agency
    assert _user("admin@northside.example").organization_id == northside.id
    assert _user("sam@northside.example").role == "case_manager"
    clients = db.session.scalars(select(Client).where(Client.organization_id == northside.id)).all()
    assert len(clients) == 3
    assert [o.name for o in partner_organizations_for(northside.id)] == ["Hope Counseling Center"]
    assert {o.name for o in partner_organizations_for(demo.id)} == {"Hope Counseling Center",
                                                                   "Bridgeway Recovery Program"}
    assert seats_used(northside) == 2 and seats_used(demo) == 6  # 4 staff + 2 partner users Riverside manages
    shared = db.session.scalars(select(ClientShare).join(Client).where(Client.organization_id == northside.id)).all()
    assert [s.organization.name for s in shared] == ["Hope Counseling Center"]
    assert _user("operator@caseport.example").role == "operator"
    logins = {e for e, _, _ in DEMO_LOGINS}
    assert {"admin@northside.example", "sam@northside.example", "operator@caseport.example"} <= logins


def test_demo_agencies_are_sealed_off(demo, app):
    """Northside's admin sees none of Riverside's people or clients, and the reverse."""
    riverside_client = db.session.scalar(select(Client).where(Client.organization_id == demo.id))
    db.session.commit()
    north = app.test_client()
    from tests.conftest import Auth

    assert Auth(north).login(_user("admin@northside.example"), DEMO_PASSWORD).status_code == 302
    users = north.get("/staff/admin/users").get_data(as_text=True)
    assert "sam@northside.example" in users and "riverside.example" not in users
    assert "Noah" in north.get("/staff/clients").get_data(as_text=True)
    assert "González" not in north.get("/staff/clients").get_data(as_text=True)
    assert north.get(f"/staff/clients/{riverside_client.id}").status_code == 404


def test_demo_partner_sees_both_agencies_shares(demo, client, auth):
    assert auth.login(_user("partner@hope.example"), DEMO_PASSWORD).status_code == 302
    home = client.get("/partner/").get_data(as_text=True)
    assert "Noah Fischer" in home and "Northside Family Services" in home
    assert "Riverside Community Services" in home


def test_demo_operator_sees_agencies_and_no_client_data(demo, client, auth):
    assert auth.login(_user("operator@caseport.example"), DEMO_PASSWORD).status_code == 302
    page = client.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert "Riverside Community Services" in page and "Northside Family Services" in page
    assert "6 / " in page and "2 / 10" in page
    assert client.get("/staff/clients").status_code == 403
    assert client.get("/staff/messages").status_code == 403
    assert client.get("/staff/admin/users").status_code == 403
