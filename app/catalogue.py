"""The SQL page's reference material: what each table and view holds, and the example queries,
both read from the files in sql/."""
from __future__ import annotations

import functools
import re

from etl.store import SQL_DIR

_GRAIN_COMMENT = re.compile(r"^--\s*(\w+)(?:\([^)]*\))?:\s*(.+)$", re.MULTILINE)


@functools.cache
def object_descriptions() -> dict[str, str]:
    """One-line descriptions of tables and views, from the comment that opens each in sql/."""
    found: dict[str, str] = {}
    for name in ("schema.sql", "views.sql", "marts.sql"):
        for m in _GRAIN_COMMENT.finditer((SQL_DIR / name).read_text(encoding="utf-8")):
            found.setdefault(m.group(1), m.group(2).strip())
    return found


@functools.cache
def example_queries() -> dict[str, str]:
    """Example queries: sql/examples/*.sql, each titled by its first comment line."""
    examples = {}
    for path in sorted((SQL_DIR / "examples").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        examples[title.lstrip("- ").strip()] = body.strip()
    return examples
