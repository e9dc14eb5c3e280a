"""Which record in one report is the same recommendation as a record in another report of the
same council.

The rule, in order:
1. A record with the document's own reference ("GT8", "IA15") is that reference, exactly.
2. Otherwise the audit title and recommendation text, normalised (HTML and punctuation removed,
   case and white space folded), identical to a record in another report of the council.
3. Otherwise the most similar unclaimed record of another report, if the titles are at least
   TITLE_THRESHOLD and the title-plus-text at least TEXT_THRESHOLD similar (rapidfuzz's ratio,
   0-100): a reworded sentence or a fixed typo, not a different recommendation. Matches are
   one to one, best first, so two records of one report never share a key.
Keys depend only on the texts, so the records grouped together do not depend on load order."""

from __future__ import annotations

import duckdb
from rapidfuzz import fuzz

from etl.cleantext import normalise_label
from etl.interpret.rows import RecommendationRow

TITLE_THRESHOLD = 90
TEXT_THRESHOLD = 88


def _basis(row: RecommendationRow) -> tuple[str, str]:
    return normalise_label(row.get("audit_title") or ""), normalise_label(row.get("recommendation") or "")


def match_keys(con: duckdb.DuckDBPyConnection, council: str, records: list[RecommendationRow]) -> int:
    """Give each record without a reference the key of the same recommendation in the council's
    other reports, where there is one. Returns how many keys were taken over by a fuzzy match."""
    known = con.execute(
        "SELECT rec.recommendation_key, any_value(rec.audit_title), any_value(rec.recommendation) "
        "FROM recommendations rec JOIN reports rep USING (report_id) "
        "WHERE rep.council = ? AND rec.ref IS NULL GROUP BY rec.recommendation_key",
        [council],
    ).fetchall()
    if not known:
        return 0
    known_keys = {key for key, _, _ in known}
    candidates = [(key, (normalise_label(t or ""), normalise_label(r or ""))) for key, t, r in known]
    unmatched = [row for row in records if not row.get("ref") and row["recommendation_key"] not in known_keys]
    claimed = {row["recommendation_key"] for row in records if row["recommendation_key"] in known_keys}
    pairs = []
    for index, row in enumerate(unmatched):
        title, text = _basis(row)
        for key, (other_title, other_text) in candidates:
            if key in claimed or fuzz.ratio(title, other_title) < TITLE_THRESHOLD:
                continue
            score = fuzz.ratio(f"{title} | {text}", f"{other_title} | {other_text}")
            if score >= TEXT_THRESHOLD:
                pairs.append((score, index, key))
    taken = 0
    assigned: set[int] = set()
    for _score, index, key in sorted(pairs, reverse=True):
        if index in assigned or key in claimed:
            continue
        unmatched[index]["recommendation_key"] = key
        assigned.add(index)
        claimed.add(key)
        taken += 1
    return taken
