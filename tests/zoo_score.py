"""Field accuracy of parsed zoo documents against their hand-checked expected values."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from etl.cleantext import one_line
from etl.parse import parse_file

ZOO = Path(__file__).parent / "documents" / "zoo"
TEXT_SUFFIXES = (".html", ".md", ".txt")
# Every form a zoo document may come in: text, PDF, and the office and export forms.
FORM_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".xlsx", ".csv")


def expected_of(name: str, zoo: Path = ZOO) -> dict:
    return json.loads((zoo / f"{name}.expected.json").read_text(encoding="utf-8"))


def documents(zoo: Path = ZOO) -> list[str]:
    return sorted(p.name.removesuffix(".expected.json") for p in zoo.glob("*.expected.json"))


def forms(name: str, zoo: Path = ZOO) -> list[Path]:
    return [zoo / f"{name}{s}" for s in FORM_SUFFIXES if (zoo / f"{name}{s}").exists()]


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _text(value) -> str | None:
    return one_line(value) if isinstance(value, str) and value.strip() else None


def record_values(report) -> list[dict]:
    """The compared fields of each parsed record, in the expected files' terms."""
    out = []
    for row in report.records:
        history = [
            e["target_date"].isoformat() if e["target_date"] else "TBC"
            for e in report.events
            if e["record_no"] == row["record_no"] and e["in_history"]
        ]
        out.append(
            {
                "ref": _text(row["ref"]),
                "audit_title": _text(row["audit_title"]),
                "directorate": _text(row["directorate"]),
                "responsible": _text(row["responsible"]),
                "risk_raw": _text(row["risk_raw"]),
                "risk_level": row["risk_level"],
                "status": row["status"],
                "original_target_date": _iso(row["original_target_date"]),
                "current_target_date": _iso(row["current_target_date"]),
                "target_history": history,
                "revision_count": sum(1 for a, b in zip(history, history[1:]) if a != b),
                "latest_update_period": row["latest_update_period"],
                "no_update_stated": row["no_update_stated"],
                "section": _text(row["section"]),
                "percent_complete": row.get("percent_complete"),
                "rag": _text(row.get("rag")),
                "recommendation": one_line(row["recommendation"] or ""),
                "latest_update": one_line(row["latest_update"] or ""),
            }
        )
    return out


def field_matches(key: str, want, got: dict) -> bool:
    if key == "recommendation_starts":
        return got["recommendation"][: len(want or "")] == (want or "") and bool(want) == bool(got["recommendation"])
    if key == "latest_update_starts":
        return got["latest_update"][: len(want or "")] == (want or "") and bool(want) == bool(got["latest_update"])
    if key == "percent_complete":
        return (want is None and got[key] is None) or (
            want is not None and got[key] is not None and abs(float(want) - float(got[key])) < 1e-6
        )
    value = got[key]
    if isinstance(want, str) and key not in ("status", "risk_level"):
        want = one_line(want)
    return value == want


def _similarity(want: dict, got: dict) -> int:
    score = 0
    if want["ref"] and want["ref"] == got["ref"]:
        score += 4
    if want["recommendation_starts"] and got["recommendation"].startswith(want["recommendation_starts"][:25]):
        score += 3
    if want["audit_title"] and want["audit_title"] == got["audit_title"]:
        score += 1
    return score


def pair(expected: list[dict], parsed: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each expected record with the parsed one most like it (one to one, best first; ties by order)."""
    candidates = sorted(((-_similarity(w, g), abs(i - j), i, j) for i, w in enumerate(expected) for j, g in enumerate(parsed)))
    taken_w: dict[int, int] = {}
    taken_g: set[int] = set()
    for negative, _, i, j in candidates:
        if i in taken_w or j in taken_g or negative == 0 and abs(i - j) > 0:
            continue
        taken_w[i] = j
        taken_g.add(j)
    return [(w, parsed[taken_w[i]] if i in taken_w else None) for i, w in enumerate(expected)]


def score(path: Path, zoo: Path = ZOO) -> dict:
    """Accuracy of one file: fields right / fields compared, record counts, and each miss."""
    name = path.name.split(".")[0]
    want = expected_of(name, zoo)
    as_at = None if want["as_at_printed"] or want["as_at"] is None else date.fromisoformat(want["as_at"])
    report = parse_file(path, want["council"], as_at=as_at)
    parsed = record_values(report)
    right = total = 0
    misses = []
    for w, g in pair(want["records"], parsed):
        for key, value in w.items():
            total += 1
            if g is not None and field_matches(key, value, g):
                right += 1
            else:
                shown = None if g is None else g.get(key, g.get(key.removesuffix("_starts")))
                misses.append((w["ref"] or w["recommendation_starts"][:20], key, value, shown))
    if want["as_at"] is not None:  # the report date is a field too: every day-count rests on it
        total += 1
        if report.report_date == date.fromisoformat(want["as_at"]):
            right += 1
        else:
            misses.append(("(document)", "report_date", want["as_at"], report.report_date))
    return {
        "file": path.name,
        "expected_records": len(want["records"]),
        "records": len(parsed),
        "right": right,
        "total": total,
        "accuracy": right / total if total else 1.0,
        "misses": misses,
        "report_date": report.report_date,
        "warnings": report.warnings,
    }


if __name__ == "__main__":
    import sys

    zoo = Path(sys.argv[1]) if len(sys.argv) > 1 else ZOO
    show = "-v" in sys.argv
    for name in documents(zoo):
        for path in forms(name, zoo):
            try:
                s = score(path, zoo)
            except Exception as exc:
                print(f"{path.name:45} FAILED {type(exc).__name__}: {exc}")
                continue
            print(f"{path.name:45} {s['records']:3}/{s['expected_records']:<3} {100 * s['accuracy']:6.1f}%")
            if show:
                for miss in s["misses"]:
                    print("     ", miss)
