"""S4: after sign-in only a path on the same site is followed (no open redirect, no header injection)."""
from __future__ import annotations

import pytest

from blueprints._common import safe_next

DEFAULT = "/staff/"


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/staff/x", "//evil.example/staff/x", "/portal/messages", "/staffx/a",
    "staff/clients", "/staff/\\evil", "/staff/a\r\nSet-Cookie: x=1", "/staff/a\x00", "/staff/a\x1f",
    "/staff/a\x7f", "http:/staff/x", "//staff/x",
])
def test_unsafe_targets_fall_back_to_the_default(target):
    assert safe_next(target, "staff", DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", ["/staff/clients/3", "/staff/a?x=1&y=2", "/staff/a b", "/staff/~ok!"])
def test_same_site_paths_are_followed(target):
    assert safe_next(target, "staff", DEFAULT) == target
