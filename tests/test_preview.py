"""The admin app's preview (app/preview.py) through Streamlit's AppTest: a file read as a load would
read it, nothing stored; corrected with controls (a column's field, a priority label's level, a
status word's meaning), the preview read again as they change; Load saves what was taught as the
council's override in the store, with who, and loads the file with it; the council's next report
then reads right with no action. Cancel forgets the corrections and stores nothing."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.data import connection, query_at
from etl.layouts.overrides import to_toml
from etl.load import load
from etl.store import layout_overrides
from etl.store.store import Store
from tests.teaching import COUNCIL, LEVELS, TAUGHT, first_report, second_report


def preview_script():
    import os
    from pathlib import Path

    from app.preview import preview_panel
    from etl.parse import content_hash

    file = Path(os.environ["TEACH_FILE"])
    preview_panel(file, os.environ["TEACH_COUNCIL"], content_hash(file), "t")  # the upload's hash, as preview_section gives it


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "store.duckdb"
    with Store(db).writing():  # an empty store, as the admin app makes one
        pass
    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    return db


def opened(monkeypatch, file: Path) -> AppTest:
    monkeypatch.setenv("TEACH_FILE", str(file))
    monkeypatch.setenv("TEACH_COUNCIL", COUNCIL)
    at = AppTest.from_function(preview_script, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown_records(at: AppTest) -> dict[str, str | None]:
    frame = at.dataframe[0].value
    return dict(zip(frame["ref"], frame["risk_level"]))


def choose(at: AppTest, label: str, value: str) -> None:
    [box] = [box for box in at.selectbox if box.label == label]
    box.set_value(value).run()
    assert not at.exception, [e.message for e in at.exception]


def stored_levels(db: Path) -> dict[str, str | None]:
    """Read through the admin app's own connection (reopened when a load swapped the file in)."""
    return dict(connection(db).execute("SELECT ref, risk_level FROM recommendations").fetchall())


def versions(db: Path) -> list[dict]:
    return query_at(db, "layout_override", council_key=layout_overrides.key(COUNCIL)).to_dicts()


def teach(at: AppTest) -> None:
    choose(at, "Priority 'Gold' is", "high")
    choose(at, "Priority 'Silver' is", "medium")
    choose(at, "Priority 'Bronze' is", "low")
    choose(at, "Date", "not used")


def test_the_preview_shows_the_reading_and_stores_nothing(store, tmp_path, monkeypatch):
    at = opened(monkeypatch, first_report(tmp_path))
    text = " ".join(m.value for m in at.markdown)
    assert "Priority scale" in text and "not all known" in text
    assert "**As at** 30 June 2025 (inferred" in text
    # four unknown labels, the unmapped "Date" column, and the self-check's doubt that the whole
    # Grade column is on no risk scale (which teaching the levels clears: see the next test)
    assert "Warnings**: 6, of which 1 doubts about the whole document" in text
    warnings = at.dataframe[1].value
    doubts = [message for field, message in zip(warnings["field"], warnings["message"]) if field == "document"]
    assert doubts == ["4 of 4 values of the 'Grade' column are on no risk scale: 'Gold', 'Silver', 'Bronze'"]
    assert shown_records(at) == {"MV/01": None, "MV/02": None, "MV/03": None, "MV/04": None}
    assert [box.value for box in at.selectbox if box.label == "Deadline"] == ["target"]
    assert stored_levels(store) == {}


def test_corrections_change_the_preview_and_load_saves_them_for_the_next_report(store, tmp_path, monkeypatch):
    at = opened(monkeypatch, first_report(tmp_path))
    teach(at)
    assert shown_records(at) == {k: LEVELS[k] for k in ("MV/01", "MV/02", "MV/03", "MV/04")}
    assert "Warnings**: 0" in " ".join(m.value for m in at.markdown)
    assert stored_levels(store) == {}  # nothing stored before Load
    at.text_input[0].set_value("A. Smith").run()
    [load_button] = [b for b in at.button if b.label == "Load"]
    load_button.click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("version 1" in s.value for s in at.success)
    assert stored_levels(store) == {k: LEVELS[k] for k in ("MV/01", "MV/02", "MV/03", "MV/04")}
    [version] = versions(store)
    assert version["saved_by"] == "A. Smith (admin)" and "Bronze" in version["layout_toml"]
    # The next report, loaded with no action, reads right.
    [outcome] = load([second_report(tmp_path)], store, council=COUNCIL, loaded_by="test")
    assert outcome.outcome == "loaded" and outcome.warnings == 0
    assert stored_levels(store) == LEVELS


def test_a_status_word_is_taught_its_meaning(store, tmp_path, monkeypatch):
    at = opened(monkeypatch, first_report(tmp_path))
    choose(at, "Status 'Done' means", "closed")
    frame = at.dataframe[0].value
    assert dict(zip(frame["ref"], frame["status"]))["MV/03"] == "closed"


def test_load_needs_a_name_and_cancel_forgets_the_corrections(store, tmp_path, monkeypatch):
    at = opened(monkeypatch, first_report(tmp_path))
    teach(at)
    [load_button] = [b for b in at.button if b.label == "Load"]
    load_button.click().run()
    assert "Give your name" in at.error[0].value
    [cancel] = [b for b in at.button if b.label == "Cancel"]
    cancel.click().run()
    assert shown_records(at)["MV/01"] is None
    assert stored_levels(store) == {} and versions(store) == []


def overrides_script():
    from app.preview import overrides_section

    overrides_section()


def test_the_history_lists_every_version_and_restores_one(store, monkeypatch):
    first = to_toml(COUNCIL, TAUGHT)
    with Store(store).writing() as con:
        layout_overrides.save(con, COUNCIL, first, "A. Smith (admin)", "taught in the preview of june.csv")
        layout_overrides.save(con, COUNCIL, to_toml(COUNCIL, {"risk": {"key": {"Gold": "critical"}}}), "B. Jones (admin)",
                              "taught in the preview of july.csv")
    at = AppTest.from_function(overrides_script, default_timeout=60)
    at.run()
    assert "Version 2, saved by B. Jones (admin)" in at.caption[0].value
    assert at.dataframe[0].value["saved_by"].to_list() == ["B. Jones (admin)", "A. Smith (admin)"]
    at.selectbox[1].set_value(1)
    at.text_input[0].set_value("C. Patel")
    at.button[0].click().run()
    assert "restored, as version 3" in at.success[0].value
    assert versions(store)[0]["layout_toml"] == first and versions(store)[0]["saved_by"] == "C. Patel (admin)"


def test_a_report_loaded_before_the_teaching_is_re_read_with_it_and_logged(store, tmp_path, monkeypatch):
    [outcome] = load([first_report(tmp_path)], store, council=COUNCIL, loaded_by="test")
    assert outcome.outcome == "loaded"
    at = opened(monkeypatch, first_report(tmp_path))
    assert any("loaded already, as report 1" in i.value for i in at.info)
    teach(at)
    at.text_input[0].set_value("A. Smith").run()
    [load_button] = [b for b in at.button if b.label == "Load"]
    load_button.click().run()
    assert not at.error, [e.value for e in at.error]
    done = [s.value.replace("\\", "") for s in at.success]
    assert any("replaced" in s and "(inferred); re-read with version 1 of its layout override" in s for s in done), done
    assert stored_levels(store) == {k: LEVELS[k] for k in ("MV/01", "MV/02", "MV/03", "MV/04")}
    log = connection(store).execute("SELECT outcome, loaded_by FROM ingest_log ORDER BY attempt_id").fetchall()
    assert log == [("loaded", "test"), ("replaced", "A. Smith (re-read)")]
