"""The kinds of change between a council's report and the one before it (movement_by_report's
`change`), in the seeds' order, and the one wording every page, the committee view and its pack
use for each (sql/seeds/change_kinds.csv)."""

from etl.store.seeds import change_kinds

CHANGE_LABELS = {kind.kind: kind.label for kind in change_kinds()}

# The ordinary case, which the Overview's metrics leave out (the committee view counts it too).
ROUTINE_CHANGE = "updated"
