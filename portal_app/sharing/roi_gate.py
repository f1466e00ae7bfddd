""""Sharing requires an active ROI" (an agency setting): Share Client with a partner needs a release of
information in force that names it, or a supervisor's (or administrator's) override with a reason."""
from __future__ import annotations

from ..accounts.models import Organization, Role, User
from ..clients.models import Client
from ..errors import DomainError
from ..plaintext import has_control_characters
from ..roi.queries import agency_today, covers

OVERRIDE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
MAX_OVERRIDE = 1000


class RoiRequired(DomainError):
    """No active ROI names the partner; the view offers to send the ROI form to the client's portal."""

    status = 409
    default_message = ("This agency shares a client only with an organization named in an active Release of "
                       "Information. Send the client the Release of Information form to sign, or ask a supervisor "
                       "to override with a reason.")


class OverrideInvalid(DomainError):
    field = "override_reason"
    default_message = "Write why you share without a Release of Information (3 to 1000 characters)."


class OverrideNotAllowed(DomainError):
    status = 403
    default_message = "Only a supervisor or an administrator may share without a Release of Information."


def check_roi_for_share(actor: User, client: Client, organization: Organization,
                        override_reason: str = "") -> tuple[int | None, str]:
    """(the ROI id the share relies on, the override reason): (None, "") when the agency does not require one."""
    if not actor.organization.sharing_requires_roi:
        return None, ""
    roi = covers(client, organization, agency_today())
    if roi is not None:
        return roi.id, ""
    reason = (override_reason or "").strip()
    if not reason:
        raise RoiRequired
    if actor.role not in OVERRIDE_ROLES:
        raise OverrideNotAllowed
    if not 3 <= len(reason) <= MAX_OVERRIDE or has_control_characters(reason, multiline=True):
        raise OverrideInvalid
    return None, reason
