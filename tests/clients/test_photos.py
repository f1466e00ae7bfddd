"""prepare_photo on hostile bytes: whatever arrives, the answer is a photo or PhotoRejected, never a crash."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portal_app.clients.errors import PhotoRejected
from portal_app.clients.photos import prepare_photo
from tests.factories.clients import image_bytes

SIGNATURES = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 "]
VALID = [image_bytes(fmt, (40, 30)) for fmt in ("PNG", "JPEG", "GIF", "WEBP")]


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from(SIGNATURES + VALID), cut=st.integers(0, 400), noise=st.binary(max_size=300))
def test_hostile_bytes_give_a_photo_or_a_clear_refusal(prefix, cut, noise):
    data = prefix[: max(len(prefix) - cut, 0)] + noise if prefix in VALID else prefix + noise
    try:
        prepared = prepare_photo(data)
    except PhotoRejected as err:
        assert err.field == "photo" and str(err)
    else:
        assert prepared.content_type in ("image/jpeg", "image/png")
