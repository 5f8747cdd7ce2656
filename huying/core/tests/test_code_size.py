"""Size and single-place rules for the code under huying/ (tests and migrations aside).

* A module is at most ``MAX_MODULE_LINES`` lines, unless it is a data module (its docstring's first line
  says "data module", or it sets ``__data_module__ = True``): tables of codes, seeds, reference lists.
* A function or method is at most ``MAX_FUNCTION_LINES`` lines (from its ``def`` to its last line),
  data module or not.
* A record's version is bumped in one place, ``core.statemachine.versioned_update``.
* Pages check roles with one ``role_required`` decorator.

Pure file reading: no database, no Django.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

HUYING = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
VERSION_BUMP = re.compile(r"""F\(\s*(["'][a-z_]*version["']|version_field)\s*\)\s*\+\s*1""")
ROLE_REQUIRED = re.compile(r"^[ \t]*def " + "role_required" + r"\b", re.MULTILINE)  # split: not a match itself


def source_files() -> list[Path]:
    """Every .py file under huying/ outside tests/ and migrations/ folders."""
    return sorted(
        p for p in HUYING.rglob("*.py") if not {"tests", "migrations"} & set(p.relative_to(HUYING).parts[:-1])
    )


def is_data_module(tree: ast.Module) -> bool:
    first_line = (ast.get_docstring(tree) or "").strip().split("\n", 1)[0]
    if "data module" in first_line.lower():
        return True
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and node.value.value is True
            and any(isinstance(t, ast.Name) and t.id == "__data_module__" for t in node.targets)
        ):
            return True
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "__data_module__"
            and isinstance(node.value, ast.Constant)
            and node.value.value is True
        ):
            return True
    return False


def long_functions(tree: ast.Module) -> list[tuple[str, int, int]]:
    """(qualified name, first line, length) of every function or method over the limit, nested ones too."""
    found: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append((name, child.lineno, length))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def rel(path: Path) -> str:
    return str(path.relative_to(HUYING.parent))


def test_modules_are_at_most_500_lines_unless_data() -> None:
    too_long = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES and not is_data_module(ast.parse(text, filename=str(path))):
            too_long.append(f"{rel(path)}: {lines} lines")
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines (split them, or mark a data module):\n" + "\n".join(
        too_long
    )


def test_functions_are_at_most_80_lines() -> None:
    too_long = []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        too_long += [f"{rel(path)}:{line} {name}: {length} lines" for name, line, length in long_functions(tree)]
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(too_long)


def test_version_is_bumped_only_by_versioned_update() -> None:
    places = [
        f"{rel(path)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in sorted(HUYING.rglob("*.py"))
        if "migrations" not in path.parts
        for text in [path.read_text(encoding="utf-8")]
        for match in VERSION_BUMP.finditer(text)
    ]
    files = sorted({place.rsplit(":", 1)[0] for place in places})
    assert files == ["huying/core/statemachine.py"], (
        "a version is bumped only in huying/core/statemachine.py (call versioned_update); bumps found at:\n"
        + "\n".join(places)
    )


def test_one_role_required_decorator() -> None:
    places = [
        f"{rel(path)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in sorted(HUYING.rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for match in ROLE_REQUIRED.finditer(text)
    ]
    assert len(places) == 1, "role_required must be defined once; found at:\n" + "\n".join(places)
