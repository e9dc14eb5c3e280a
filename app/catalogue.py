"""The SQL page's reference material: what each table and view holds, and the example queries,
both read from the files in sql/."""

from __future__ import annotations

import functools

import polars as pl

from etl.store.sqlfiles import SQL_DIR, sql_objects


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


# The store's own bookkeeping: which migrations ran, which derived objects were built from which
# file. Seeds (seed_*) are the fixed lists the views read. A reader's questions start elsewhere.
BOOKKEEPING = frozenset({"derived_objects", "schema_migrations"})
CONTRACT_VIEW = "slippage"


def is_internal(name: str) -> bool:
    return name in BOOKKEEPING or name.startswith("seed_")  # as schema_in_reading_order sorts them


def schema_in_reading_order(columns: pl.DataFrame) -> pl.DataFrame:
    """The schema panel's rows (table_name, table_type, ...) in the order a reader wants them: the
    contract's slippage view, then the other views, then the tables of loaded data, and the
    bookkeeping and seed tables last; columns in their own order within each."""
    return (
        columns.with_columns(
            internal=pl.col("table_name").is_in(list(BOOKKEEPING)) | pl.col("table_name").str.starts_with("seed_"),
            contract=pl.col("table_name") != CONTRACT_VIEW,
            table=~pl.col("table_type").str.contains("VIEW"),
        )
        .sort(["internal", "contract", "table", "table_name", "ordinal_position"])
        .drop("internal", "contract", "table")
    )
