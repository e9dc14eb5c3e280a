"""Golden tests on the layout zoo: appendices in layouts unlike the five samples, each in every form
it comes in (text and PDF; Excel trackers and CSV or Excel exports), with hand-checked expected
values (tests/documents/zoo/README.md says how they were made). Each file is parsed with its
council and no report date (none of them needs one given), its records paired with the expected
ones, and every expected field compared.

`python -m tests.zoo_score [-v]` prints the same figures with every miss."""

from __future__ import annotations

import pytest

from tests.zoo_score import ZOO, documents, forms, score

MIN_ACCURACY = 0.95

CASES = [pytest.param(path, id=path.name) for name in documents() for path in forms(name)]
FIGURES: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def report_figures(request):
    """Print each file's figures after the module, whether or not it passed."""
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if FIGURES and capture is not None:
        with capture.global_and_fixture_disabled():
            print("\nlayout zoo: records and field accuracy per file")
            for name in sorted(FIGURES):
                print(f"  {name:45} {FIGURES[name]}")


def test_the_zoo_is_there():
    assert len(documents()) >= 8
    for name in documents():
        assert forms(name), name
    assert (ZOO / "make_zoo.py").exists()


@pytest.mark.parametrize("path", CASES)
def test_zoo_document(path):
    try:
        result = score(path)
    except Exception as exc:
        FIGURES[path.name] = f"failed: {exc}"
        raise
    FIGURES[path.name] = (
        f"{result['records']:>3}/{result['expected_records']:<3} records {100 * result['accuracy']:5.1f}% of {result['total']} fields"
    )
    assert result["records"] == result["expected_records"]
    misses = "\n".join(map(str, result["misses"][:20]))
    assert result["accuracy"] >= MIN_ACCURACY, f"{100 * result['accuracy']:.1f}%:\n{misses}"
