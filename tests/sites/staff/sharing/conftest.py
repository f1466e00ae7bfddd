"""Fixtures of sharing pages on the staff site (defined in helpers.py)."""
from __future__ import annotations

from .helpers import record, staff  # noqa: F401
