"""Generated client photos."""
import io

import pytest
from PIL import Image

from portal_app.clients.avatars import PALETTE, generate_avatar

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("initials", ["MG", "ÁÑ", "", "李"])
def test_avatar_is_a_256_pixel_png(initials):
    data = generate_avatar(initials, seed=3)
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.verify()
    assert Image.open(io.BytesIO(data)).size == (256, 256)


def test_seed_picks_the_background_and_output_is_stable():
    first = Image.open(io.BytesIO(generate_avatar("JW", seed=0))).convert("RGB")
    second = Image.open(io.BytesIO(generate_avatar("JW", seed=1))).convert("RGB")
    assert first.getpixel((2, 2)) == PALETTE[0][0]
    assert second.getpixel((2, 2)) == PALETTE[1][0]
    assert generate_avatar("JW", seed=0) == generate_avatar("JW", seed=0)


def test_initials_are_drawn():
    image = Image.open(io.BytesIO(generate_avatar("MG", seed=0))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=256 * 256)}
    assert PALETTE[0][1] in colours  # the foreground colour appears
