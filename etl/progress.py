"""Load progress on the command line, drawn by rich. On a terminal: file N of M with the time taken
and an estimate of the time left, a bar of pages for each PDF being read, each file's outcome line
printed above them as it ends (failures in red). When either output is piped or written to a file:
the outcome lines alone, no control codes, a failure's line on standard error and every other
outcome's on standard output. Either way a summary table (loaded, replaced, unchanged, skipped,
failed, warnings, doubts) ends the load on standard error."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from etl.outcomes import LoadOutcome
from etl.wording import printable

if TYPE_CHECKING:
    from etl.load import Outcome

# The columns of the summary a load ends with: every outcome a load gives (a removal, and a re-read
# without its file, are not loads).
OUTCOMES = [outcome for outcome in LoadOutcome if outcome not in (LoadOutcome.REMOVED, LoadOutcome.NEEDS_ITS_FILE)]


def on_terminal() -> bool:
    """Both output streams are a terminal: anything redirected gets plain lines, so a file or a pipe
    never holds a bar's control codes."""
    return sys.stdout.isatty() and sys.stderr.isatty()


class LoadProgress:
    """Use as a context manager around a load: planned(M), pages(file, done, total), finished(outcome)."""

    def __init__(self, live: bool | None = None):
        self.live = on_terminal() if live is None else live
        self.console = Console(stderr=True, force_terminal=self.live, no_color=not self.live, highlight=False)
        self.bars: Progress | None = None
        self.files: TaskID | None = None
        self.reading: dict[str, TaskID] = {}
        self.outcomes: list[Outcome] = []
        self.started = time.monotonic()

    def __enter__(self) -> LoadProgress:
        if self.live:
            self.bars = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(),
                TextColumn("elapsed, about"),
                TimeRemainingColumn(),
                TextColumn("left"),
                console=self.console,
                transient=True,
            )
            self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bars:
            self.bars.stop()

    def planned(self, files: int) -> None:
        if self.bars:
            self.files = self.bars.add_task("loading", total=files, unit="files")

    def pages(self, name: str, done: int, total: int) -> None:
        if not self.bars:
            return
        if name not in self.reading:
            self.reading[name] = self.bars.add_task(f"  {printable(Path(name).name)}", total=total, unit="pages")
        self.bars.update(self.reading[name], completed=done, total=total)

    def finished(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if self.bars:
            if str(outcome.file) in self.reading:
                self.bars.remove_task(self.reading.pop(str(outcome.file)))
            if self.files is not None:
                self.bars.advance(self.files)
            self.bars.console.print(outcome.line(), markup=False, highlight=False, soft_wrap=True, style=None if outcome.ok else "red")
        else:
            print(outcome.line(), file=sys.stdout if outcome.ok else sys.stderr, flush=True)

    def summary(self) -> Table:
        """The table that ends a load: files by outcome, and the warnings and doubts written."""
        counts = Counter(outcome.outcome for outcome in self.outcomes)
        columns = {str(name): counts[name] for name in OUTCOMES}
        columns["warnings"] = sum(o.warnings for o in self.outcomes)
        columns["doubts"] = sum(o.doubts for o in self.outcomes)
        table = Table(box=box.SIMPLE if self.live else box.ASCII, show_edge=not self.live)
        for name in columns:
            table.add_column(name, justify="right", style="red" if name == LoadOutcome.FAILED and columns[name] else None)
        table.add_row(*(f"{count:,}" for count in columns.values()))
        return table

    def print_summary(self, db: Path) -> None:
        counts = Counter(outcome.outcome for outcome in self.outcomes)
        present = len(self.outcomes) - counts[LoadOutcome.FAILED] - counts[LoadOutcome.SKIPPED]
        records = sum(o.records for o in self.outcomes if o.outcome.stored)
        self.console.print(
            f"{present} of {len(self.outcomes)} files loaded or already present ({records:,} records "
            f"read) in {time.monotonic() - self.started:.1f} s "
            + (f"-> {db}" if db.exists() else f"(nothing loaded, so no store made at {db})"),
            markup=False,
            soft_wrap=True,
        )
        self.console.print(self.summary())
