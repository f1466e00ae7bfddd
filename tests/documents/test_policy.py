"""The object rule of Permission.ADMIN_FORMS, as a truth table (on stand-ins, no database) and through can()."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal_app.authz import Permission, can
from portal_app.documents.models import FormTemplate, FormTemplateVersion
from portal_app.documents.policy import may_manage_form_template


def person(role: str, org: int | None = 1) -> SimpleNamespace:
    return SimpleNamespace(role=role, is_admin=role == "admin", organization_id=org, is_authenticated=True,
                           enabled=True)


OWN, OTHER = FormTemplate(organization_id=1), FormTemplate(organization_id=2)


@pytest.mark.parametrize(("actor", "obj", "allowed"), [
    (person("admin"), None, True),                                   # the list: scoped by its query
    (person("admin"), OWN, True),
    (person("admin"), FormTemplateVersion(template=OWN), True),
    (person("admin"), OTHER, False),
    (person("admin"), FormTemplateVersion(template=OTHER), False),
    (person("admin", org=None), None, False),
    (person("admin", org=None), OWN, False),
    (person("supervisor"), None, False),
    (person("supervisor"), OWN, False),
    (person("case_manager"), OWN, False),
    (person("operator", org=9), None, False),
    (person("admin"), SimpleNamespace(organization_id=1), False),    # not a form template at all
])
def test_only_an_agencys_administrators_manage_its_forms(actor, obj, allowed):
    assert may_manage_form_template(actor, obj) is allowed


def test_can_checks_the_role_grant_then_the_rule():
    assert can(person("admin"), Permission.ADMIN_FORMS, OWN)
    assert not can(person("admin"), Permission.ADMIN_FORMS, OTHER)
    assert not can(person("supervisor"), Permission.ADMIN_FORMS)
    assert not can(SimpleNamespace(**{**vars(person("admin")), "enabled": False}), Permission.ADMIN_FORMS, OWN)
