"""Validation against the official HSDS 3.0 JSON schemas kept in schema/ (their $refs resolve locally)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "schema"
HSDS_VERSION = "3.0"


class HsdsInvalid(ValueError):
    """The data does not validate against the HSDS 3.0 schema; the message lists the first problems."""


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        resources.append((path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    """A validator for one schema file: "service.json", "compiled/tabular.json" ..."""
    schema = json.loads((SCHEMA_DIR / name).read_text())
    return Draft202012Validator(schema, registry=_registry())


def tabular_schema() -> dict:
    return validator("compiled/tabular.json").schema


def check(document: object, name: str = "compiled/tabular.json", limit: int = 5) -> None:
    """Raise HsdsInvalid naming where the document breaks the schema."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:200]}" for e in errors[:limit]]
        raise HsdsInvalid(f"{len(errors)} HSDS 3.0 schema error(s): " + "; ".join(lines))
