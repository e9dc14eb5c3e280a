"""The kinds of change between a council's report and the one before it, as the movement table
names them (sql/marts.sql), and the words the pages show for each."""

# The Overview's labels, one metric each ("updated" is not shown there).
CHANGE_LABELS = {"new": "New", "closed": "Closed or implemented", "gone": "No longer reported",
                 "re-dated": "Re-dated", "update unchanged": "Update unchanged"}

# The committee view and pack say it as a chair would, and count every kind.
CHANGE_WORDS = CHANGE_LABELS | {"new": "New since the last report", "re-dated": "Given a new date",
                                "update unchanged": "Same update as last time", "updated": "Updated"}
