"""Who may do what with locations, kiosks and hand-offs: always within one agency, and the kiosk itself only
while the agency's Kiosk module is on (Account Administration › Settings).

Module off: staff hand nothing to tablets (no Kiosk buttons, their pages refused with a sentence), check-in
queues nothing, no kiosk is added or paired, and a paired tablet shows a notice instead of forms; it stays
paired and works again as soon as the module is back on. Locations stay (appointments use them too), and an
administrator can still look at the agency's kiosks and revoke one.
"""
from __future__ import annotations

from typing import Any

from ..authz import Permission, object_rule, refusal_reason
from .errors import TABLET_TURNED_OFF, KioskModuleOff


class _Pairing:
    """The object of ADMIN_KIOSKS for its kiosk part: adding a kiosk and pairing a tablet."""

    def __repr__(self) -> str:
        return "PAIRING"


PAIRING = _Pairing()


def _agency_of(actor: Any) -> int | None:
    return actor.organization_id if getattr(actor, "is_staff", False) else None


def kiosk_module_on(actor: Any) -> bool:
    """The actor's agency (a staff member's, or a tablet's) has its Kiosk module switched on."""
    organization = getattr(actor, "organization", None)
    return bool(organization is not None and organization.module_kiosk)


@object_rule(Permission.ADMIN_KIOSKS)
def may_manage_kiosks(actor: Any, obj: Any) -> bool:
    """Account Administration › Locations and Kiosks: the agency's administrators, their own agency's rows;
    adding a kiosk and pairing a tablet (`PAIRING`) only while the Kiosk module is on."""
    if not (getattr(actor, "is_admin", False) and _agency_of(actor) is not None):
        return False
    if obj is PAIRING:
        return kiosk_module_on(actor)
    return obj is None or getattr(obj, "organization_id", None) == actor.organization_id


@object_rule(Permission.STAFF_KIOSK)
def may_hand_off(actor: Any, obj: Any) -> bool:
    """Hand a client's document to a kiosk, cancel or resend: staff of the client's agency, module on."""
    agency = _agency_of(actor)
    if agency is None or not kiosk_module_on(actor):
        return False
    return obj is None or getattr(obj, "organization_id", None) == agency or (
        getattr(getattr(obj, "client", None), "organization_id", None) == agency)


@object_rule(Permission.KIOSK_FORMS)
def may_fill_on_kiosk(actor: Any, obj: Any) -> bool:
    """A paired tablet of an agency with the module on: a hand-off of its own agency, meant for it or for any
    tablet at its location."""
    from .models import KioskHandoff

    if getattr(actor, "kind", None) != "kiosk" or not getattr(actor, "enabled", False):
        return False
    if not kiosk_module_on(actor):
        return False
    if obj is None:
        return True
    return (isinstance(obj, KioskHandoff) and obj.organization_id == actor.organization_id
            and obj.location_id == actor.location_id and obj.device_id in (None, actor.id))


@refusal_reason(Permission.STAFF_KIOSK)
def staff_kiosk_refusal(actor: Any) -> Any:
    return None if kiosk_module_on(actor) else KioskModuleOff.default_message


@refusal_reason(Permission.KIOSK_FORMS)
def tablet_refusal(actor: Any) -> Any:
    return None if kiosk_module_on(actor) else TABLET_TURNED_OFF
