"""Programs around the demo clients' ZIP codes (Eugene/Springfield, OR)."""
from __future__ import annotations

import pytest

from portal_app.programs import services


def make_program(actor, organization, name: str, zips: tuple[str, ...] = ("97401",), **data):
    """A program of `organization` with one location per ZIP."""
    program = services.create_program(actor, organization, name=name, **data)
    for code in zips:
        services.add_location(actor, program, postal_code=code, address_1="1 Main St")
    return program


@pytest.fixture
def make(admin):
    return lambda organization, name, zips=("97401",), **data: make_program(admin, organization, name, zips, **data)
