"""The mutation runner itself: it makes the expected mutants and reports one a weak test lets live."""
from __future__ import annotations

from pathlib import Path

from tests.mutation.operators import mutants, mutated_source
from tests.mutation.runner import _run_one

MODULE = 'def allowed(role: str, active: bool) -> bool:\n    """Doc."""\n    return active and role == "admin"\n'


def test_mutants_cover_conditions_and_constants_but_not_docstrings():
    found = {m.description for m in mutants("mod.py", MODULE)}
    assert {"And -> Or", "drop operand 0 of And: active", "Eq -> NotEq", "return not (...)",
            "constant 'admin' -> 'XXadmin'"} <= found
    assert not any("Doc." in d for d in found)


def test_a_weak_test_leaves_a_survivor_and_a_strong_one_kills_it(tmp_path: Path):
    (tmp_path / "mod.py").write_text(MODULE)
    drop_active = next(m for m in mutants("mod.py", MODULE) if m.description.startswith("drop operand 0"))
    assert "return role == 'admin'" in mutated_source(MODULE, drop_active)
    (tmp_path / "test_weak.py").write_text("from mod import allowed\n\ndef test_admin():\n"
                                          "    assert allowed('admin', True)\n")
    assert _run_one(tmp_path, drop_active, None, ["test_weak.py"], [], timeout=60) == "survived"
    assert (tmp_path / "mod.py").read_text() == MODULE  # restored
    (tmp_path / "test_strong.py").write_text("from mod import allowed\n\ndef test_inactive():\n"
                                            "    assert not allowed('admin', False)\n")
    assert _run_one(tmp_path, drop_active, None, ["test_strong.py"], [], timeout=60) == "killed"
