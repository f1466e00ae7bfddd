"""Account Administration (administrators only). Filled in by the accounts-administration work."""
from . import bp  # noqa: F401
