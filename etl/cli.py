"""python -m etl load | sql | synth | inspect | migrate | export | import — see CONTRACT.md."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.failures import first_line
from etl.store.store import db_path


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Load and query council audit-recommendation appendices.")
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load appendix files or folders into the store")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load.add_argument("--db", type=Path, help="database file (default data/audit.duckdb)")
    load.add_argument("--council", help="council for every PATH of this call")
    load.add_argument("--as-at", type=_iso_date, help="report date for every PATH (YYYY-MM-DD)")
    load.add_argument("--manifest", type=Path, help="TOML manifest giving council/as_at/title per file")
    load.add_argument("--jobs", type=_positive, default=1, metavar="N", help="read files in N processes, PDFs a few pages per task")

    sql = commands.add_parser("sql", help="run one read-only query")
    sql.add_argument("query")
    sql.add_argument("--db", type=Path)
    sql.add_argument("--format", choices=["csv", "json", "table"], default="table")
    sql.add_argument("--max-rows", type=_positive, default=10_000)
    sql.add_argument("--timeout", type=float, default=10.0)

    inspect = commands.add_parser("inspect", help="show how one file is read, without loading it")
    inspect.add_argument("file", type=Path, metavar="FILE")
    inspect.add_argument("--council", help="the council, whose own layouts file (etl/layouts/councils/) then applies")

    synth = commands.add_parser("synth", help="build a synthetic store for benchmarks and demos")
    synth.add_argument("--recommendations", type=_positive, required=True, metavar="N")
    synth.add_argument("--db", type=Path)
    synth.add_argument("--seed", type=int, default=1)

    migrate = commands.add_parser("migrate", help="bring a store written by an earlier release up to date")
    migrate.add_argument("--db", type=Path, help="database file (default data/audit.duckdb)")

    export = commands.add_parser("export", help="write every table of the store as Parquet, with its schema")
    export.add_argument("folder", type=Path, metavar="DIR", help="a new (or empty) folder")
    export.add_argument("--db", type=Path, help="database file (default data/audit.duckdb)")

    restore = commands.add_parser("import", help="make a new store from a folder written by export")
    restore.add_argument("folder", type=Path, metavar="DIR")
    restore.add_argument("--db", type=Path, required=True, help="the new database file (must not exist)")
    return parser


def cmd_load(args) -> int:
    from etl.load import load
    from etl.progress import ProgressDisplay

    display = ProgressDisplay()
    outcomes = load(args.paths, db_path(args.db), args.council, args.as_at, args.manifest, args.jobs,
                    on_outcome=lambda o: display.finished(str(o.file), o.line()), on_pages=display.pages)
    failed = sum(not o.ok for o in outcomes)
    print(f"{len(outcomes) - failed} of {len(outcomes)} files loaded or already present; {failed} failed"
          f" -> {db_path(args.db)}", file=sys.stderr)
    return 1 if failed or not outcomes else 0


def cmd_sql(args) -> int:
    from etl.store.readonly import QueryRefused, run_query

    try:
        result = run_query(db_path(args.db), args.query, args.max_rows, args.timeout)
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # e.g. the file is not a DuckDB database
        print(f"refused: {first_line(exc)}", file=sys.stderr)
        return 1
    frame = result.frame
    if args.format == "csv":
        from etl.tablefile import frame_reader, write_csv

        # Plain CSV for scripts (no byte-order mark or comment lines), yet safe to open in a
        # spreadsheet: lists flattened, text that would start a formula neutralised.
        sys.stdout.flush()
        write_csv(frame_reader(frame), sys.stdout.buffer, bom=False)
        sys.stdout.buffer.flush()
    elif args.format == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        import polars as pl
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_hide_dataframe_shape=True,
                       tbl_formatting="ASCII_FULL_CONDENSED", tbl_hide_column_data_types=True):
            print(frame)
    note = f"{frame.height} rows in {result.seconds:.3f} s"
    if result.truncated:
        note += f" (cut at --max-rows {result.max_rows}; the query returns more)"
    print(note, file=sys.stderr)
    return 0


def cmd_synth(args) -> int:
    from etl.store.synth import build_synthetic_store

    path = db_path(args.db)
    seconds = build_synthetic_store(path, args.recommendations, args.seed)
    print(f"synthetic store of about {args.recommendations} recommendation rows -> {path} in {seconds:.1f} s", file=sys.stderr)
    return 0


def cmd_inspect(args) -> int:
    from etl.interpret.inspect import describe
    from etl.interpret.report import ParseError
    from etl.layouts.config import load_layouts
    from etl.parse import parse_file

    layouts = load_layouts()
    council = args.council or "(no council given)"
    own = layouts.for_council(args.council)
    note = f"its own layouts: {own.path}" if own is not layouts else (
        "no council file: the default layouts" if args.council else "give --council NAME to apply a council's own layouts")
    try:
        report = parse_file(args.file, council)
    except ParseError as exc:
        print(f"{args.file}: cannot be read: {exc}", file=sys.stderr)
        return 1
    print(describe(report, str(args.file), note))
    return 0


def cmd_migrate(args) -> int:
    import duckdb

    from etl.store import migrations
    from etl.store.store import Store, is_current

    store = Store.at(args.db)
    if not store.path.exists():
        print(f"refused: no store at {store.path}", file=sys.stderr)
        return 1
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        current, before = is_current(con), migrations.version(con)
    finally:
        con.close()
    if current:
        print(f"{store.path} is up to date (migration {before:03d}); nothing changed", file=sys.stderr)
        return 0
    done = store.migrate()
    applied = ", ".join(m.label for m in done.migrations) or "none"
    rebuilt = ", ".join(done.rebuilt) or "none"
    print(f"{store.path}: migration {before:03d} -> {done.version:03d}; migrations applied: {applied}; "
          f"rebuilt whole: {rebuilt}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from etl.store.backup import export_store

    summary = export_store(db_path(args.db), args.folder)
    print(f"{len(summary.tables)} tables, {sum(summary.tables.values()):,} rows of {summary.store} "
          f"(migration {summary.version:03d}) -> {summary.folder}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from etl.store.backup import import_store

    summary = import_store(args.folder, args.db)
    print(f"{len(summary.tables)} tables, {sum(summary.tables.values()):,} rows restored from {summary.folder} "
          f"-> {summary.store} (migration {summary.version:03d})", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    from etl.manifest import ManifestError
    from etl.store.migrations import MigrationError
    from etl.store.store import StoreError

    args = build_parser().parse_args(argv)
    commands = {"load": cmd_load, "sql": cmd_sql, "synth": cmd_synth, "inspect": cmd_inspect, "migrate": cmd_migrate,
                "export": cmd_export, "import": cmd_import}
    try:
        if args.command in ("load", "inspect"):
            from etl.layouts.config import load_layouts
            load_layouts()  # a mistake in the layouts file is one error now, not one per file later
        return commands[args.command](args)
    except ManifestError as exc:  # the manifest is the command's per-file options: a usage error, nothing loaded
        print(f"python -m etl {args.command}: error: {first_line(exc)} (nothing was loaded)", file=sys.stderr)
        return 2
    except (StoreError, MigrationError) as exc:  # the store cannot do what was asked: say why, in one line
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped: the store is as it was before this command", file=sys.stderr)
        return 1
    except Exception as exc:  # a fault of ours: one line, and the store is untouched (loads work on a copy)
        print(f"error: {type(exc).__name__}: {first_line(exc)}", file=sys.stderr)
        return 1
