"""Written once (issue 10, item 4): the confirm-inside-<details> destructive action and the empty list are
macros in templates/_macros/, and no page spells them out again."""
from __future__ import annotations

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _pages() -> list[Path]:
    return [p for p in TEMPLATES.rglob("*.html") if "_macros" not in p.parts]


@pytest.mark.parametrize(("pattern", "macro"), [
    ('<details class="confirm"', "_macros/confirm.html"),
    ("on this page. <a", "_macros/lists.html"),
])
def test_patterns_live_in_their_macro_only(pattern, macro):
    assert pattern in (TEMPLATES / macro).read_text()
    spelled_out = [str(p.relative_to(TEMPLATES)) for p in _pages() if pattern in p.read_text()]
    assert not spelled_out, spelled_out


def test_every_empty_list_goes_through_the_macro():
    """A bare empty-state paragraph is allowed only for an empty field, not a list (partner share note)."""
    bare = [str(p.relative_to(TEMPLATES)) for p in _pages() if '<p class="empty">' in p.read_text()]
    assert bare == ["partner/clients/detail.html"], bare


def test_confirm_macro_renders_a_working_form(app):
    with app.test_request_context("/staff/"):
        macro = app.jinja_env.get_template("_macros/confirm.html").module.confirm_action
        out = str(macro("Remove", "/staff/x", "Remove it?", "Remove Hope", object="Hope", next="/staff/"))
    assert '<summary>Remove<span class="vh"> Hope</span></summary>' in out
    assert 'action="/staff/x"' in out and 'name="csrf_token"' in out and 'name="next" value="/staff/"' in out
    assert '<button type="submit" class="danger">Remove Hope</button>' in out
