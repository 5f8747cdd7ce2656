"""Every error code a HuyingError is raised with comes from an app's error catalogue (errors.py),
never from a string written where it is raised: the OpenAPI document lists the catalogues, so a
code written anywhere else would be one a client cannot know about."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # huying/
SKIPPED_DIRS = {"tests", "migrations"}


def _modules() -> list[tuple[Path, ast.Module]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & SKIPPED_DIRS or path.name.startswith("test_"):
            continue
        found.append((path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))))
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _error_classes(modules: list[tuple[Path, ast.Module]]) -> set[str]:
    """Names of HuyingError and of every class defined under huying/ that derives from it."""
    classes = [node for _path, tree in modules for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    names = {"HuyingError"}
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in names and any(_name(base) in names for base in cls.bases):
                names.add(cls.name)
                grew = True
    return names


def literal_codes() -> list[str]:
    modules = _modules()
    errors = _error_classes(modules)
    offenders = []
    for path, tree in modules:
        if path.name == "errors.py":
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in errors):
                continue
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    offenders.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {_name(node.func)}")
    return offenders


def test_the_scan_sees_error_classes_of_every_app() -> None:
    names = _error_classes(_modules())
    assert {"HuyingError", "ValidationFailed", "NotFound", "PermissionDenied", "DatabaseBusy"} <= names


def test_no_error_is_raised_with_a_code_written_in_place() -> None:
    offenders = literal_codes()
    assert not offenders, "error codes written in place instead of taken from the app's errors.py:\n" + "\n".join(
        offenders
    )
