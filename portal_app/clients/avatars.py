"""Placeholder client photos: a soft coloured square with the client's initials."""
from __future__ import annotations

import io
import unicodedata

from PIL import Image, ImageDraw, ImageFont

SIZE = 256

# (background, foreground) pairs: pale backgrounds with a dark tint of the same hue,
# so the initials keep a contrast ratio well above 4.5:1.
PALETTE = (
    ((219, 234, 254), (30, 64, 138)),   # blue
    ((220, 252, 231), (22, 101, 52)),   # green
    ((254, 243, 199), (133, 77, 14)),   # amber
    ((252, 231, 243), (157, 23, 77)),   # pink
    ((237, 233, 254), (76, 29, 149)),   # violet
    ((204, 251, 241), (17, 94, 89)),    # teal
    ((255, 237, 213), (154, 52, 18)),   # orange
    ((241, 245, 249), (51, 65, 85)),    # slate
)


def _silhouette(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    """Head and shoulders, for a client without initials."""
    draw.ellipse((88, 48, 168, 128), fill=colour)
    draw.ellipse((40, 144, 216, 320), fill=colour)


def _drawable(initials: str) -> str:
    """Up to two letters the bundled font can draw: accents folded (Á -> A), other scripts dropped."""
    folded = unicodedata.normalize("NFKD", initials).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum())[:2].upper()


def generate_avatar(initials: str, seed: int) -> bytes:
    """A 256x256 PNG: background colour picked by `seed`, initials (or a silhouette) on top."""
    background, foreground = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    text = _drawable(initials)
    if text:
        font = ImageFont.load_default(size=112)  # Pillow's bundled font: nothing fetched
        draw.text((SIZE / 2, SIZE / 2), text, font=font, fill=foreground, anchor="mm")
    else:
        _silhouette(draw, foreground)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
