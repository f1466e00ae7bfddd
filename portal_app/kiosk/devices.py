"""Locations and tablets: add and rename locations, add a kiosk, pair a tablet by a short code, revoke it.

Pairing: an unpaired browser asks for a code (`start_pairing`); it gets a pairing cookie (random, only its
hash stored) and shows the code for ten minutes. An administrator types the code on the kiosk's page
(`claim_pairing`). The browser's next look (`finish_pairing`) turns the claim into the tablet's long-lived
credential: a new random secret whose hash is stored on the kiosk. Revoking clears that hash.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from .. import audit
from ..accounts.models import User
from ..clock import as_utc, utcnow
from ..extensions import db
from ..plaintext import has_control_characters
from .errors import (
    DuplicateKioskName,
    DuplicateLocationName,
    KioskError,
    KioskModuleOff,
    LocationNotFound,
    PairingCodeInvalid,
)
from .models import AgencyLocation, KioskDevice, KioskPairing
from .policy import PAIRING, may_manage_kiosks

PAIRING_LIFETIME = timedelta(minutes=10)
DEVICE_COOKIE = "cp_kiosk_device"  # Path=/kiosk, HttpOnly, SameSite=Strict: the tablet's credential
PAIRING_COOKIE = "cp_kiosk_pairing"  # the browser that shows a code, until an administrator enters it
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud across a desk
CODE_LENGTH = 6


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()


def _text(value: str, limit: int, field: str, what: str, required: bool = True) -> str:
    value = " ".join((value or "").split())
    if (required and not value) or len(value) > limit or has_control_characters(value):
        raise KioskError(f"Enter {what} (at most {limit} characters).", field=field)
    return value


def _check_admin(actor: User, obj=None) -> None:
    if not may_manage_kiosks(actor, obj):
        raise LocationNotFound


def _check_pairing(actor: User, device: KioskDevice | None = None) -> None:
    """Adding a kiosk or pairing a tablet: the kiosk part of the administration, while the module is on."""
    _check_admin(actor, device)
    if not may_manage_kiosks(actor, PAIRING):
        raise KioskModuleOff


# --- locations ------------------------------------------------------------------------------------------

def _name_free(model, actor: User, name: str, exclude_id: int | None, error) -> None:
    stmt = select(model.id).where(model.organization_id == actor.organization_id, func.lower(model.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise error


def create_location(actor: User, *, name: str, address: str = "") -> AgencyLocation:
    """A new location of the administrator's agency."""
    _check_admin(actor)
    name = _text(name, 120, "name", "the location's name")
    _name_free(AgencyLocation, actor, name, None, DuplicateLocationName)
    location = AgencyLocation(organization_id=actor.organization_id, name=name,
                              address=_text(address, 400, "address", "the address", required=False))
    db.session.add(location)
    db.session.flush()
    audit.record("kiosk.location_created", actor, obj=location, details={"name": name})
    return location


def update_location(actor: User, location: AgencyLocation, *, name: str, address: str = "") -> None:
    """Rename a location or change its address."""
    _check_admin(actor, location)
    name = _text(name, 120, "name", "the location's name")
    _name_free(AgencyLocation, actor, name, location.id, DuplicateLocationName)
    location.name, location.address = name, _text(address, 400, "address", "the address", required=False)
    db.session.flush()
    audit.record("kiosk.location_updated", actor, obj=location, details={"name": name})


# --- kiosks ---------------------------------------------------------------------------------------------

def add_kiosk(actor: User, *, name: str, location: AgencyLocation | None) -> KioskDevice:
    """A kiosk of the administrator's agency at one of its locations, waiting to be paired."""
    _check_pairing(actor)
    if location is None or location.organization_id != actor.organization_id:
        raise KioskError("Choose one of your agency's locations.", field="location_id")
    name = _text(name, 80, "name", "the kiosk's name")
    _name_free(KioskDevice, actor, name, None, DuplicateKioskName)
    device = KioskDevice(organization_id=actor.organization_id, location=location, name=name, created_by_id=actor.id)
    db.session.add(device)
    db.session.flush()
    audit.record("kiosk.device_created", actor, obj=device, details={"name": name, "location": location.id})
    return device


def revoke_kiosk(actor: User, device: KioskDevice) -> None:
    """The tablet's credential stops working at its next request (back to the pairing page)."""
    _check_admin(actor, device)
    device.secret_hash = None
    device.revoked_at, device.revoked_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record("kiosk.device_revoked", actor, obj=device)


# --- pairing --------------------------------------------------------------------------------------------

def start_pairing(ip: str = "") -> tuple[str, str]:
    """A new code for an unpaired browser: returns (code to show, browser secret for its pairing cookie)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    browser = secrets.token_urlsafe(32)
    db.session.add(KioskPairing(code_hash=digest(code), browser_hash=digest(browser), created_at=utcnow(),
                                expires_at=utcnow() + PAIRING_LIFETIME, ip_address=ip[:64]))
    db.session.flush()
    audit.record("kiosk.pairing_code_shown", site="kiosk", details={"ip": ip[:64]})
    return code, browser


def pairing_for_browser(browser_secret: str | None) -> KioskPairing | None:
    """The pairing this browser started, if it still counts (unexpired, or claimed and not yet finished)."""
    if not browser_secret:
        return None
    pairing = db.session.scalar(select(KioskPairing).where(KioskPairing.browser_hash == digest(browser_secret)))
    if pairing is None or pairing.finished_at is not None:
        return None
    if pairing.device_id is None and as_utc(pairing.expires_at) <= utcnow():
        return None
    return pairing


def claim_pairing(actor: User, device: KioskDevice, code: str) -> None:
    """The administrator typed the code the tablet shows: that browser becomes this kiosk at its next look."""
    _check_pairing(actor, device)
    pairing = db.session.scalar(select(KioskPairing).where(
        KioskPairing.code_hash == digest(normalize_code(code)), KioskPairing.device_id.is_(None),
        KioskPairing.expires_at > utcnow()).order_by(KioskPairing.id.desc()).limit(1))
    if pairing is None:
        audit.record("kiosk.pairing_code_refused", actor, obj=device)
        raise PairingCodeInvalid
    pairing.device, pairing.claimed_at, pairing.claimed_by_id = device, utcnow(), actor.id
    db.session.flush()
    audit.record("kiosk.pairing_claimed", actor, obj=device)


def finish_pairing(pairing: KioskPairing) -> str | None:
    """A claimed pairing becomes the kiosk's credential: returns the new secret for the device cookie
    (None when nobody claimed it yet). Any earlier credential of that kiosk stops working."""
    if pairing.device_id is None:
        return None
    secret = secrets.token_urlsafe(32)
    device = pairing.device
    claimed_by = pairing.claimed_by_id
    done = db.session.execute(update(KioskPairing).where(KioskPairing.id == pairing.id,
                                                          KioskPairing.finished_at.is_(None))
                              .values(finished_at=utcnow())).rowcount
    if not done:
        return None
    device.secret_hash = digest(secret)
    device.paired_at, device.paired_by_id, device.revoked_at, device.revoked_by_id = utcnow(), claimed_by, None, None
    db.session.flush()
    audit.record("kiosk.device_paired", device, obj=device, details={"by": claimed_by})
    return secret


def device_for_secret(secret: str | None) -> KioskDevice | None:
    """The paired tablet holding this credential (one query on a unique index), else None."""
    if not secret or len(secret) > 200:
        return None
    from sqlalchemy.orm import joinedload

    device = db.session.scalar(select(KioskDevice).options(joinedload(KioskDevice.organization))
                               .where(KioskDevice.secret_hash == digest(secret)))
    return device if device is not None and device.enabled else None
