"""The kinds of change between a council's report and the one before it (movement_by_report's
`change`), in the seeds' order, and the words the pages show for each (sql/seeds/change_kinds.csv)."""
from etl.store.seeds import change_kinds

# The Overview shows one metric per kind, "updated" aside (it is the ordinary case).
CHANGE_LABELS = {kind.kind: kind.label for kind in change_kinds() if kind.kind != "updated"}

# The committee view and pack say it as a chair would, and count every kind.
CHANGE_WORDS = {kind.kind: kind.committee_label for kind in change_kinds()}
