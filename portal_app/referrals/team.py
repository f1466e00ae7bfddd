"""Team Navigation/Sharing switches (seed 004): per program ("Team sharing": anyone in the program's organization
may see, note and update its referrals) and per agency ("Team referral sharing": anyone in the agency may see,
note and update its outbound referrals). What they allow is decided in policy.py; here they are set, audited."""
from __future__ import annotations

from typing import Any

from .. import audit
from ..accounts.models import Organization, User
from ..errors import Forbidden
from ..extensions import db
from ..programs.models import Program
from ..programs.policy import may_manage_program


def set_program_team_sharing(actor: Any, program: Program, on: bool) -> bool:
    """Switch a program's team sharing (its managers: the organization's members, the managing agency's admins);
    True when it changed."""
    if not may_manage_program(actor, program):
        raise Forbidden
    if program.team_sharing == bool(on):
        return False
    program.team_sharing = bool(on)
    db.session.flush()
    audit.record("programs.team_sharing_changed", actor, obj=program, details={"on": bool(on)})
    return True


def set_agency_team_sharing(actor: User, agency: Organization, on: bool) -> bool:
    """Switch the agency's team referral sharing (its administrators); True when it changed."""
    if not (actor.is_admin and actor.organization_id == agency.id and agency.is_agency):
        raise Forbidden
    if agency.referral_team_sharing == bool(on):
        return False
    agency.referral_team_sharing = bool(on)
    db.session.flush()
    audit.record("admin.referral_team_sharing_changed", actor, obj=agency, details={"on": bool(on)})
    return True
