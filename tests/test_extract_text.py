"""The parsed-text path: real seeds in, records with the right fields out."""

from pathlib import Path

import pytest

from etl.assemble import NoTableError, assemble
from etl.cleantext import clean_cell
from etl.extract.text import extract_text
from etl.layouts.config import load_layouts
from etl.parse import parse_file
from tests.samples import SEEDS, seed_path

EXPECTED_COUNTS = {"000": 20, "001": 81, "002": 13, "003": 19, "004": 28}


@pytest.mark.parametrize("seed", sorted(EXPECTED_COUNTS))
def test_record_counts(seed):
    assembled = assemble(extract_text(seed_path(seed)), load_layouts())
    assert len(assembled.records) == EXPECTED_COUNTS[seed]
    assert [r.record_no for r in assembled.records] == list(range(1, EXPECTED_COUNTS[seed] + 1))


def parsed(seed):
    return parse_file(seed_path(seed), SEEDS[seed][1])


def test_harborough_fields():
    first = parsed("000").records[0]
    assert first["audit_title"] == "Financial Systems Key Controls 2022-23"
    assert first["responsible"] == "Head of Financial Services"
    assert first["risk_raw"] == "High" and first["risk_level"] == "high"
    assert first["finding"] == "Debt recovery"
    assert first["recommendation"].startswith("A specific project should be established")
    assert first["management_response"].startswith("Noted, the new finance system")
    assert first["latest_update"].startswith("March 2024: still working on sundry debts")
    assert first["directorate"] is None


def test_cambridgeshire_sections_and_continuations():
    records = parsed("001").records
    assert records[0]["section"] == "Essential Recommendations overdue"
    assert records[0]["risk_level"] == "critical"
    # The page break split the first record's status: both halves belong to it.
    assert "Inclusion Change Board on service performance targets" in records[0]["latest_update"]
    # A markdown heading between rows applies to the rows under it.
    insurance = [r for r in records if r["audit_title"] == "Insurance Fund"]
    assert insurance and all(r["section"] == "Medium Recommendations overdue - over 12 months" for r in insurance)
    # A row printed with a column missing still lands its text in the recommendation.
    assert any("are likely to exceed tolerances" in (r["recommendation"] or "") for r in records)


def test_leicestershire_fields():
    records = parsed("002").records
    first = records[0]
    assert first["audit_title"] == "Children’s Placements and Payments"
    assert first["directorate"] == "Children & Family Services"
    assert first["section"] == "Reported March 2026"
    assert first["risk_raw"] == "HI" and first["risk_level"] == "high"
    by_title = {r["audit_title"]: r for r in records}
    assert by_title["Safeguarding"]["status"] == "closed"
    assert by_title["Business Travel Documents"]["directorate"] == "Consolidated Risk"
    assert by_title["Business Continuity Plans"]["section"] == "Reported November 2025"


def test_manchester_fields():
    records = parsed("003").records
    assert records[0]["audit_title"] == "Early Years Casework Management"
    assert records[0]["original_target_date"].isoformat() == "2023-03-07"
    assert all(r["status"] == "implemented" for r in records)
    assert records[0]["latest_update"].startswith("Implemented - process flow diagrams")
    assert records[0]["further_action"] == "No further action required"


def test_tower_hamlets_fields():
    records = parsed("004").records
    first = records[0]
    assert first["ref"] == "GT8"
    assert first["audit_title"] == "Annual update and review of policies that underpin ethical standards"
    assert first["responsible"].startswith("Director of Legal Services")
    assert first["risk_level"] == "high"
    assert records[3]["ref"] == "GT39 GT40 IA10"
    assert {r["risk_level"] for r in records} == {"high", "medium", "low"}


@pytest.mark.parametrize(
    "raw, text",
    [
        ("<p>One.</p> <p>Two.</p>", "One.\nTwo."),
        ("<ul><li>• first</li><li>• second</li></ul>", "first\nsecond"),
        ("31<sup>st</sup> January 2025", "31st January 2025"),
        ("S106 &amp; CIL", "S106 & CIL"),
        ("<script>alert(1)</script>safe", "safe"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_clean_cell(raw, text):
    assert clean_cell(raw) == text


def test_unmappable_header_names_the_columns(tmp_path: Path):
    bad = tmp_path / "odd.txt"
    bad.write_text("Title\n\nColour\tFlavour\tTexture\nred\tsweet\tsoft\n", encoding="utf-8")
    with pytest.raises(NoTableError, match="'Colour', 'Flavour', 'Texture'"):
        assemble(extract_text(bad), load_layouts())


def test_html_and_markdown_tables_read_like_tab_text(tmp_path: Path):
    html = tmp_path / "a.html"
    html.write_text(
        "<h1>Overdue actions as at 31 March 2025</h1><table><tr><th>Audit</th><th>Risk</th><th>Target Date</th>"
        "<th>Recommendation</th></tr><tr><td>Payroll</td><td>High</td><td>31/12/2024</td>"
        "<td><p>Fix it.</p></td></tr></table>",
        encoding="utf-8",
    )
    md = tmp_path / "a.md"
    md.write_text(
        "Overdue actions as at 31 March 2025\n\n| Audit | Risk | Target Date | Recommendation |\n"
        "|---|---|---|---|\n| Payroll | High | 31/12/2024 | Fix it. |\n",
        encoding="utf-8",
    )
    for path in (html, md):
        report = parse_file(path, "Test Council")
        assert report.report_date.isoformat() == "2025-03-31" and report.report_date_source == "printed"
        [record] = report.records
        assert (record["audit_title"], record["risk_level"], record["recommendation"]) == ("Payroll", "high", "Fix it.")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_text_with_a_byte_order_mark_is_read(tmp_path, encoding):
    from etl.extract.kind import HEAD_BYTES
    from etl.extract.registry import check_content

    text = seed_path("002").read_text(encoding="utf-8")
    wide = tmp_path / "leicestershire.txt"
    data = text.encode(encoding)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = ("\ufeff" + text).encode(encoding)  # -le / -be codecs write no mark of their own
    wide.write_bytes(data)
    assert check_content(wide, data[:HEAD_BYTES]) is None
    assert len(parse_file(wide, SEEDS["002"][1]).records) == len(parsed("002").records) == 13


def test_binary_is_still_not_text(tmp_path):
    from etl.extract.registry import check_content
    from etl.extract.rows import ExtractError
    from etl.extract.text import read_text_file

    assert "binary" in str(check_content(Path("a.txt"), b"Audit\x00\x01\x02"))
    assert "binary" in str(check_content(Path("a.txt"), b"\xff\xfex\x00\x00\x00y\x00"))  # a mark, then NUL
    only_mark = tmp_path / "blank.txt"
    only_mark.write_bytes("   \n".encode("utf-16"))
    with pytest.raises(ExtractError, match="empty"):
        read_text_file(only_mark)
