"""The reader checks its own reading (etl/selfcheck): documents read well carry no doubt about the
whole document; misreadings of every kind (rows lost, a column that swallowed another, summary
counts that disagree, a table skipped, rows that change shape part-way, records split) carry one
that says what and quotes the evidence, in the store, in `etl load` and in `etl inspect`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from etl.assemble import assemble
from etl.cleantext import one_line
from etl.extract.registry import kind_for
from etl.interpret.report import interpret
from etl.layouts.config import load_layouts
from etl.load import load
from etl.parse import parse_file
from etl.selfcheck import check_reading, document_doubts
from etl.store.readonly import open_safe
from tests.doubts import DOUBTFUL_COUNCIL, ROWS, SUMMARY_FIVE, appendix, doubtful_appendix
from tests.officemaker import csv_from_rows, docx_from_rows, xlsx_from_paper_rows, xlsx_from_rows
from tests.zoo_score import documents, forms, score

ROOT = Path(__file__).resolve().parents[1]
ZOO = ROOT / "tests" / "documents" / "zoo"
CORPUS = ROOT / "tests" / "documents" / "corpus"


def _read_well() -> list[tuple[Path, str, date | None]]:
    """Every document the reader reads well today: the samples, the layout zoo in every form, the
    PDF fixtures, the generated PDFs and the PDF corpus's loadable files."""
    found = []
    manifest = tomllib.loads((ROOT / "data" / "samples" / "manifest.toml").read_text(encoding="utf-8"))
    found += [(ROOT / "data" / "samples" / r["file"], r["council"], r.get("as_at")) for r in manifest["report"]]
    for path in sorted(ZOO.iterdir()):
        expected = ZOO / f"{path.name.split('.')[0]}.expected.json"
        if path.suffix not in (".json", ".py") and path.name != "README.md" and expected.exists():
            found.append((path, json.loads(expected.read_text(encoding="utf-8"))["council"], None))
    found += [(p, "Fixture Council", None) for p in sorted((ROOT / "tests" / "fixtures").glob("*.pdf"))]
    found += [(p, "Generated Council", None) for p in sorted((ROOT / "tests" / "documents" / "pdf").glob("*.pdf"))]
    corpus = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
    found += [
        (CORPUS / name, "Corpus Council", None)
        for name, e in sorted(corpus.items())
        if e.get("outcome") == "load" and (CORPUS / name).exists()
    ]
    return found


GOOD = _read_well()


def test_there_are_enough_documents_read_well_to_measure_false_alarms():
    assert len(GOOD) >= 50
    assert {p.suffix for p, _, _ in GOOD} >= {".txt", ".md", ".html", ".pdf"}


@pytest.mark.slow
@pytest.mark.parametrize("path, council, as_at", GOOD, ids=[p.name for p, _, _ in GOOD])
def test_a_document_read_well_carries_no_doubt(path, council, as_at):
    report = parse_file(path, council, as_at=as_at)
    assert document_doubts(report.warnings) == []
    assert not any("went into no record" in line for line in report.reading_check)


def _read_apart(path: Path, council: str):
    """The reader's steps one by one, so a test can spoil what the assembler made."""
    layouts = load_layouts().for_council(council)
    rows, pages = kind_for(path).read(path, None)
    return layouts, rows, assemble(rows, layouts)


def _doubts(layouts, rows, assembled) -> list[str]:
    report = interpret(
        assembled, layouts, council="A Council", as_at=None, title="t", source_file="f", content_hash="h", parser="text", pages=None
    )
    return check_reading(rows, assembled, report, layouts).doubts


CLENT = ZOO / "clent_hills_bromsgrove"
CLENT_COUNCIL = "Clent Hills District Council"
# The misreadings below are made in each input kind the reader takes: the zoo's text and PDF forms,
# and Word, Excel and CSV copies written from its HTML form.
KINDS = [".md", ".pdf", ".docx", ".xlsx", ".csv"]


@pytest.fixture(scope="module")
def clent(tmp_path_factory):
    """The Clent Hills appendix in a given input kind."""
    folder = tmp_path_factory.mktemp("clent")
    source = CLENT.with_suffix(".html")
    rows = kind_for(source).read(source, None)[0]
    made = {
        ".docx": docx_from_rows(rows, folder / "clent.docx"),
        ".xlsx": xlsx_from_rows(rows, folder / "clent.xlsx"),
        ".csv": csv_from_rows(rows, folder / "clent.csv"),
    }
    return lambda form: made.get(form) or CLENT.with_suffix(form)


@pytest.mark.slow
@pytest.mark.parametrize("form", KINDS)
def test_rows_that_went_into_no_record_are_a_doubt_quoting_them(form, clent):
    layouts, rows, assembled = _read_apart(clent(form), CLENT_COUNCIL)
    total = len(assembled.records)
    lost = assembled.records[2:5]
    del assembled.records[2:5]  # an assembler that loses three rows in the middle
    [doubt] = _doubts(layouts, rows, assembled)
    assert doubt.startswith("3 of ") and "went into no record" in doubt
    assert repr(lost[0].columns[0][:20])[1:-1] in doubt  # 'Council Tax & NNDR 2023-24 …' quoted
    assert total == 12


@pytest.mark.parametrize("form", KINDS)
def test_rows_the_assembler_leaves_out_with_a_reason_are_accounted_for(form, clent):
    layouts, rows, assembled = _read_apart(clent(form), CLENT_COUNCIL)
    kept = assembled.records.pop()
    last_row = next(r for r in reversed(rows) if any(kept.columns[0] in (c or "") for c in r.cells))
    assembled.dropped.append((last_row, "totals row"))
    report = interpret(
        assembled, layouts, council="A Council", as_at=None, title="t", source_file="f", content_hash="h", parser="text", pages=None
    )
    check = check_reading(rows, assembled, report, layouts)
    assert check.doubts == []
    assert "1 totals row" in check.lines()[0]


@pytest.mark.parametrize("form", KINDS)
def test_a_column_that_swallowed_another_is_a_doubt(form, clent):
    layouts, rows, assembled = _read_apart(clent(form), CLENT_COUNCIL)
    fields = assembled.records[0].table.fields
    title, risk, target = fields.index("audit_title"), fields.index("risk"), fields.index("target")
    for record in assembled.records:  # the priority went into the audit column, the target into the priority's
        record.columns[title] += " " + record.columns[risk]
        record.columns[risk], record.columns[target] = record.columns[target], ""
    doubts = _doubts(layouts, rows, assembled)
    first_target = repr(one_line(assembled.records[0].columns[risk]))  # as the kind prints it: '2024-03-31' in Excel
    assert any(f"12 of 12 values of the 'Priority' column are on no risk scale: {first_target}" in d for d in doubts), doubts


def test_summary_counts_that_disagree_with_the_records_are_a_doubt(tmp_path):
    report = parse_file(doubtful_appendix(tmp_path), DOUBTFUL_COUNCIL)
    [doubt] = document_doubts(report.warnings)
    assert "High priority 3, Medium priority 2, Low priority 2, Total 7" in doubt
    assert "it prints a total of 7, 5 records were read" in doubt
    assert "high 3 printed, 2 read" in doubt


def test_summary_counts_that_agree_are_no_doubt(tmp_path):
    path = tmp_path / "agrees.md"
    path.write_text(appendix(SUMMARY_FIVE), encoding="utf-8")
    report = parse_file(path, DOUBTFUL_COUNCIL)
    assert document_doubts(report.warnings) == []
    assert "summary counts printed: High priority 2, Medium priority 2, Low priority 1, Total 5" in report.reading_check


def test_a_summary_by_status_laid_across_is_compared(tmp_path):
    summary = "| | Open | Implemented | Total |\n|---|---|---|---|\n| Recommendations | 6 | 0 | 6 |"
    path = tmp_path / "across.md"
    path.write_text(appendix(summary), encoding="utf-8")
    doubts = document_doubts(parse_file(path, DOUBTFUL_COUNCIL).warnings)
    assert any("disagree with the records read" in d and "open 6 printed, 5 read" in d for d in doubts), doubts


def test_a_table_whose_header_was_not_recognised_is_a_doubt(tmp_path):
    skipped = "| Item | Area looked at | What we found and asked for | When by |\n|---|---|---|---|\n" + "\n".join(
        f"| {n} | Area {n} | The service should keep its procedure notes up to date and review them. | 1{n}/03/2025 |" for n in range(4)
    )
    path = tmp_path / "skipped.md"
    path.write_text(appendix(skipped), encoding="utf-8")
    doubts = document_doubts(parse_file(path, DOUBTFUL_COUNCIL).warnings)
    assert any(d.startswith("4 rows before the table read look like recommendations") and "'0 | Area 0 |" in d for d in doubts), doubts


def test_rows_that_change_shape_part_way_are_a_doubt(tmp_path):
    # A second table printed without its header, its columns in another order (target first),
    # read under the first table's header.
    reordered = [
        f"| 1{n}/0{n + 1}/2025 | Procurement 2024-25 | Contracts over £25,000 should be let only after "
        f"quotes are sought. | Low | Procurement Lead | Quotes now logged. |"
        for n in range(5)
    ]
    path = tmp_path / "shape.md"
    path.write_text(appendix("", ROWS + reordered), encoding="utf-8")
    doubts = document_doubts(parse_file(path, DOUBTFUL_COUNCIL).warnings)
    assert any(d.startswith("from record 6 ('10/01/2025') the rows change shape") for d in doubts), doubts


def test_records_far_emptier_than_their_header_are_a_doubt(tmp_path):
    # A converter that put each wrapped line of the recommendation on a row of its own, audit cell filled.
    split = [line for row in ROWS[:4] for line in (row, "| (continued) | | the rest of the recommendation's text as wrapped | | | |")]
    path = tmp_path / "split.md"
    path.write_text(appendix("", split), encoding="utf-8")
    doubts = document_doubts(parse_file(path, DOUBTFUL_COUNCIL).warnings)
    assert any("records fill fewer than 40% of the 6 columns the header names" in d for d in doubts), doubts


@pytest.mark.slow
def test_the_doubt_is_stored_printed_by_load_and_shown_by_inspect(tmp_path):
    path = doubtful_appendix(tmp_path)
    db = tmp_path / "audit.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--council", DOUBTFUL_COUNCIL, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "5 records" in run.stdout and "; read with doubts: the summary counts printed (High priority 3" in run.stdout
    rows = open_safe(db).sql("SELECT record_no, field, message FROM parse_warnings").fetchall()
    assert [(n, f) for n, f, _ in rows] == [(None, "document")]
    assert "it prints a total of 7, 5 records were read" in rows[0][2]
    shown = subprocess.run(
        [sys.executable, "-m", "etl", "inspect", str(path), "--council", DOUBTFUL_COUNCIL],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    ).stdout
    assert "reading checked (every row of the table accounted for, counts compared):" in shown
    assert "6 rows in the table's region: 5 record, 1 header" in shown
    assert "summary counts printed: High priority 3, Medium priority 2, Low priority 2, Total 7" in shown
    assert "document doubts: 1" in shown
    assert "  document, doubt: the summary counts printed (High priority 3" in shown


def test_a_report_read_well_loads_without_the_words(tmp_path):
    path = tmp_path / "agrees.md"
    path.write_text(appendix(SUMMARY_FIVE), encoding="utf-8")
    [outcome] = load([path], tmp_path / "audit.duckdb", council=DOUBTFUL_COUNCIL)
    assert outcome.outcome == "loaded" and "read with doubts" not in outcome.message


def _merge_pairs(assembled, pairs: int) -> None:
    """The first `pairs` pairs of records read as one each, as when a row rule between them was missed."""
    for _ in range(pairs):
        first = next(i for i, r in enumerate(assembled.records) if "\n" not in r.columns[1])
        one, two = assembled.records[first], assembled.records.pop(first + 1)
        one.columns = [f"{a}\n{b}" if a and b else a or b for a, b in zip(one.columns, two.columns)]


@pytest.mark.parametrize("form", KINDS)
def test_records_merged_in_pairs_are_a_doubt(form, clent):
    layouts, rows, assembled = _read_apart(clent(form), CLENT_COUNCIL)
    _merge_pairs(assembled, 3)
    doubts = _doubts(layouts, rows, assembled)
    assert any(
        d.startswith("3 records hold two or more values in the 'Priority' column (records may be merged): 'Priority 2 Priority 3'")
        for d in doubts
    ), doubts


@pytest.mark.slow
@pytest.mark.parametrize("form", KINDS)
def test_one_recommendation_read_as_several_is_a_doubt(form, clent):
    layouts, rows, assembled = _read_apart(clent(form), CLENT_COUNCIL)
    for record in list(assembled.records[:3]):  # each read again, as an export's row per change of its target
        assembled.records.append(replace(record, columns=list(record.columns), record_no=len(assembled.records) + 1))
    doubts = _doubts(layouts, rows, assembled)
    assert any(
        d.startswith("3 records repeat the reference and audit of another") and "'1 (Incident & Problem Management 2022-23)'" in d
        for d in doubts
    ), doubts


# Word, Excel (a tracker, and a paper's table pasted into a sheet) and CSV copies of each zoo
# document, written by the tests' own makers from its HTML form: (folder, suffix, maker). A document
# born as a spreadsheet or an export has no HTML form to copy from: its own forms are measured.
COPIES = (
    ("docx", ".docx", docx_from_rows),
    ("xlsx", ".xlsx", xlsx_from_rows),
    ("paper-xlsx", ".xlsx", xlsx_from_paper_rows),
    ("csv", ".csv", csv_from_rows),
)
WITH_HTML = [name for name in documents() if (ZOO / f"{name}.html").exists()]
SILENCE_CASES = [
    pytest.param(name, form, id=f"{name}-{form}")
    for name in documents()
    for form in [*(p.name.removeprefix(name) for p in forms(name)), *(kind for kind, _, _ in COPIES if name in WITH_HTML)]
]


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("zoo-copies")
    for kind, suffix, maker in COPIES:
        (folder / kind).mkdir()
        for name in WITH_HTML:
            shutil.copy(ZOO / f"{name}.expected.json", folder / kind)
            source = ZOO / f"{name}.html"
            maker(kind_for(source).read(source, None)[0], folder / kind / f"{name}{suffix}")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name, form", SILENCE_CASES)
def test_a_misread_is_never_silent_and_a_good_reading_carries_no_doubt(name, form, copies):
    """The issue's measure on every zoo document in every form: one read with a wrong record count or
    under 95% of its fields right carries a document doubt; one read well carries none."""
    copy = next(((copies / kind, suffix) for kind, suffix, _ in COPIES if kind == form), None)
    path, zoo = (copy[0] / f"{name}{copy[1]}", copy[0]) if copy else (ZOO / f"{name}{form}", ZOO)
    result = score(path, zoo)
    misread = result["records"] != result["expected_records"] or result["accuracy"] < 0.95
    doubts = document_doubts(result["warnings"])
    assert bool(doubts) == misread, (
        f"{result['records']}/{result['expected_records']} records, {100 * result['accuracy']:.0f}% of fields",
        doubts,
    )


@pytest.mark.slow
@pytest.mark.parametrize("form", [".md", ".pdf"])
def test_the_first_record_lost_is_a_doubt_too(form, clent):
    """The region starts at the header over the first record kept: a row lost before it is in it."""
    layouts, rows, assembled = _read_apart(clent(form), CLENT_COUNCIL)
    del assembled.records[0]
    [doubt] = _doubts(layouts, rows, assembled)
    assert doubt.startswith("1 of ") and "'Incident & Problem Management 2022-23 | 1 | Priority 2 |" in doubt


def test_a_summary_counting_what_the_appendix_does_not_list_is_no_doubt(tmp_path):
    """The covering report counts the implemented recommendations too; the appendix lists only the
    outstanding ones, and their count agrees."""
    path = tmp_path / "outstanding-only.md"
    path.write_text(appendix("Recommendations followed up this year:\n\nImplemented: 4\n\nOutstanding: 5\n\nTotal: 9"), encoding="utf-8")
    report = parse_file(path, DOUBTFUL_COUNCIL)
    assert document_doubts(report.warnings) == []
    assert "summary counts printed: Implemented 4, Outstanding 5, Total 9" in report.reading_check
    path.write_text(appendix("Implemented: 4\n\nOutstanding: 6\n\nTotal: 10"), encoding="utf-8")
    [doubt] = document_doubts(parse_file(path, DOUBTFUL_COUNCIL).warnings)
    assert "open 6 printed, 5 read" in doubt and "it prints a total of 10, 5 records were read" in doubt
