"""Ad-hoc SQL is read-only, one statement, no files or network, time-limited and capped."""

import hashlib
import subprocess
import sys

import pytest

from etl.store.readonly import QueryMistake, QueryRefused, run_query
from tests.attacks import ATTACKS


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attacks_are_refused_and_the_store_is_unchanged(name, fresh_db):
    before = digest(fresh_db)
    with pytest.raises(QueryRefused) as refusal:
        run_query(fresh_db, ATTACKS[name])
    assert "\n" not in str(refusal.value)
    assert not isinstance(refusal.value, QueryMistake)  # what may not run is refused, never called a typo
    assert digest(fresh_db) == before


@pytest.mark.parametrize(
    "query, said",
    [
        ("SELEC council FROM slippage", 'syntax error at or near "SELEC"'),
        ("SELECT counsil FROM slippage", 'Referenced column "counsil" not found'),
        ("SELECT * FROM slipage", "no table or view is named 'slipage'"),
        ("SELECT CAST('soon' AS DATE)", 'invalid date field format: "soon"'),
    ],
)
def test_a_query_wrong_as_written_is_a_mistake_said_without_duckdbs_error_kind(query, said, sample_db):
    with pytest.raises(QueryMistake) as wrong:
        run_query(sample_db, query)
    assert said in str(wrong.value) and " Error: " not in str(wrong.value) and "\n" not in str(wrong.value)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["copy_to", "two_statements", "read_csv", "set"])
def test_cli_refuses_with_one_line_and_exit_1(name, fresh_db, project_root):
    before = digest(fresh_db)
    result = subprocess.run(
        [sys.executable, "-m", "etl", "sql", ATTACKS[name], "--db", str(fresh_db)],
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("refused:") and len(result.stderr.strip().splitlines()) == 1
    assert digest(fresh_db) == before


@pytest.mark.slow
def test_a_long_query_stops_at_the_time_limit(sample_db):
    with pytest.raises(QueryRefused, match="stopped after 1 s"):
        run_query(sample_db, "SELECT count(*) FROM range(100000000000) a, range(10) b", timeout=1)


def test_row_cap_says_the_result_was_cut(sample_db):
    result = run_query(sample_db, "SELECT * FROM range(50)", max_rows=10)
    assert result.frame.height == 10 and result.truncated


@pytest.mark.slow
def test_ordinary_queries_are_answered(sample_db, project_root):
    result = run_query(sample_db, "SELECT council, count(*) AS n FROM slippage GROUP BY 1 ORDER BY 1")
    assert result.frame.height == 5 and not result.truncated
    for fmt, marker in (("csv", "council,n"), ("json", '"council"'), ("table", "Manchester City Council")):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "etl",
                "sql",
                "SELECT council, count(*) AS n FROM slippage GROUP BY 1",
                "--db",
                str(sample_db),
                "--format",
                fmt,
            ],
            capture_output=True,
            text=True,
            cwd=project_root,
            timeout=60,
        )
        assert out.returncode == 0 and marker in out.stdout


RESOURCE_ATTACKS = {
    "range_list": "SELECT range(300000000) AS r",
    "range_rows": "SELECT * FROM range(100000000) t(r)",
    "repeat": "SELECT repeat('x', 2000000000) AS x",
    "string_agg": "SELECT string_agg(repeat('x', 1000), ',') FROM range(3000000)",
    "list_agg": "SELECT list(r) FROM range(400000000) t(r)",
    "recursive": "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
    "cross_join": "SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c",
    "huge_in": "SELECT 1 WHERE 1 IN (" + ",".join(str(i) for i in range(200_000)) + ")",
    "deep_nesting": "SELECT " + "(" * 50_000 + "1" + ")" * 50_000,
    "wide_rows": "SELECT repeat('y', 100000) AS y FROM range(10000)",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RESOURCE_ATTACKS))
def test_resource_attacks_end_within_the_time_limit_in_bounded_memory(name, sample_db):
    import resource
    import time

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        result = run_query(sample_db, RESOURCE_ATTACKS[name], timeout=3)
    except QueryRefused as refusal:
        assert "\n" not in str(refusal)
    else:  # answered: then within the caps
        assert result.frame.height <= 10_000 and result.frame.estimated_size() <= 64 * 1024 * 1024
    assert time.perf_counter() - started < 3 + 2.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 200 * 1024  # kB: the query ran elsewhere


@pytest.mark.slow
def test_two_attacks_at_once_both_end_in_time(sample_db):
    import time
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda q: _outcome(sample_db, q), [RESOURCE_ATTACKS["string_agg"], RESOURCE_ATTACKS["cross_join"]]))
    assert time.perf_counter() - started < 3 + 2.5
    assert all(a.startswith(("refused", "rows")) for a in answers)


def _outcome(db, query):
    try:
        return f"rows {run_query(db, query, timeout=3).frame.height}"
    except QueryRefused as refusal:
        return f"refused {refusal}"


def test_a_query_over_the_size_limit_is_refused_before_it_runs(sample_db):
    with pytest.raises(QueryRefused, match="characters long"):
        run_query(sample_db, "SELECT 1 -- " + "x" * 200_000)


def test_the_byte_cap_cuts_wide_results(sample_db):
    from etl.store.readonly import QueryLimits

    result = run_query(sample_db, "SELECT repeat('y', 100000) AS y FROM range(1000)", limits=QueryLimits(max_result_mb=1))
    assert result.truncated and result.cut_by_size and 0 < result.frame.height < 1000


@pytest.mark.slow
def test_cli_csv_writes_list_columns(sample_db, project_root):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "sql",
            "SELECT target_history FROM slippage WHERE revision_count >= 2 LIMIT 1",
            "--db",
            str(sample_db),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert " > " in out.stdout.splitlines()[1]


# Each would read a file (the store's own included) or tell a query where the server keeps things.
# {db} is the store's path, {folder} its folder: an attacker who learnt them would try just these.
LEAKS = {
    "read_blob_store": "SELECT content FROM read_blob('{db}')",
    "read_text_store": "SELECT content FROM read_text('{db}')",
    "read_csv_store": "SELECT * FROM read_csv('{db}', columns = {{'line': 'VARCHAR'}}, delim = '\\x01', quote = '')",
    "read_duckdb_store": "SELECT * FROM read_duckdb('{db}', table_name = 'recommendations')",
    "store_by_name": "FROM '{db}'",
    "glob_folder": "SELECT * FROM glob('{folder}/*')",
    "read_parquet": "SELECT * FROM read_parquet('{folder}/*.parquet')",
    "read_json": "SELECT * FROM read_json_auto('{folder}/x.json')",
    "databases": "SELECT path FROM duckdb_databases()",
    "databases_view": "SELECT * FROM duckdb_databases",
    "database_list": "SELECT * FROM pragma_database_list",
    "show_databases": "SHOW DATABASES",
    "settings": "SELECT name, value FROM duckdb_settings()",
    "current_setting": "SELECT current_setting('temp_directory')",
    "qualified_setting": "SELECT system.main.current_setting('allowed_paths')",
    "setting_in_lambda": "SELECT list_transform([1], lambda x: current_setting('secret_directory'))",
    "database_size": "SELECT * FROM pragma_database_size()",
    "storage_info": "SELECT * FROM pragma_storage_info('recommendations')",
    "extensions": "SELECT * FROM duckdb_extensions()",
    "secrets": "SELECT * FROM duckdb_secrets()",
    "which_secret": "SELECT * FROM which_secret('s3://bucket/x', 's3')",
    "temporary_files": "SELECT * FROM duckdb_temporary_files()",
    "query_text": "SELECT * FROM query('SELECT path FROM duckdb_databases()')",
    "explained": "EXPLAIN ANALYZE SELECT content FROM read_blob('{db}')",
    "in_a_subquery": "SELECT (SELECT max(path) FROM duckdb_databases()) AS p FROM slippage LIMIT 1",
    "pg_settings": "SELECT * FROM pg_catalog.pg_settings",
    "pg_database": "SELECT * FROM pg_database",
}


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_no_query_reads_a_file_or_learns_where_the_store_is(name, sample_db):
    query = LEAKS[name].format(db=sample_db, folder=sample_db.parent)
    with pytest.raises(QueryRefused) as refusal:
        run_query(sample_db, query)
    assert "\n" not in str(refusal.value)
    if str(sample_db.parent) not in query:  # a refusal may quote the query, never tell more
        assert str(sample_db.parent) not in str(refusal.value)


def test_what_a_query_may_learn_of_the_store_names_no_path(sample_db):
    """The catalog a query may read (to find its way about the store) says nothing of the server."""
    answers = [
        run_query(sample_db, q).frame
        for q in (
            "SELECT * FROM duckdb_tables()",
            "SELECT * FROM duckdb_columns()",
            "SELECT * FROM information_schema.tables",
            "SELECT current_database() AS db, current_schema() AS s",
            "SHOW TABLES",
            "DESCRIBE slippage",
        )
    ]
    for frame in answers:
        text = str(frame.rows())
        assert frame.height and str(sample_db.parent) not in text and f"'{sample_db.stem}'" not in text


@pytest.mark.slow
def test_the_sql_pages_own_kinds_of_query_still_run(sample_db):
    from etl.store.sqlfiles import SQL_DIR

    for example in sorted((SQL_DIR / "examples").glob("*.sql")):
        assert run_query(sample_db, example.read_text(encoding="utf-8")).frame.width, example.name
    for query in (
        "WITH t AS (SELECT council FROM slippage) SELECT count(*) FROM t",
        "SELECT * FROM filtered_detail([], [], [], [], [], false) LIMIT 3",
        "SELECT unnest(target_history) FROM slippage LIMIT 3",
        "SELECT * FROM range(3)",
        "EXPLAIN SELECT count(*) FROM slippage",
        "SUMMARIZE reports",
        "SHOW slippage",
        "SELECT 1" + " + 1" * 900 + " AS deep",
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'slippage'",
    ):
        assert run_query(sample_db, query).frame.height, query


def test_no_system_view_tells_where_the_store_is(sample_db, tmp_path):
    """Every view DuckDB itself defines (information_schema, pg_catalog, sqlite_master...) is either
    refused or answers without the store's folder: checked on the executor's own connection."""
    from etl.store.readonly import DEFAULT_LIMITS, _query_connection, check_reads

    con = _query_connection(str(sample_db), DEFAULT_LIMITS, str(tmp_path))
    views = con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE internal").fetchall()
    refused = []
    for schema, view in views:
        query = f'SELECT * FROM {schema}."{view}"'
        try:
            check_reads(con, query)
        except QueryRefused:
            refused.append(view)
            continue
        assert str(sample_db.parent) not in str(con.execute(query).fetchall()), view
    con.close()
    assert {"duckdb_databases", "pragma_database_list", "pg_settings", "pg_database"} <= set(refused)
    assert len(refused) < len(views) / 2  # the catalog stays open: information_schema, duckdb_tables...
