"""What became of a file given to a load (or a report taken out): the words are printed by the
command line and the admin app and stored in ingest_log.outcome, so they never change."""

from __future__ import annotations

from enum import StrEnum


class LoadOutcome(StrEnum):
    LOADED = "loaded"  # a new report stored
    REPLACED = "replaced"  # stored in place of the report of the same council and report date
    UNCHANGED = "unchanged"  # the same content was loaded before: nothing changed
    SKIPPED = "skipped"  # found in a folder but not a kind of appendix: left alone
    FAILED = "failed"  # not stored; the message says why
    REMOVED = "removed"  # a report taken out of the store
    NEEDS_ITS_FILE = "needs its file"  # a re-read of a report loaded before the store kept files

    @property
    def stored(self) -> bool:
        """Whether a report was written by this outcome."""
        return self in (LoadOutcome.LOADED, LoadOutcome.REPLACED)
