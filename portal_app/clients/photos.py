"""Client photos (S11): the type is decided by the content, never by the name; what is stored is re-encoded.

An upload is opened with Pillow, checked (format, bytes, pixels), verified, opened again, turned
upright (EXIF orientation), stripped of every piece of metadata (EXIF with GPS, ICC, XMP, comments)
and re-encoded: a photo of at most 512x512 and a 96x96 square thumbnail for lists. Nothing of the
uploaded file itself is ever stored or served.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import PhotoRejected

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_SIZE = (512, 512)
THUMB_SIZE = (96, 96)
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
JPEG_QUALITY = 85
STORED_AS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}  # format -> content type, extension

NOT_A_PHOTO = "This file is not a photo we can use. Choose a JPEG, PNG, WebP or GIF image."
TOO_MANY_BYTES = f"This photo is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB. Choose a smaller one."
TOO_MANY_PIXELS = (
    f"This photo has more than {MAX_PHOTO_PIXELS // 1_000_000} megapixels. "
    "Choose a smaller one, or resize it first."
)
NO_FILE = "Choose a photo to upload."


@dataclass(frozen=True)
class PreparedPhoto:
    """The re-encoded photo and thumbnail, ready for storage."""

    photo: bytes
    thumb: bytes
    content_type: str
    extension: str


def _open_checked(data: bytes) -> Image.Image:
    """Open, check and verify the upload; return it opened again (verify() spends the first one)."""
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format not in ACCEPTED_FORMATS:
            raise PhotoRejected(NOT_A_PHOTO)
        width, height = probe.size
        if width * height > MAX_PHOTO_PIXELS:
            raise PhotoRejected(TOO_MANY_PIXELS)
        probe.verify()
    image = Image.open(io.BytesIO(data))
    image.seek(0)  # the first frame of an animation
    image.draft("RGB", (PHOTO_SIZE[0] * 2, PHOTO_SIZE[1] * 2))  # JPEG: decode at a reduced scale
    image.load()
    return image


def _upright_small(image: Image.Image) -> tuple[Image.Image, str]:
    """At most 512x512, upright, RGB (RGBA if it has transparency), without any metadata; and its format."""
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    ImageOps.exif_transpose(image, in_place=True)
    mode, fmt = ("RGBA", "PNG") if transparent else ("RGB", "JPEG")
    small = image.convert(mode)
    small.thumbnail(PHOTO_SIZE, Image.Resampling.LANCZOS)
    clean = Image.new(mode, small.size)  # a new image carries none of the upload's info (EXIF, ICC, XMP)
    clean.paste(small)
    return clean, fmt


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def prepare_photo(data: bytes) -> PreparedPhoto:
    """Check an uploaded photo by its content and re-encode it; PhotoRejected says why not."""
    if not data:
        raise PhotoRejected(NO_FILE)
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRejected(TOO_MANY_BYTES)
    try:
        with warnings.catch_warnings():
            # Pillow's own decompression-bomb guard warns first: make that a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            photo, fmt = _upright_small(_open_checked(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        raise PhotoRejected(TOO_MANY_PIXELS) from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise PhotoRejected(NOT_A_PHOTO) from err
    thumb = ImageOps.fit(photo, THUMB_SIZE, Image.Resampling.LANCZOS)
    content_type, extension = STORED_AS[fmt]
    return PreparedPhoto(_encode(photo, fmt), _encode(thumb, fmt), content_type, extension)
