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
