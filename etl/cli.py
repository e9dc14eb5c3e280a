"""python -m etl load | sql | synth | inspect | migrate | export | import | remove | layout | reread: the
commands and their options, as the README's "Loading your own appendices" section describes them."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.failures import first_line
from etl.outcomes import LoadOutcome


def db_path(given: Path | None) -> Path:
    """The store's file (etl/store/store.py), imported only once the command is known: a load
    starts its parse workers' fork server before this process imports DuckDB (etl/workers.py)."""
    from etl.store.store import db_path as store_path

    return store_path(given)


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


MAX_CELL_CHARS = 1_000_000  # piped tables show cells whole; the executor already caps a result's size
DB_HELP = "the store, a DuckDB file (default: $SLIPPAGE_DB, else data/audit.duckdb)"


class _Version(argparse.Action):
    """--version: what this slippage writes, worked out only when asked."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show the store schema, DuckDB and storage versions this slippage writes, and exit",
        )

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None
    ) -> None:
        import duckdb

        from etl.store import migrations
        from etl.store.store import StoreError, storage_version

        try:
            storage = f"storage version {storage_version()} (opens in DuckDB {storage_version().release} and later)"
        except StoreError as exc:
            storage = str(exc)
        print(
            f"slippage: store schema {migrations.latest():03d} (sql/migrations), DuckDB {duckdb.__version__}, stores written in {storage}"
        )
        parser.exit(0)


_Commands = argparse._SubParsersAction  # what add_subparsers gives: argparse names no public type for it


def _command(commands: _Commands[argparse.ArgumentParser], name: str, text: str) -> argparse.ArgumentParser:
    """A subcommand whose one line shows in the list of commands and heads its own --help."""
    return commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Load and query council audit-recommendation appendices.")
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="one of these; python -m etl COMMAND --help shows its options"
    )
    _reading_commands(commands)
    _store_commands(commands)
    return parser


def _reading_commands(commands: _Commands[argparse.ArgumentParser]) -> None:
    """The commands that read documents or the store: load, sql, inspect, layout."""
    load = _command(commands, "load", "load appendix files or folders into the store")
    load.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="an appendix file, or a folder searched recursively (its manifest.toml is read)"
    )
    load.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)
    load.add_argument("--council", help="council for every PATH of this call")
    load.add_argument("--as-at", type=_iso_date, help="report date for every PATH (YYYY-MM-DD)")
    load.add_argument("--manifest", type=Path, help="TOML manifest giving council/as_at/title per file")
    load.add_argument("--jobs", type=_positive, default=1, metavar="N", help="read files in N processes, PDFs a few pages per task")

    sql = _command(commands, "sql", "run one read-only query")
    sql.add_argument("query", metavar="QUERY", help='one SELECT (or EXPLAIN) statement, e.g. "SELECT * FROM slippage_by_council"')
    sql.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)
    sql.add_argument(
        "--format", choices=["csv", "json", "table"], default="table", help="how rows are written to standard output (default: table)"
    )
    sql.add_argument("--max-rows", type=_positive, default=10_000, metavar="N", help="at most N rows (default: 10000)")
    sql.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="stop the query after this many seconds (default: 10)")

    inspect = _command(commands, "inspect", "show how one file is read, without loading it")
    inspect.add_argument("file", type=Path, metavar="FILE", help="the appendix file to read")
    inspect.add_argument(
        "--council",
        help="the council, whose layouts then apply: its override in the store (--db), over its shipped file in etl/layouts/councils/",
    )
    inspect.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP + "; its layout override for --council applies")

    layout = _command(commands, "layout", "show a council's layout override held in the store, write it as TOML, or read one in")
    layout.add_argument(
        "action",
        choices=["show", "export", "import"],
        help="show: the override and its history; export: write it as TOML to FILE (or standard "
        "output); import: read FILE in as the council's next version, once checked",
    )
    layout.add_argument("council", metavar="COUNCIL", help="the council's name (case and punctuation ignored)")
    layout.add_argument(
        "file",
        type=Path,
        nargs="?",
        metavar="FILE",
        help="the TOML file written by export or read by import (the format of etl/layouts/councils/*.toml)",
    )
    layout.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)


def _store_commands(commands: _Commands[argparse.ArgumentParser]) -> None:
    """The commands that make, move or change a store: synth, migrate, export, import, remove, reread."""
    synth = _command(commands, "synth", "build a synthetic store for benchmarks and demos")
    synth.add_argument("--recommendations", type=_positive, required=True, metavar="N", help="about how many recommendation rows to make")
    synth.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)
    synth.add_argument("--seed", type=int, default=1, help="the random seed: the same seed makes the same store (default: 1)")

    migrate = _command(commands, "migrate", "bring a store written by an earlier release up to date")
    migrate.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)

    export = _command(commands, "export", "write every table of the store as Parquet, with its schema")
    export.add_argument("folder", type=Path, metavar="DIR", help="a new (or empty) folder")
    export.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)

    restore = _command(commands, "import", "make a new store from a folder written by export")
    restore.add_argument("folder", type=Path, metavar="DIR", help="a folder written by python -m etl export")
    restore.add_argument("--db", type=Path, required=True, metavar="FILE", help="the new database file (must not exist)")

    remove = _command(commands, "remove", "take reports out of the store, leaving none of their text in it")
    remove.add_argument(
        "report_ids",
        nargs="+",
        type=_positive,
        metavar="REPORT_ID",
        help='as the Data page lists them, or: python -m etl sql "SELECT report_id, council, report_date, source_file FROM reports"',
    )
    remove.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)

    reread = _command(
        commands, "reread", "read a council's earlier reports again, from their files kept in the store, with what it has been taught since"
    )
    reread.add_argument("--council", required=True, help="the council whose reports are re-read")
    reread.add_argument("--db", type=Path, metavar="FILE", help=DB_HELP)


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import load
    from etl.progress import LoadProgress

    with LoadProgress() as progress:
        outcomes = load(
            args.paths,
            db_path(args.db),
            args.council,
            args.as_at,
            args.manifest,
            args.jobs,
            on_outcome=progress.finished,
            on_pages=progress.pages,
            on_plan=progress.planned,
        )
    progress.print_summary(db_path(args.db))
    failed = sum(not o.ok for o in outcomes)
    return 1 if failed or not outcomes else 0


def cmd_sql(args: argparse.Namespace) -> int:
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

        # Plain CSV for scripts (no byte-order mark, ISO dates), yet safe to open in a
        # spreadsheet: lists flattened, text that would start a formula neutralised.
        sys.stdout.flush()
        write_csv(frame_reader(frame), sys.stdout.buffer, bom=False)
        sys.stdout.buffer.flush()
    elif args.format == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        import polars as pl

        # On a terminal, long text is cut and rows are wrapped to its width; piped, every row is one
        # line holding every cell whole, so no word is broken or cut for grep, less or a file.
        piped = not sys.stdout.isatty()
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=MAX_CELL_CHARS if piped else 60,
            tbl_width_chars=-1 if piped else None,
            tbl_hide_dataframe_shape=True,
            tbl_formatting="ASCII_FULL_CONDENSED",
            tbl_hide_column_data_types=True,
        ):
            print(frame)
    note = f"{frame.height} rows in {result.seconds:.3f} s"
    if result.truncated:
        note += f" (cut at --max-rows {result.max_rows}; the query returns more)"
    print(note, file=sys.stderr)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from etl.store.synth import build_synthetic_store

    path = db_path(args.db)
    seconds = build_synthetic_store(path, args.recommendations, args.seed)
    print(f"synthetic store of about {args.recommendations} recommendation rows -> {path} in {seconds:.1f} s", file=sys.stderr)
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from etl.interpret.inspect import describe
    from etl.interpret.report import ParseError
    from etl.layouts.config import load_layouts
    from etl.layouts.overrides import layouts_with
    from etl.parse import parse_file
    from etl.store import layout_overrides

    layouts = load_layouts()
    council = args.council or "(no council given)"
    stored = layout_overrides.read_current(db_path(args.db), args.council) if args.council else None
    own = layouts_with(args.council, stored.text if stored else None) if args.council else layouts
    note = (
        f"its own layouts: {own.path}"
        if own is not layouts
        else ("no council file: the default layouts" if args.council else "give --council NAME to apply a council's own layouts")
    )
    if stored:
        note += f", version {stored.version} saved by {stored.saved_by} on {stored.saved_at:%d %b %Y}"
    try:
        report = parse_file(args.file, council, layouts=own)
    except ParseError as exc:
        print(f"{args.file}: cannot be read: {exc}", file=sys.stderr)
        return 1
    print(describe(report, str(args.file), note))
    return 0


def cmd_layout(args: argparse.Namespace) -> int:
    from etl.layouts import transfer
    from etl.load import os_user

    db = db_path(args.db)
    if args.action == "show":
        return transfer.show(db, args.council)
    if args.action == "export":
        return transfer.export(db, args.council, args.file)
    if args.file is None:
        print("refused: import needs the FILE to read, e.g. python -m etl layout import COUNCIL override.toml", file=sys.stderr)
        return 2
    return transfer.import_(db, args.council, args.file, f"{os_user()} (command line)")


def cmd_migrate(args: argparse.Namespace) -> int:
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
    rewritten = ""
    if done.storage_after and done.storage_before != done.storage_after:
        rewritten = (
            f"; rewritten from storage version {done.storage_before} to {done.storage_after} "
            f"(opens in DuckDB {done.storage_after.release} and later)"
        )
    print(
        f"{store.path}: migration {before:03d} -> {done.version:03d}; migrations applied: {applied}; rebuilt whole: {rebuilt}{rewritten}",
        file=sys.stderr,
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from etl.store.backup import export_store

    summary = export_store(db_path(args.db), args.folder)
    print(
        f"{len(summary.tables)} tables, {sum(summary.tables.values()):,} rows of {summary.store} "
        f"(migration {summary.version:03d}) -> {summary.folder}",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from etl.store.backup import import_store

    summary = import_store(args.folder, args.db)
    print(
        f"{len(summary.tables)} tables, {sum(summary.tables.values()):,} rows restored from {summary.folder} "
        f"-> {summary.store} (migration {summary.version:03d})",
        file=sys.stderr,
    )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from etl.load import os_user, remove_reports

    path = db_path(args.db)
    if not path.exists():
        print(f"refused: no store at {path}", file=sys.stderr)
        return 1
    outcomes = remove_reports(path, args.report_ids, f"{os_user()} (command line)")
    for outcome in outcomes:
        print(outcome.line(), file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def cmd_reread(args: argparse.Namespace) -> int:
    from etl.load import os_user
    from etl.reread import reread_council

    path = db_path(args.db)
    if not path.exists():
        print(f"refused: no store at {path}", file=sys.stderr)
        return 1
    outcomes = reread_council(path, args.council, f"{os_user()} (command line)")
    if not outcomes:
        print(f"refused: {args.council} has no reports in {path}", file=sys.stderr)
        return 1
    for outcome in outcomes:
        print(outcome.line(), file=sys.stdout if outcome.outcome is LoadOutcome.REPLACED else sys.stderr)
    return 0 if all(outcome.outcome is LoadOutcome.REPLACED for outcome in outcomes) else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "load":
        from etl.workers import PARSE_PRELOAD, warm_up

        warm_up(PARSE_PRELOAD)
    from etl.manifest import ManifestError
    from etl.store.migrations import MigrationError
    from etl.store.store import StoreError

    commands = {
        "load": cmd_load,
        "sql": cmd_sql,
        "synth": cmd_synth,
        "inspect": cmd_inspect,
        "migrate": cmd_migrate,
        "export": cmd_export,
        "import": cmd_import,
        "remove": cmd_remove,
        "layout": cmd_layout,
        "reread": cmd_reread,
    }
    try:
        if args.command in ("load", "inspect", "layout", "reread"):
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
