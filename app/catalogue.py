"""The SQL page's reference material: what each table and view holds, and the example queries,
both read from the files in sql/."""
from __future__ import annotations

import functools

from etl.store.store import SQL_DIR, sql_objects


@functools.cache
def object_descriptions() -> dict[str, str]:
    """One-line descriptions of tables, seeds and views: the grain on each object's first line."""
    return {obj.name: obj.description for obj in sql_objects()}


@functools.cache
def example_queries() -> dict[str, str]:
    """Example queries: sql/examples/*.sql, each titled by its first comment line."""
    examples = {}
    for path in sorted((SQL_DIR / "examples").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        examples[title.lstrip("- ").strip()] = body.strip()
    return examples
