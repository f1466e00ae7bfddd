"""Care-team roles in the reader's language: the usual labels staff give translate, other words read as typed."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import CASE_MANAGER, PRIMARY_CASE_MANAGER, SUPERVISOR

CARE_TEAM_ROLES = {
    PRIMARY_CASE_MANAGER.lower(): _l("Primary case manager"),
    CASE_MANAGER.lower(): _l("Case manager"),
    SUPERVISOR.lower(): _l("Supervisor"),
}


def care_team_role(role: str | None) -> str:
    """Jinja filter: "Primary case manager" -> "Administrador de caso principal" on a Spanish page."""
    name = CARE_TEAM_ROLES.get(" ".join((role or "").split()).lower())
    return str(name) if name is not None else (role or "")
