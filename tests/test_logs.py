"""S14: logs never carry a value someone sent or the database holds, even when a statement fails."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, text

from portal_app.extensions import db
from portal_app.logsafe import describe_error
from tests.conftest import csrf_token

SECRET_NAME = "Quillonette"
SECRET_EMAIL = "zeb.thornquist@private.test"
SECRET_DOB = "1979-03-14"


@pytest.fixture
def failing_insert_into_client():
    """Every INSERT INTO client fails in the database (a real driver error, with real parameters)."""

    def break_statement(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO CLIENT "):
            statement = statement.replace("INSERT INTO client", "INSERT INTO no_such_table_for_this_test", 1)
        return statement, parameters

    event.listen(db.engine, "before_cursor_execute", break_statement, retval=True)
    yield
    event.remove(db.engine, "before_cursor_execute", break_statement)


def test_engine_hides_parameters(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    assert db.engine.hide_parameters is True


def test_a_failing_statement_during_a_form_post_logs_nothing_that_was_sent(
        client, auth, case_manager, failing_insert_into_client, caplog):
    auth.login(case_manager)
    token = csrf_token(client, "/staff/clients/new")
    caplog.set_level(logging.DEBUG)
    resp = client.post("/staff/clients/new", data={
        "first_name": SECRET_NAME, "middle_name": "", "last_name": "Thornquist", "date_of_birth": SECRET_DOB,
        "phone": "(541) 555-0199", "email": SECRET_EMAIL, "address": "9 Hidden Lane", "zip_code": "97477",
        "preferred_language": "en", "csrf_token": token})
    assert resp.status_code == 503
    logged = caplog.text
    assert "database unavailable" in logged and "POST /staff/clients/new" in logged
    for value in (SECRET_NAME, "Thornquist", SECRET_EMAIL, SECRET_DOB, "555-0199", "Hidden Lane", "97477"):
        assert value not in logged, value


def test_a_database_error_is_described_without_its_message():
    """PostgreSQL's DETAIL quotes the row; the description keeps only classes, SQLSTATE and place."""
    try:
        db.session.execute(text("SELECT * FROM no_such_table WHERE name = :n"), {"n": SECRET_NAME})
    except Exception as err:  # noqa: BLE001 - the driver's error class differs per database
        described = describe_error(err)
        db.session.rollback()
    assert SECRET_NAME not in described and "no_such_table" not in described
    assert described.startswith(("ProgrammingError", "OperationalError"))


def test_an_unhandled_error_is_logged_with_its_place_not_its_message(database_url, caplog):
    """A 500's log line keeps the traceback for the developer, not the text someone typed."""
    from portal_app import create_app
    from portal_app.authz import public

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @public
    def boom():
        # ValueError: "invalid literal for int() with base 10: '<the secret>'"
        return int(SECRET_NAME)

    app.add_url_rule("/_probe/boom", "probe_boom", boom)
    caplog.set_level(logging.DEBUG)
    assert app.test_client().get("/_probe/boom").status_code == 500
    assert "ValueError" in caplog.text and "in boom" in caplog.text and "GET /_probe/boom" in caplog.text
    assert SECRET_NAME not in caplog.text.replace("int(SECRET_NAME)", "")
