"""Clients, their care teams, and image bytes: rows flushed (not committed), real images made with Pillow."""
from __future__ import annotations

import io
import itertools
import struct
import zlib
from datetime import date

from PIL import Image
from sqlalchemy import insert

from portal_app.accounts.models import Organization, User
from portal_app.clients.avatars import generate_avatar
from portal_app.clients.models import CareTeamMember, Client
from portal_app.clients.search import index_clients
from portal_app.extensions import db
from portal_app.files import StoredFile, store_bytes

_seq = itertools.count(1)


def client(org: Organization, *, care_team: tuple[tuple[User, str], ...] = (), **kw) -> Client:
    """A client of `org`; `care_team` pairs (user, role label)."""
    n = next(_seq)
    kw.setdefault("first_name", f"Client{n}")
    kw.setdefault("last_name", f"Person{n}")
    kw.setdefault("date_of_birth", date(1980, 1, 1 + n % 28))
    person = Client(organization=org, **kw)
    for user, role in care_team:
        person.care_team.append(CareTeamMember(user=user, role=role))
    db.session.add(person)
    db.session.flush()
    return person


def photo(seed: int = 1) -> StoredFile:
    """A real PNG in file storage (a generated avatar), for a client's photo."""
    return store_bytes(generate_avatar("PH", seed), "image/png", "photo.png")


def care_team(client: Client, user: User, role: str = "Case manager") -> CareTeamMember:
    """`user` joins the client's care team."""
    member = CareTeamMember(client=client, user=user, role=role)
    db.session.add(member)
    db.session.flush()
    return member


def many_clients(org: Organization, count: int, case_manager: User) -> list[int]:
    """`count` clients of `org`, each with `case_manager` on the care team, in two bulk statements."""
    start = next(_seq) * 10_000
    rows = [
        {"organization_id": org.id, "first_name": f"Bulk{start + i}", "last_name": f"Client{start + i:07d}",
         "phone": f"(541) 555-{i % 10_000:04d}", "date_of_birth": date(1970 + i % 40, 1 + i % 12, 1 + i % 28)}
        for i in range(count)
    ]
    ids = db.session.scalars(insert(Client).returning(Client.id), rows).all()
    db.session.execute(insert(CareTeamMember), [{"client_id": i, "user_id": case_manager.id} for i in ids])
    index_clients(ids)  # bulk inserts skip the model's events: their search terms are added here
    return ids


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), mode: str = "RGB",
                color: tuple[int, ...] | int = (200, 30, 30), **save_options) -> bytes:
    """A real image in `fmt`, made with Pillow."""
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **save_options)
    return out.getvalue()


def jpeg_with_exif(size: tuple[int, int] = (80, 40), orientation: int = 6) -> bytes:
    """A JPEG whose EXIF holds an orientation (6: turn 90 degrees clockwise), GPS and a camera name."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (45.0, 30.0, 0.0)}  # GPS: latitude
    return image_bytes("JPEG", size, exif=exif.tobytes())


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but holds no pixels: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
