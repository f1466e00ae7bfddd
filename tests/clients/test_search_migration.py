"""The scale migration fills what the models now keep, for rows written before it: sort keys, search
terms, conversations' last messages and the staff who took part."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from portal_app import create_app
from portal_app.extensions import db
from tests.scratch_databases import scratch_database

BEFORE = "e5d96ca771c8"
NOW = "CURRENT_TIMESTAMP"


def _rows_written_before(conn) -> None:
    conn.execute(text("INSERT INTO organization (id, kind, name, phone, address, contact_name, contact_email, "
                      "sharing_enabled, module_client_portal, module_messaging, module_kiosk, module_referrals, "
                      f"created_at, version_id) VALUES (1, 'agency', 'A', '', '', '', '', false, false, true, false, "
                      f"false, {NOW}, 1)"))
    conn.execute(text("INSERT INTO user_account (id, email, password_hash, first_name, middle_name, last_name, "
                      "organization_id, role, enabled, perm_client_portal, perm_messaging, allow_client_contact, "
                      "session_epoch, failed_logins, created_at, version_id) VALUES (1, 'a@b.test', 'x', 'Casey', "
                      f"'', 'M', 1, 'case_manager', true, false, true, true, 1, 0, {NOW}, 1)"))
    conn.execute(text("INSERT INTO client (id, organization_id, first_name, middle_name, last_name, phone, email, "
                      "address, zip_code, preferred_language, part2_protected, created_at, version_id) VALUES "
                      "(1, 1, 'María', '', 'Núñez Peña', '(541) 555-0101', 'MN@Example.org', '', '', 'es', false, "
                      f"{NOW}, 1)"))
    conn.execute(text("INSERT INTO conversation (id, client_id, subject, staff_id, audience_all, created_at, "
                      f"last_message_at) VALUES (1, 1, 'S', 1, true, {NOW}, {NOW})"))
    for mid in (1, 2):
        conn.execute(text("INSERT INTO message (id, conversation_id, sender_staff_id, body_html, created_at) "
                          f"VALUES ({mid}, 1, 1, '<p>x</p>', {NOW})"))


def test_upgrade_fills_search_terms_last_messages_and_took_part(tmp_path):
    with scratch_database(tmp_path, "searchmig") as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision=BEFORE)
            engine = create_engine(url)
            try:
                with engine.begin() as conn:
                    _rows_written_before(conn)
                upgrade()
                with engine.connect() as conn:
                    client = conn.execute(text("SELECT sort_name, phone_digits FROM client")).one()
                    terms = set(conn.execute(text("SELECT term FROM client_search_term")).scalars())
                    last = conn.execute(text("SELECT last_message_id FROM conversation")).scalar()
                    took_part = conn.execute(text("SELECT took_part FROM conversation_read_state WHERE "
                                                  "reader_kind = 'staff' AND reader_id = 1")).scalar()
            finally:
                engine.dispose()
            db.engine.dispose()
    assert tuple(client) == ("nunez pena maria", "5415550101")
    assert terms == {"maria", "nunez", "pena", "mn@example.org", "5415550101", "5550101", "0101"}
    assert last == 2 and bool(took_part) is True
