"""Fixtures of clients on the staff site (defined in helpers.py)."""
from __future__ import annotations

from .helpers import roster, staff, outsider  # noqa: F401
