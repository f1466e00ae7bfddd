"""Who may manage form templates: an agency's administrators, for their own agency's forms only."""
from __future__ import annotations

from typing import Any

from ..accounts.models import User
from ..authz import Permission, object_rule
from .models import FormTemplate, FormTemplateVersion


def _template_of(obj: Any) -> FormTemplate | None:
    return obj.template if isinstance(obj, FormTemplateVersion) else obj


@object_rule(Permission.ADMIN_FORMS)
def may_manage_form_template(actor: User, obj: FormTemplate | FormTemplateVersion | None) -> bool:
    """The Forms list (no object: scoped by its query), or a template (or version) of the admin's agency."""
    if not (actor.is_admin and actor.organization_id is not None):
        return False
    template = _template_of(obj)
    if template is None:
        return obj is None
    if not isinstance(template, FormTemplate):
        return False
    return template.organization_id == actor.organization_id
