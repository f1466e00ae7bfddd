"""Statements built once per process and bound per request.

Building a SELECT with its joins, conditions and loader options costs SQLAlchemy more CPU than running it
on an indexed page of rows (0.3-1 ms a statement, every request). The busy pages' queries are therefore
built once, with the acting person's ids as bound parameters, and executed with that person's values:
`BoundStaff(case_manager)` stands where a query builder reads `actor.id`, `actor.organization_id` and
`actor.role`, and `staff_params(actor)` gives the values.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam

from .accounts.models import Role


class BoundStaff:
    """A staff actor as bound parameters: its id and agency are filled per request, its kind of role
    (case manager or not, which changes the statement's shape) is fixed per statement."""

    id = bindparam("actor_id")
    organization_id = bindparam("organization_id")

    def __init__(self, case_manager: bool) -> None:
        self.role = Role.CASE_MANAGER if case_manager else Role.SUPERVISOR


def is_case_manager(actor: Any) -> bool:
    return actor.role == Role.CASE_MANAGER


def staff_params(actor: Any) -> dict[str, int]:
    return {"actor_id": actor.id, "organization_id": actor.organization_id}
