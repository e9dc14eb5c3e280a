"""The shape of the code a maintainer relies on: no product function grows past what one reading
takes in (a long procedure is written as small named steps)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The product: the loader, the dashboard and the admin app. Tests and benchmarks are exempt.
PRODUCT = ("etl", "app", "pages", "admin.py", "dashboard.py")
MAX_FUNCTION_LINES = 60


def product_files() -> list[Path]:
    files: list[Path] = []
    for name in PRODUCT:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def long_functions(source: str, limit: int) -> list[tuple[str, int, int]]:
    """(name, first line, lines) of every function in `source` longer than `limit` lines, counted
    from its `def` to its last line (a nested function counts within its parent too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > limit:
                found.append((node.name, node.lineno, lines))
    return found


def test_the_count_runs_from_def_to_the_last_line() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    assert long_functions(f"def short():\n{body[: body.index('x59')]}\n", 60) == []
    assert long_functions(f"def long():\n{body}", 60) == [("long", 1, 61)]
    assert long_functions(f"class C:\n    def method(self):\n    {body.replace(chr(10), chr(10) + '    ')}", 60)[0][0] == "method"


def test_no_product_function_is_over_sixty_lines() -> None:
    too_long = [f"{path.relative_to(ROOT)}:{line} {name} ({lines} lines)"
                for path in product_files()
                for name, line, lines in long_functions(path.read_text(encoding="utf-8"), MAX_FUNCTION_LINES)]
    assert too_long == [], "split these into small named steps: " + "; ".join(too_long)
