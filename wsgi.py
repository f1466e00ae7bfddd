"""WSGI entry point: `gunicorn wsgi:app`."""
import sys

from config import ConfigError
from portal_app import create_app

try:
    app = create_app()
except ConfigError as err:
    # One line, not a traceback; exit status 3 is gunicorn's "worker failed to boot": the master stops.
    print(f"Caseport cannot start: {err}", file=sys.stderr)
    raise SystemExit(3) from None
