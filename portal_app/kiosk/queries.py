"""Reads of locations and kiosks, scoped to the actor's agency in the query itself (S15)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .errors import KioskNotFound, LocationNotFound
from .models import AgencyLocation, KioskDevice


def _agency_id(actor: Any) -> int:
    return actor.organization_id if getattr(actor, "is_staff", False) and actor.organization_id else -1


def locations_for(actor: Any) -> list[AgencyLocation]:
    return list(db.session.scalars(select(AgencyLocation).where(AgencyLocation.organization_id == _agency_id(actor))
                                   .order_by(AgencyLocation.name).limit(500)))


def kiosks_for(actor: Any) -> list[KioskDevice]:
    return list(db.session.scalars(select(KioskDevice).options(joinedload(KioskDevice.location))
                                   .where(KioskDevice.organization_id == _agency_id(actor))
                                   .order_by(KioskDevice.name).limit(500)))


def get_location_for(actor: Any, location_id: int | None) -> AgencyLocation:
    location = db.session.scalar(select(AgencyLocation).where(AgencyLocation.id == location_id,
                                                              AgencyLocation.organization_id == _agency_id(actor)))
    if location is None:
        raise LocationNotFound
    return location


def get_kiosk_for(actor: Any, kiosk_id: int | None) -> KioskDevice:
    device = db.session.scalar(select(KioskDevice).where(KioskDevice.id == kiosk_id,
                                                         KioskDevice.organization_id == _agency_id(actor)))
    if device is None:
        raise KioskNotFound
    return device


def target_of(actor: Any, value: str | None) -> tuple[KioskDevice | None, AgencyLocation | None]:
    """"device:12" or "location:3" from a form, loaded within the actor's agency (LocationNotFound otherwise)."""
    kind, _, raw = (value or "").partition(":")
    try:
        ident = int(raw)
    except ValueError:
        raise LocationNotFound from None
    if kind == "device":
        return get_kiosk_for(actor, ident), None
    if kind == "location":
        return None, get_location_for(actor, ident)
    raise LocationNotFound
