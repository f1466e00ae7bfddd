"""The schema comes from Alembic migrations; they must build exactly what the models describe."""
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from portal_app import create_app
from portal_app.extensions import db
from tests.scratch_databases import scratch_database


def _organization_names_clash(conn) -> bool:
    """The lower(name) unique index, which autogenerate cannot compare, exists and works."""
    insert = text("INSERT INTO organization (kind, name, phone, address, contact_name, contact_email, "
                  "sharing_enabled, module_client_portal, module_messaging, module_kiosk, module_referrals, "
                  "created_at, version_id) VALUES ('partner', :n, '', '', '', '', false, false, false, false, "
                  "false, CURRENT_TIMESTAMP, 1)")
    with conn.begin():
        conn.execute(insert, {"n": "Hope Center"})
    try:
        with conn.begin():
            conn.execute(insert, {"n": "HOPE center"})
    except IntegrityError:
        return True
    return False


def test_migrations_build_the_models_schema(tmp_path):
    with scratch_database(tmp_path, "migrate") as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            engine = create_engine(url)
            try:
                with engine.connect() as conn, warnings.catch_warnings():
                    # SQLite cannot reflect expression indexes (lower(email)); PostgreSQL can.
                    warnings.simplefilter("ignore")
                    diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
                    conn.rollback()
                    case_clash = _organization_names_clash(conn)
            finally:
                engine.dispose()
            assert diff == [], f"models and migrations differ: {diff}"
            assert case_clash, "organization names must be unique whatever their case"
            downgrade(revision="base")
            db.engine.dispose()


def test_stepping_down_and_up_keeps_the_data(tmp_path, monkeypatch):
    """A migration round trip on a loaded database loses no row that refers to a rebuilt table."""
    from sqlalchemy import func, select

    from portal_app.clients.models import CareTeamMember, Client
    from portal_app.demo import load_demo
    from portal_app.sharing.models import ClientShare, Contact
    from tests.extra_apps import real_session

    counted = (Client, CareTeamMember, ClientShare, Contact)
    with scratch_database(tmp_path, "roundtrip") as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "FILES_DIR": str(tmp_path / "files")})
        real_session(monkeypatch)  # this app's own database, not the suite's rolled-back transaction
        with app.app_context():
            upgrade()
            assert db.session.get_bind().url.render_as_string(hide_password=False) == url
            load_demo()
            db.session.commit()
            before = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in counted}
            db.session.remove()
            downgrade(revision="-1")
            upgrade()
            after = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in counted}
            db.session.remove()
            db.engine.dispose()
    assert after == before and before["CareTeamMember"] > 0
