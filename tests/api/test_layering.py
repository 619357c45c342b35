"""The package boundaries hold: ``api/`` is the HTTP app and the core it shares with the worker,
so only the app factory (``api/main.py``) may import the GraphQL layer or the worker; the command
line names them by module path. And ``schema.loaders`` does not import ``schema.context``."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.services import REPO

APP_FACTORY = REPO / "api" / "main.py"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function or ``TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_only_the_app_factory_imports_schema_or_worker() -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in {"schema", "worker"}
        )
        for path in sorted((REPO / "api").rglob("*.py"))
        if path != APP_FACTORY
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_loaders_do_not_import_the_context() -> None:
    assert "schema.context" not in imported_modules(REPO / "schema" / "loaders.py")


def test_the_checker_sees_imports_in_functions() -> None:
    """The rule would pass vacuously if lazy imports went unseen: the factory has some."""
    assert any(m.startswith("schema") for m in imported_modules(APP_FACTORY))
