"""The pages of a document a client sends (S11): checked by their content, never their name, then made into
one PDF. Photos are decoded with a pixel limit before any full decode (a 20,000 x 20,000 image is refused
from its header), turned upright, stripped of EXIF/GPS by re-encoding, and scaled to a readable size; a PDF
must open and have pages. HEIC: the server has no HEIF decoder (pillow-heif is not installed), so HEIC
photos are refused with a sentence saying how to send them instead.
"""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from .errors import UploadRejected, UploadTooLarge

# Once per process (Pillow keeps a registry of openers); the primary image only.
register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_PAGE_PIXELS = 40_000_000
MAX_PAGES = 10
PAGE_SIZE = (1700, 2200)  # about 200 dpi on a letter page: readable, small
NOT_A_DOCUMENT = "This file is not a photo or PDF we can use. Choose a JPEG, PNG, HEIC or PDF file."
HEIC_UNREADABLE = ("This HEIC photo could not be read: the file may be damaged or incomplete. Take the photo "
                   "again, or choose a JPEG, PNG or PDF file.")
TOO_LARGE = "This file is too large. Each page can be at most 10 MB and 40 megapixels."
TOO_MANY_PAGES = "Send at most 10 pages for one document."
NO_FILE = "Choose a photo or PDF of the document."
HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
# What Pillow must find when it opens a photo of each kind that sniff() named.
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "heic": "HEIF"}


def sniff(data: bytes) -> str:
    """"pdf", "jpeg", "png", "heic" by the first bytes; UploadRejected for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "heic"
    raise UploadRejected(NOT_A_DOCUMENT)


def _image_page(data: bytes, kind: str) -> Image.Image:
    """The photo, checked (pixels from the header first), upright, RGB, without metadata, at most PAGE_SIZE."""
    unreadable = HEIC_UNREADABLE if kind == "heic" else NOT_A_DOCUMENT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != IMAGE_FORMATS[kind]:
                    raise UploadRejected(unreadable)
                width, height = probe.size
                if width * height > MAX_PAGE_PIXELS:
                    raise UploadTooLarge(TOO_LARGE)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.draft("RGB", PAGE_SIZE)
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        raise UploadTooLarge(TOO_LARGE) from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, RuntimeError) as err:
        raise UploadRejected(unreadable) from err
    ImageOps.exif_transpose(image, in_place=True)
    page = image.convert("RGB")
    page.thumbnail(PAGE_SIZE, Image.Resampling.LANCZOS)
    clean = Image.new("RGB", page.size, "white")  # a new image carries none of the upload's EXIF, ICC, XMP
    clean.paste(page)
    return clean


def check_page(data: bytes) -> bytes:
    """One uploaded page, checked; returns what is kept: a one-page (or more) PDF, never the upload itself."""
    if not data:
        raise UploadRejected(NO_FILE)
    if len(data) > MAX_PAGE_BYTES:
        raise UploadTooLarge(TOO_LARGE)
    kind = sniff(data)
    if kind == "pdf":
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted or not 1 <= len(reader.pages) <= MAX_PAGES:
                raise UploadRejected(NOT_A_DOCUMENT)
            writer = PdfWriter()
            for page in reader.pages:
                writer.add_page(page)
            out = io.BytesIO()
            writer.write(out)  # re-written: what is kept is our own file, without the upload's metadata
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
            raise UploadRejected(NOT_A_DOCUMENT) from err
        return out.getvalue()
    out = io.BytesIO()
    _image_page(data, kind).save(out, format="PDF", resolution=200.0)
    return out.getvalue()


def combine(pages: list[bytes]) -> tuple[bytes, int]:
    """Checked pages (PDFs from check_page) made into one PDF; (its bytes, its number of pages)."""
    if not pages:
        raise UploadRejected(NO_FILE)
    writer = PdfWriter()
    for data in pages:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    if len(writer.pages) > MAX_PAGES:
        raise UploadRejected(TOO_MANY_PAGES)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
