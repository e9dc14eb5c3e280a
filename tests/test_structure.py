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
    too_long = [
        f"{path.relative_to(ROOT)}:{line} {name} ({lines} lines)"
        for path in product_files()
        for name, line, lines in long_functions(path.read_text(encoding="utf-8"), MAX_FUNCTION_LINES)
    ]
    assert too_long == [], "split these into small named steps: " + "; ".join(too_long)


# -- import layering -------------------------------------------------------------------------
# The ETL in the order a file flows through it, lowest first: a module imports only from its own
# layer or one below (imports inside functions count too), and no two modules import each other,
# however indirectly. A module is in the layer of the longest prefix of its name listed here.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # what every stage shares: failures as values, outcomes' words, text cleaning, the Row a reader
    # gives, worker processes, file formats of its own
    (
        "foundation",
        (
            "etl.settings",
            "etl.failures",
            "etl.outcomes",
            "etl.cleantext",
            "etl.extract.rows",
            "etl.workers",
            "etl.tablefile",
            "etl.readahead",
            "etl.manifest",
        ),
    ),
    # map: the layouts that map a council's labels and words to fields (data every stage reads),
    # and dates read with their vocabulary
    ("map", ("etl.layouts.config", "etl.layouts.overrides", "etl.dates")),
    ("extract", ("etl.extract",)),
    # rows to records, a long export's change rows folded into one record each
    ("assemble", ("etl.records", "etl.leave_out", "etl.long_format", "etl.assemble")),
    ("interpret", ("etl.interpret", "etl.selfcheck", "etl.identity")),
    # one file through the stages above, in worker processes
    ("read", ("etl.plan", "etl.parse", "etl.parallel")),
    ("store", ("etl.store", "etl.wording")),
    ("load", ("etl.load", "etl.reread", "etl.progress", "etl.layouts.transfer", "etl.store.backup")),
    ("command line", ("etl.cli", "etl.__main__")),
    ("apps", ("app", "pages", "admin", "dashboard")),
]
PACKAGES = ("etl", "etl.extract", "etl.interpret", "etl.layouts", "etl.selfcheck", "etl.store")  # empty: no layer


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """The index of the module's layer in LAYERS; None for a package's (empty) __init__."""
    if module in PACKAGES:
        return None
    matches = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    return max(matches)[1]


def imports(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules (of `known`) a module's source imports anywhere in it: at the top, in
    functions, in TYPE_CHECKING blocks."""
    found: set[str] = set()
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            stem = ".".join(p for p in (base, node.module or "") if p)
            names = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        # `from etl.store import store` imports the module etl.store.store; `from etl.x import name` the module etl.x
        found.update(next((n for n in (name, name.rpartition(".")[0]) if n in known), "") for name in names)
    return found - {"", module}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(path): path for path in product_files()}
    known = set(files)
    return {module: imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py", known) for module, path in files.items()}


def test_no_module_imports_from_a_later_stage() -> None:
    backwards = []
    for module, imported in sorted(import_graph().items()):
        own = layer_of(module)
        for other in sorted(imported):
            theirs = layer_of(other)
            if own is not None and theirs is not None and theirs > own:
                backwards.append(f"{module} ({LAYERS[own][0]}) imports {other} ({LAYERS[theirs][0]})")
    assert backwards == [], "imports running back up the flow: " + "; ".join(backwards)


def test_no_modules_import_each_other() -> None:
    graph = import_graph()
    cycles = []
    for start in sorted(graph):
        seen, todo = set(), [start]
        while todo:  # every module `start` reaches
            for other in graph.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        if start in seen:
            cycles.append(start)
    assert cycles == [], "modules that import themselves through others: " + ", ".join(cycles)


def test_the_layering_check_sees_imports_inside_functions_and_relative_ones() -> None:
    known = {"etl.assemble", "etl.extract.rows", "etl.store.store", "etl.store.derived"}
    inside = "def read():\n    from etl.assemble import assemble\n"
    assert imports(inside, "etl.extract.example", False, known) == {"etl.assemble"}
    assert layer_of("etl.extract.example") < layer_of("etl.assemble")  # type: ignore[operator]
    relative = "from . import store\nfrom .derived import refresh\nimport etl.extract.rows\n"
    assert imports(relative, "etl.store.example", False, known) == {"etl.store.store", "etl.store.derived", "etl.extract.rows"}
