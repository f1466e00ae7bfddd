"""The schema comes from Alembic migrations; they must build exactly what the models describe."""
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from portal_app import create_app
from portal_app.extensions import db
from tests.scratch import scratch_database


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
