"""The layouts file: loaded once into typed sections, and any mistake in it is one clear error."""

import re
from pathlib import Path

import pytest

from etl.layouts.config import LAYOUTS_FILE, Layouts, LayoutsError, load_layouts

SHIPPED = LAYOUTS_FILE.read_text(encoding="utf-8")


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped file with one piece of text changed, written to a file of its own."""
    assert old in SHIPPED, old
    path = tmp_path / "layouts.toml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_file_loads_into_typed_sections():
    layouts = load_layouts()
    assert isinstance(layouts, Layouts)
    assert layouts.header.min_mapped >= 1 and isinstance(layouts.header.max_words, int)
    assert layouts.targets.previous_cycles_newest_first is True
    assert all(isinstance(p, re.Pattern) for p in layouts.targets.tbc)
    assert [f.name for f in layouts.fields][:1] and "recommendation" in {f.name for f in layouts.fields}
    assert layouts.field_for("Latest update from officers") == "latest_update"


def test_a_misspelt_key_is_one_error_naming_the_file_and_the_key(tmp_path):
    path = variant(tmp_path, "\ntbc = [", "\ntbcc = [")
    with pytest.raises(LayoutsError) as caught:
        load_layouts(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "[targets] unknown key 'tbcc'" in message
    assert "[targets] missing key 'tbc'" in message
    assert "\n" not in message


def test_a_bad_regular_expression_is_one_error_naming_the_key(tmp_path):
    path = variant(tmp_path, 'patterns = ["^-{2,}$"', 'patterns = ["^(-{2,}$"')
    with pytest.raises(LayoutsError, match=r"\[noise\] key 'patterns': bad regular expression '\^\(-\{2,\}\$'"):
        load_layouts(path)


def test_a_value_of_the_wrong_type_is_named(tmp_path):
    path = variant(tmp_path, "min_mapped = 2", 'min_mapped = "two"')
    with pytest.raises(LayoutsError, match=r"\[header\] key 'min_mapped' must be an integer, not str 'two'"):
        load_layouts(path)


def test_an_unknown_section_and_a_field_the_header_rules_do_not_know(tmp_path):
    path = variant(tmp_path, "[noise]", "[noisy]")
    with pytest.raises(LayoutsError) as caught:
        load_layouts(path)
    assert "[noisy] unknown section" in str(caught.value) and "[noise] missing section" in str(caught.value)


def test_toml_that_does_not_parse_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[header\nmin_mapped = 2\n", encoding="utf-8")
    with pytest.raises(LayoutsError, match=r"broken\.toml: not valid TOML"):
        load_layouts(path)
