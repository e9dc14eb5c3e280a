"""PDF appendices read as well as their parsed text: real fixtures and PDFs drawn in the tests."""

from pathlib import Path

import pytest

from etl.parse import ParseError, parse_file
from tests.hostile import zero_page_pdf
from tests.pdfmaker import FIXTURES, HEADER, WIDTHS, PageBreak, Spacer, build, image_only_pdf, table, text
from tests.samples import SEEDS, seed_path


def squeeze(value):
    """Fields compared as a reader would: same words, wherever the lines wrap."""
    return None if value is None else " ".join(str(value).split())


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["000", "003"])
def test_fixture_pdf_gives_the_same_records_as_its_text(seed):
    from_pdf = parse_file(FIXTURES / seed_path(seed).name.replace(".txt", ".pdf"), SEEDS[seed][1])
    from_text = parse_file(seed_path(seed), SEEDS[seed][1])
    assert len(from_pdf.records) == len(from_text.records)
    assert (from_pdf.report_date, from_pdf.report_date_source) == (from_text.report_date, from_text.report_date_source)
    for pdf_record, text_record in zip(from_pdf.records, from_text.records):
        for field, value in text_record.items():
            if field != "source_page":
                assert squeeze(pdf_record[field]) == squeeze(value), (pdf_record["record_no"], field)
    assert all(r["source_page"] for r in from_pdf.records)
    assert [e["target_date"] for e in from_pdf.events] == [e["target_date"] for e in from_text.events]
    assert from_pdf.parser == "pdf" and from_pdf.pages == 6


@pytest.mark.slow
def test_fixture_page_numbers():
    pages = [r["source_page"] for r in parse_file(FIXTURES / "000_6cc52f1d1abac4ce.pdf", "H").records]
    assert pages[0] == 1 and pages[4] == 2 and pages[-1] == 6
    assert pages == sorted(pages)


def long_text(words: int) -> str:
    return " ".join(f"word{i}" for i in range(words))


def test_a_row_split_across_three_pages_is_one_record(tmp_path):
    rows = [
        ["Payroll 2024-25", "High", "31/03/2025", long_text(1000), "June 2025: in progress."],
        ["Pensions 2024-25", "Medium", "30/06/2025", "Reconcile the scheme.", "June 2025: done soon."],
    ]
    path = build(tmp_path / "split.pdf", [text("Overdue recommendations as at 30 June 2025"), table(HEADER, rows, WIDTHS)])
    report = parse_file(path, "Test Council")
    assert report.pages >= 3
    first, second = report.records
    assert squeeze(first["recommendation"]) == long_text(1000)
    assert first["source_page"] == 1 and second["source_page"] >= 3
    assert second["audit_title"] == "Pensions 2024-25" and second["risk_level"] == "medium"
    assert report.report_date.isoformat() == "2025-06-30"


def test_a_page_holding_one_row_and_a_last_page_without_a_table(tmp_path):
    filler = [[f"Audit {i}", "Low", "31/01/2025", long_text(60), "No update."] for i in range(9)]
    story = [
        text("Recommendations as at 31 March 2025"),
        table(HEADER, filler, WIDTHS),
        PageBreak(),
        text("Annex: notes"),
        table(HEADER, [["Lonely audit", "High", "28/02/2025", "One row alone.", "Feb 2025: x"]], WIDTHS),
        PageBreak(),
        text("This page intentionally has no table."),
    ]
    report = parse_file(build(tmp_path / "one-row.pdf", story), "Test Council")
    assert len(report.records) == 10
    assert report.records[-1]["audit_title"] == "Lonely audit"
    assert report.records[-1]["source_page"] == report.pages - 1


def test_a_table_starting_half_way_down_page_two_after_a_cover(tmp_path):
    story = [
        text("Audit Committee, 12 June 2025"),
        text("Item 7: internal audit follow-up"),
        PageBreak(),
        text("Outstanding internal audit recommendations as at 31 May 2025"),
        Spacer(1, 250),
        table(
            HEADER,
            [
                "High Recommendations overdue",
                ["Debt Recovery", "H", "31/12/2024", "Chase the debts.", "April 2025: ongoing"],
                "Medium Recommendations overdue",
                ["Insurance", "M", "March 2025", "Renew cover.", "May 2025: done"],
            ],
            WIDTHS,
        ),
    ]
    report = parse_file(build(tmp_path / "cover.pdf", story), "Test Council")
    assert [r["audit_title"] for r in report.records] == ["Debt Recovery", "Insurance"]
    assert [r["section"] for r in report.records] == ["High Recommendations overdue", "Medium Recommendations overdue"]
    assert all(r["source_page"] == 2 for r in report.records)
    assert report.report_date.isoformat() == "2025-05-31" and report.report_date_source == "printed"
    assert report.records[1]["original_target_date"].isoformat() == "2025-03-31"


def test_portrait_page_with_narrow_columns(tmp_path):
    rows = [
        [
            f"Contract management {i}",
            "Medium",
            "30/09/2024",
            "Ensure that contract registers are reviewed quarterly and that responsibilities are clearly allocated to named officers.",
            "September 2024: Extend to 31 December 2024 while the register is rebuilt.",
        ]
        for i in range(12)
    ]
    path = build(tmp_path / "portrait.pdf", [text("Overdue actions"), table(HEADER, rows, [80, 40, 55, 180, 180])], portrait=True)
    report = parse_file(path, "Test Council")
    assert len(report.records) == 12
    assert all(
        squeeze(r["recommendation"]).startswith("Ensure that contract registers are reviewed quarterly and that") for r in report.records
    )
    assert report.records[0]["audit_title"] == "Contract management 0"


def test_tables_of_two_layouts_in_one_pdf(tmp_path):
    story = [
        text("Overdue recommendations"),
        table(HEADER, [["Payroll", "High", "31/03/2025", "Fix.", "x"]], WIDTHS),
        PageBreak(),
        table(
            ["Ref", "Recommendation", "Responsible Officer", "Due Date", "Priority"],
            [["IA1.", "Review the policy. Then publish it.", "Head of HR", "June 2025", "L"]],
            [60, 300, 150, 80, 60],
        ),
    ]
    report = parse_file(build(tmp_path / "layouts.pdf", story), "Test Council")
    payroll, policy = report.records
    assert payroll["audit_title"] == "Payroll" and payroll["risk_level"] == "high"
    assert (policy["ref"], policy["audit_title"], policy["responsible"], policy["risk_level"]) == (
        "IA1",
        "Review the policy",
        "Head of HR",
        "low",
    )


BAD_PDFS = [
    (lambda p: image_only_pdf(p), "no text layer"),
    (lambda p: build(p, [text("Overdue"), table(HEADER, [["A", "H", "31/01/2025", "x", "y"]], WIDTHS)], encrypt="secret"), "encrypted"),
    (lambda p: p.write_bytes((FIXTURES / "000_6cc52f1d1abac4ce.pdf").read_bytes()[:9000]) and p, "damaged"),
    (lambda p: build(p, [text("Minutes of the meeting"), text("Nothing tabular was discussed.")]), "no recommendation table found"),
    (lambda p: p.write_text("Audit\tRisk\nnot really a pdf\n") and p, "not a PDF"),
]


@pytest.mark.parametrize("make, message", BAD_PDFS)
def test_bad_pdfs_fail_with_one_clear_line(tmp_path, make, message):
    path = make(tmp_path / "bad.pdf")
    with pytest.raises(ParseError) as failure:
        parse_file(path, "Test Council")
    assert message in str(failure.value) and "\n" not in str(failure.value)


@pytest.mark.slow
def test_cli_loads_pdfs_in_parallel_with_the_figures_of_the_text(tmp_path, project_root, sample_db):
    import subprocess
    import sys

    from etl.store.readonly import open_safe

    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        "".join(f'[[report]]\nfile = "{FIXTURES / (SEEDS[s][0][:-4] + ".pdf")}"\ncouncil = "{SEEDS[s][1]}"\n' for s in ("000", "003"))
    )
    db = tmp_path / "pdf.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(FIXTURES), "--manifest", str(manifest), "--db", str(db), "--jobs", "2"],
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\x1b[" not in result.stdout  # plain lines when not a terminal
    assert result.stdout.count("loaded") == 2
    figures = (
        "SELECT council, record_no, audit_title, risk_level, status, original_target_date, current_target_date, "
        "target_history, revision_count, days_past_original_target, no_update_flag FROM slippage "
        "WHERE council IN ('Harborough District Council', 'Manchester City Council') ORDER BY council, record_no"
    )
    from_pdf = open_safe(db).sql(figures).pl()
    from_text = open_safe(sample_db).sql(figures).pl()
    assert from_pdf.height == 39 and from_pdf.equals(from_text)
    pages = open_safe(db).sql("SELECT count(*) FROM slippage WHERE source_page IS NULL").fetchall()
    assert pages == [(0,)]


@pytest.mark.slow
def test_two_workers_sharing_one_long_document_give_what_one_reader_gives(tmp_path):
    """--jobs 2 reads a PDF a few pages per task: a cover before the table, rows broken across
    pages and pages read by different workers must still make the same report."""
    from etl.extract.pdf import read_pages, rows_from_pages
    from etl.load import load
    from etl.parallel import MIN_PAGES_PER_TASK
    from etl.store.readonly import open_safe

    rows = [
        [
            f"Audit {i}",
            ["High", "Medium", "Low"][i % 3],
            f"{1 + i % 28}/0{1 + i % 9}/2025",
            long_text(40 + i % 50),
            f"May 2025: extend to {1 + i % 28}/12/2025. " + long_text(i % 40),
        ]
        for i in range(60)
    ]
    story = [
        text("Audit Committee, 12 June 2025"),
        PageBreak(),
        text("Item 7: internal audit follow-up"),
        PageBreak(),
        text("Outstanding internal audit recommendations as at 31 May 2025"),
        table(HEADER, rows, WIDTHS),
    ]
    pdf = build(tmp_path / "long.pdf", story)
    figures = (
        "SELECT r.record_no, r.audit_title, r.recommendation, r.latest_update, r.source_page, r.original_target_date,"
        " r.current_target_date, p.report_date, p.title, p.pages FROM recommendations r JOIN reports p USING (report_id)"
        " ORDER BY r.record_no"
    )
    stores = {}
    progress = {1: [], 2: []}
    for jobs in (1, 2):
        db = tmp_path / f"jobs{jobs}.duckdb"
        [outcome] = load(
            [pdf], db, council="Test Council", jobs=jobs, on_pages=lambda name, done, total, seen=progress[jobs]: seen.append((done, total))
        )
        assert outcome.outcome == "loaded", outcome.message
        stores[jobs] = open_safe(db).sql(figures).fetchall()
    for seen in progress.values():  # the progress bar climbs to the last page however the pages are shared
        assert [done for done, _ in seen] == sorted(done for done, _ in seen) and seen[-1] == (stores[1][0][9],) * 2
    assert stores[1][0][9] > 2 * MIN_PAGES_PER_TASK  # three tasks at least, split between two workers
    assert len(stores[1]) == 60 and stores[2] == stores[1]
    assert stores[2][0][7].isoformat() == "2025-05-31"  # printed on page 3, above the table
    whole = read_pages(pdf)
    in_runs = [
        page for first in range(1, len(whole) + 1, MIN_PAGES_PER_TASK) for page in read_pages(pdf, first, first + MIN_PAGES_PER_TASK - 1)
    ]
    assert rows_from_pages(in_runs) == rows_from_pages(whole)


@pytest.mark.slow
def test_bad_pdfs_read_by_two_workers_fail_as_they_do_read_by_one(tmp_path):
    """Each bad file fails with the same one line whether read whole or a few pages per task,
    and the good file beside them still loads."""
    from etl.load import load

    folder = tmp_path / "batch"
    folder.mkdir()
    build(
        folder / "a-good.pdf",
        [
            text("Overdue actions as at 31 March 2025"),
            table(HEADER, [["Audit", "High", "31/01/2025", "Do it.", "March 2025: doing it"]], WIDTHS),
        ],
    )
    for number, (make, _) in enumerate(BAD_PDFS):
        make(folder / f"bad-{number}.pdf")
    lines = {}
    for jobs in (1, 2):
        outcomes = load([folder], tmp_path / f"jobs{jobs}.duckdb", council="Test Council", jobs=jobs)
        lines[jobs] = [(o.file.name, o.outcome, o.message) for o in outcomes]
    assert lines[2] == lines[1]
    assert [outcome for _, outcome, _ in lines[2]] == ["loaded"] + ["failed"] * len(BAD_PDFS)
    for (_, message), (_, _, said) in zip(BAD_PDFS, lines[2][1:]):
        assert message in said and "\n" not in said


@pytest.mark.slow
def test_two_workers_count_each_files_own_pages(tmp_path):
    """The progress of a --jobs batch reports every file against its own page count (a callback
    that captured the loop's last counter once put every file's pages on the last file)."""
    from etl.load import load

    folder = tmp_path / "batch"
    folder.mkdir()
    sizes = {"long.pdf": (60, "31 March 2025"), "short.pdf": (12, "30 April 2025")}
    for name, (records, as_at) in sizes.items():
        rows = [[f"Audit {i}", "High", "31/01/2025", long_text(120), "March 2025: doing it"] for i in range(records)]
        build(folder / name, [text(f"Overdue actions as at {as_at}"), table(HEADER, rows, WIDTHS)])
    pages = {name: parse_file(folder / name, "x").pages for name in sizes}
    assert pages["long.pdf"] > pages["short.pdf"] > 1
    seen: dict[str, list[tuple[int, int]]] = {}
    outcomes = load(
        [folder],
        tmp_path / "jobs.duckdb",
        council="Test Council",
        jobs=2,
        on_pages=lambda name, done, total: seen.setdefault(Path(name).name, []).append((done, total)),
    )
    assert [o.outcome for o in outcomes] == ["loaded", "loaded"]
    for name, count in pages.items():
        assert {total for _, total in seen[name]} == {count}, name
        assert seen[name][-1] == (count, count), name


@pytest.mark.slow
def test_a_pdf_with_no_pages_is_one_line_in_a_two_worker_batch(tmp_path):
    from etl.load import load

    folder = tmp_path / "batch"
    folder.mkdir()
    build(
        folder / "a-good.pdf",
        [
            text("Overdue actions as at 31 March 2025"),
            table(HEADER, [["Audit", "High", "31/01/2025", "Do it.", "March 2025: doing it"]], WIDTHS),
        ],
    )
    zero_page_pdf(folder / "b-no-pages.pdf")
    for jobs in (1, 2):
        outcomes = load([folder], tmp_path / f"jobs{jobs}.duckdb", council="Test Council", jobs=jobs)
        assert [o.outcome for o in outcomes] == ["loaded", "failed"], jobs
        assert "\n" not in outcomes[1].message and "IndexError" not in outcomes[1].message


def test_two_workers_read_a_batch_whole_and_share_only_a_file_left_to_one_of_them(tmp_path):
    """Each task opens its document again, and a split file is interpreted by a task of its own:
    a batch is read a file per worker, and a file is read a few pages per task only when it is
    more than one worker's share of the work left (the last of a batch, or a long one)."""
    from etl.manifest import FileSettings
    from etl.parallel import ParseLimits, _Scheduler
    from etl.plan import Job

    rows = [["Audit", "High", "31/01/2025", long_text(60), "March 2025: doing it"]] * 12
    short = [build(tmp_path / f"short-{i}.pdf", [text("Overdue actions"), table(HEADER, rows, WIDTHS)]) for i in range(3)]
    long = build(tmp_path / "long.pdf", [text("Overdue actions"), table(HEADER, rows * 8, WIDTHS)])

    def third_task(paths: list[Path], workers: int, pages_read_by_second: int) -> list[str]:
        """The kinds of the tasks started while the first file's worker ends as the second's
        worker has read so many of its 10 pages, and the next file's turn comes."""
        scheduler = _Scheduler([Job(p, FileSettings()) for p in paths], workers, ParseLimits(), None)
        first, second = scheduler._next_task(), scheduler._next_task()
        second.last_page, second.of_pages = pages_read_by_second, 10
        scheduler.running = [second]  # the first has ended
        return [first.kind, second.kind, scheduler._next_task().kind]

    assert third_task(short, 2, 5) == ["whole", "whole", "count"]  # the last file, one worker half-way: share it
    assert third_task(short, 2, 0) == ["whole", "whole", "whole"]  # the other worker has as much to read: no
    assert third_task([*short[:2], long], 2, 0) == ["whole", "whole", "count"]  # a long file after short ones
    assert third_task([long, *short[:2]], 2, 0)[0] == "count"  # a long file first: more than half the batch
    assert third_task(short, 1, 5) == ["whole"] * 3  # one worker reads every file whole
