"""A malformed CSV is refused with the file and the line to look at, never read short: a quote
left open to the end of the file or up to a stray quote, a line of a million cells, bytes in no
known encoding. A well-formed file with long multi-line cells still reads whole."""

import csv
import io
import subprocess
import sys

import pytest

from etl.parse import ParseError, parse_file

HEADER = ["Ref", "Audit", "Risk", "Target date", "Recommendation", "Latest update"]


def export(rows, delimiter=","):
    """Rows written as an audit system's export writes them."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *rows])
    return buffer.getvalue()


def good_rows(count, first=1, comma=False):
    """Rows as an export holds them; with `comma`, a cell the writer must quote."""
    return [
        [f"IA/{n}", f"Audit {n}", "High", "31/03/2025", f"Review the controls{',' if comma else ''} area {n}", "March 2025: in hand"]
        for n in range(first, first + count)
    ]


def load_cli(path, db):
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--db", str(db), "--council", "Testshire Council", "--as-at", "2025-06-30"],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_an_unclosed_quote_refuses_the_file_naming_its_line_instead_of_loading_one_record(tmp_path):
    text = export(good_rows(1))
    text += 'IA/2,"Payroll,High,31/03/2025,Approve overtime claims,None yet\r\n'  # line 3: the quote never closes
    text += export(good_rows(1_000, first=3)).split("\r\n", 1)[1]
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "store.duckdb"
    result = load_cli(path, db)
    assert result.returncode == 1, result.stdout + result.stderr
    [said] = [line for line in result.stderr.splitlines() if "export.csv" in line]
    assert said.startswith("failed") and "line 3 of the CSV file opens a quoted cell that is never closed" in said
    assert "1,001 lines" in said
    assert not db.exists()  # nothing stored: a load that stores nothing makes no store


def test_an_unclosed_quote_that_pairs_with_the_next_rows_quotes_is_refused(tmp_path):
    text = export(good_rows(5, comma=True)).split("\r\n")
    text[3] = text[3].replace("Audit 3", '"Audit 3', 1)  # line 4: its quote pairs with line 5's first
    path = tmp_path / "pairs.csv"
    path.write_text("\r\n".join(text), encoding="utf-8")
    with pytest.raises(ParseError) as refused:
        parse_file(path, "Testshire Council")
    assert "the quotes of the CSV file do not pair up at line 4: a quoted cell must end at a delimiter" in str(refused.value)


def test_a_stray_quote_closing_an_unclosed_one_far_below_is_refused(tmp_path):
    rows = good_rows(400)
    rows[9][4] = '"Approve the claims'  # opens on line 11 ...
    rows[300][5] = 'Fit two locks of 6"'  # ... a stray quote 291 lines below closes it
    text = export(rows).replace('"""Approve the claims"', '"Approve the claims').replace('"Fit two locks of 6"""', 'Fit two locks of 6"')
    path = tmp_path / "stray.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as refused:
        parse_file(path, "Testshire Council")
    assert "line 11 of the CSV file opens a quoted cell that runs to line 302" in str(refused.value)
    assert "read as rows of the table" in str(refused.value)


def test_long_quoted_cells_with_commas_and_line_breaks_still_read_whole(tmp_path):
    rows = good_rows(50)
    rows[20][4] = "Agreed actions:\n" + "\n".join(f"- step {n}, then check, then sign off" for n in range(60))
    rows[30][5] = "Update, March 2025:\n\nThe team, with HR, has:\n- met\n- agreed, in writing, the plan"
    path = tmp_path / "long-cells.csv"
    path.write_text(export(rows, delimiter=";"), encoding="utf-8")
    report = parse_file(path, "Testshire Council")
    assert len(report.records) == 50
    assert report.records[20]["recommendation"].count("step") == 60


@pytest.mark.slow
def test_a_million_columns_are_refused_in_seconds_with_a_clear_message(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(HEADER) + "\r\n" + ",".join(["x"] * 1_000_000) + "\r\n", encoding="utf-8")
    result = load_cli(path, tmp_path / "store.duckdb")  # once 157 s, holding the store's write lock
    assert result.returncode == 1
    assert "line 2 of the CSV file has 1,000,000 cells (more than 512): not an appendix table" in result.stderr


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda data: data.replace("Café".encode(), b"Caf\xe9", 1), "line 2 holds bytes that are not UTF-8"),
        (lambda data: data.replace(b"Audit 2", b"Audit \x81", 1), "line 3 holds the byte 0x81, which is neither UTF-8 nor"),
    ],
)
def test_bytes_in_no_known_encoding_are_refused_naming_the_line(tmp_path, damage, message):
    rows = good_rows(3)
    rows[0][1] = rows[1][1] = "Café licensing"
    data = export(rows).encode("utf-8")
    if b"\x81" in damage(b"Audit 2"):
        data = export(good_rows(3)).encode("cp1252")
    path = tmp_path / "damaged.csv"
    path.write_bytes(damage(data))
    with pytest.raises(ParseError) as refused:
        parse_file(path, "Testshire Council")
    assert message in str(refused.value)


def test_a_row_with_text_past_the_last_column_is_refused_and_a_trailing_delimiter_is_not(tmp_path):
    rows = [",".join(cells) for cells in [HEADER, *good_rows(20)]]
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("\r\n".join([rows[0], *(row + "," for row in rows[1:])]) + "\r\n", encoding="utf-8")
    assert len(parse_file(trailing, "Testshire Council").records) == 20  # an empty cell past the end is harmless
    rows[8] = "IA/8,Audit 8,High,31/03/2025,Review payroll, overtime and allowances,March 2025: in hand"  # comma unquoted
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    with pytest.raises(ParseError) as refused:
        parse_file(ragged, "Testshire Council")
    assert ("line 9 of the CSV file has 7 cells where the table's rows have 6 (text past the last column: 'March 2025: in hand')") in str(
        refused.value
    )
