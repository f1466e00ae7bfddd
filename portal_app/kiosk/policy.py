"""Who may do what with locations, kiosks and hand-offs: always within one agency."""
from __future__ import annotations

from typing import Any

from ..authz import Permission, object_rule


def _agency_of(actor: Any) -> int | None:
    return actor.organization_id if getattr(actor, "is_staff", False) else None


@object_rule(Permission.ADMIN_KIOSKS)
def may_manage_kiosks(actor: Any, obj: Any) -> bool:
    """Account Administration › Locations and Kiosks: the agency's administrators, their own agency's rows."""
    if not (getattr(actor, "is_admin", False) and _agency_of(actor) is not None):
        return False
    return obj is None or getattr(obj, "organization_id", None) == actor.organization_id


@object_rule(Permission.STAFF_KIOSK)
def may_hand_off(actor: Any, obj: Any) -> bool:
    """Hand a client's document to a kiosk, cancel or resend: staff of the client's agency."""
    agency = _agency_of(actor)
    if agency is None:
        return False
    return obj is None or getattr(obj, "organization_id", None) == agency or (
        getattr(getattr(obj, "client", None), "organization_id", None) == agency)


@object_rule(Permission.KIOSK_FORMS)
def may_fill_on_kiosk(actor: Any, obj: Any) -> bool:
    """A paired tablet: a hand-off of its own agency, meant for it or for any tablet at its location."""
    from .models import KioskHandoff

    if getattr(actor, "kind", None) != "kiosk" or not getattr(actor, "enabled", False):
        return False
    if obj is None:
        return True
    return (isinstance(obj, KioskHandoff) and obj.organization_id == actor.organization_id
            and obj.location_id == actor.location_id and obj.device_id in (None, actor.id))
