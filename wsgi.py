"""WSGI entry point: `gunicorn wsgi:app`."""
from portal_app import create_app

app = create_app()
