"""Files stay small (issue 10, STYLE.md 8): no source file of ours is over 400 lines.

Counted: Python, templates (.html, .txt emails), CSS and JavaScript of ours. Not counted: Alembic
migrations (generated history), translations (catalogues), lock files (generated), vendored
third-party files (static/vendor: htmx, unmodified), and what is not ours (.venv, instance/, caches).
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
SUFFIXES = {".py", ".html", ".css", ".js", ".txt"}
SKIPPED_DIRS = {".venv", ".git", "instance", "__pycache__", "node_modules", ".hypothesis", ".pytest_cache",
                "migrations", "translations", "vendor"}


def source_files(root: Path = ROOT) -> list[Path]:
    """Our source files, by the rules above."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.suffix in SUFFIXES and not path.name.startswith("lock"):
            found.append(path)
    return found


def too_long(root: Path = ROOT) -> list[str]:
    """`path: N lines` of each file over MAX_LINES."""
    found = []
    for path in source_files(root):
        lines = len(path.read_text(encoding="utf-8", errors="replace").splitlines())
        if lines > MAX_LINES:
            found.append(f"{path.relative_to(root).as_posix()}: {lines} lines")
    return found


def test_no_source_file_is_over_400_lines():
    files = source_files()
    assert len(files) > 100 and ROOT / "portal_app" / "worker.py" in files
    assert ROOT / "templates" / "base.html" in files and ROOT / "static" / "css" / "base.css" in files
    assert too_long() == [], "split these by concern (STYLE.md 8)"


def test_the_walk_counts_ours_and_skips_generated_and_vendored_files(tmp_path):
    for relative, lines in {"app/big.py": 401, "app/ok.html": 400, "templates/mail.txt": 401,
                            "migrations/versions/x.py": 900, "app/translations/es/messages.po": 900,
                            "requirements/lock.txt": 900, "static/vendor/htmx.js": 900, ".venv/lib/x.py": 900,
                            "README.md": 900}.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n" * lines)
    assert too_long(tmp_path) == ["app/big.py: 401 lines", "templates/mail.txt: 401 lines"]


def _rendered_by_views() -> set[str]:
    """Template names that Python code renders by name (the htmx endpoints answer with these)."""
    import re

    names: set[str] = set()
    for path in (ROOT / "blueprints").rglob("*.py"):
        names |= set(re.findall(r'["\']([\w/]+/_partials/[\w]+\.html)["\']', path.read_text(encoding="utf-8")))
    return names


def test_partials_hold_htmx_fragments_only():
    """STYLE.md 6 and issue 10 item 5: a file under `_partials/` is an htmx fragment a view answers with, or a
    piece such a fragment includes (an out-of-band part); what pages only include lives in `_includes/`."""
    import re

    templates = ROOT / "templates"
    fragments = _rendered_by_views()
    assert fragments, "no view renders a fragment by name: the check would pass for nothing"
    reached, todo = set(fragments), list(fragments)
    while todo:
        text = (templates / todo.pop()).read_text(encoding="utf-8")
        for name in re.findall(r'["\']([\w/]+/_partials/[\w]+\.html)["\']', text):
            if name not in reached:
                reached.add(name)
                todo.append(name)
    partials = {p.relative_to(templates).as_posix() for p in templates.rglob("_partials/*.html")}
    assert sorted(partials - reached) == [], "include-only templates belong in an _includes/ folder"
