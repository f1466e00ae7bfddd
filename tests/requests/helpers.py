"""A client with a portal account, the agency's document categories and a GAD-7 offered as a portal
assessment, for the requests tests."""
from __future__ import annotations

import functools
import io

from PIL import Image

from portal_app.documents.screening import SCREENING_TEMPLATES
from portal_app.documents.services import install_template
from portal_app.extensions import db
from portal_app.requests.categories import install_defaults
from tests import factories


def grant_portal(people: dict) -> None:
    """The staff people hold the "Client Portal" permission (requests need it, as the Client Portal Manager)."""
    for role in ("admin", "supervisor", "case_manager"):
        people[role].perm_client_portal = True
    db.session.flush()


def gad7(admin):
    spec = next(s for s in SCREENING_TEMPLATES if s["name"].startswith("GAD-7"))
    return install_template(admin, **spec)


def answers_for(version, score_each: int = 1) -> dict:
    """Every required choice answered with the choice scoring `score_each` (or the first one)."""
    found = {}
    for f in version.fields:
        if f["kind"] == "single_choice":
            pick = next((c for c in f["choices"] if c.get("score") == score_each), f["choices"][0])
            found[f["key"]] = pick["value"]
    return found


def category(agency, name: str):
    return next(c for c in install_defaults(agency.id) if c.name == name)


def portal_client(agency, *, username: str = "maria", relationship: str = "self"):
    """A client of `agency` with one portal account acting for them: (client, account, access)."""
    client = factories.client(agency, first_name="Maria", last_name="Lopez")
    account = factories.account(username, email=f"{username}@example.test")
    access = factories.access(account, client, relationship=relationship)
    db.session.flush()
    return client, account, access


def png_bytes(size=(120, 160), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a camera model and a GPS position."""
    image = Image.new("RGB", (100, 80), (10, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 9"  # Model
    exif[0x8825] = {1: "N", 2: (45.0, 30.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@functools.cache
def huge_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real PNG of width x height pixels (1-bit, all black: a few kilobytes compressed)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=False)
    return out.getvalue()
