"""Reproducible installs: the lock files pin, with hashes, a version within each range of pyproject.toml.

Adding or changing a dependency without `make lock` fails here (and so in CI).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)(?: ;[^\\]*)? \\$")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pins(lock: str) -> dict[str, set[str]]:
    """name -> pinned versions (a universal lock may pin one name twice, under exclusive markers)."""
    pins: dict[str, set[str]] = {}
    lines = (ROOT / "requirements" / lock).read_text().splitlines()
    for n, line in enumerate(lines):
        match = PIN.match(line)
        if match:
            assert lines[n + 1].strip().startswith("--hash=sha256:"), f"{lock}: {match.group(1)} has no hash"
            pins.setdefault(canonicalize_name(match.group(1)), set()).add(match.group(2))
    return pins


@pytest.mark.parametrize(("lock", "extras"), [("lock.txt", ()), ("lock-test.txt", ("test",))])
def test_lock_pins_every_dependency_within_its_range(lock, extras):
    project = _pyproject()
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    pins = _pins(lock)
    for req in wanted:
        versions = pins.get(canonicalize_name(req.name))
        assert versions, f"{req.name} is not in requirements/{lock}: run `make lock`"
        assert all(req.specifier.contains(v, prereleases=True) for v in versions), (
            f"requirements/{lock} pins {req.name} {versions}, outside {req.specifier}: run `make lock`")
    for extra in extras:  # the test lock holds the runtime lock's exact versions
        for name, versions in _pins("lock.txt").items():
            assert pins.get(name) == versions, f"{name}: lock.txt and {lock} differ: run `make lock`"


def test_gunicorn_stays_below_27():
    """gunicorn 27 shares one control socket per user (gunicorn.conf.py also turns it off)."""
    assert all(int(v.split(".")[0]) < 27 for v in _pins("lock.txt")["gunicorn"])
