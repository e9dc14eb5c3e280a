"""bench/RESULTS.md is written by several commands, each its own sections: a full run must keep
the sections it does not make (it once wrote sections 1-6 over the whole file)."""

from bench.run import later_sections, replace_section

REPORT = """# Benchmarks

## 6. Adding a report

| old | figures |

## 7. Every page in a real browser

| Slippage | 1.37 |

## 10. Issue 26's three figures side by side

| 0.96 |

Whole benchmark: 494 s.
"""


def test_a_full_run_keeps_the_sections_other_commands_made():
    kept = later_sections(REPORT)
    assert kept.startswith("## 7. Every page") and "| Slippage | 1.37 |" in kept and "| 0.96 |" in kept
    assert "## 6." not in kept and "Whole benchmark" not in kept  # the full run writes those afresh


def test_a_section_run_alone_replaces_only_itself():
    again = replace_section(REPORT, ["## 10. Issue 26's three figures side by side\n", "| 0.91 |\n"])
    assert "| 0.91 |" in again and "| 0.96 |" not in again
    assert "| Slippage | 1.37 |" in again and again.rstrip().endswith("Whole benchmark: 494 s.")
