"""Clients of an agency: who they are, their photo and their care team."""
from . import policy  # noqa: F401  (registers the object rules of the client permissions)
