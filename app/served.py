"""Downloads served from disk. A file made for one viewer (a page's table, a query's full result)
is written into a folder of its own and put on the SHELF under a token nobody can guess; the page
links to /download/TOKEN, and the dashboard's route (dashboard.py) hands the file over once, in
pieces, with its length, and it is gone: its name is removed before the first byte is sent, its
blocks when the last is. A file never fetched goes when its session makes another, after
KEEP_SECONDS, or when more than MAX_FILES wait; a crash's leftovers at the server's next start.

Streamlit's own st.download_button keeps every file whole in the server's memory (its media file
manager), so none of the tables' downloads use it."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from app.uploads import clean_stale
from etl.tablefile import Written

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

ROUTE = "/download/{token}"
FOLDER_PREFIX = "slippage-export-"
KEEP_SECONDS = 15 * 60  # a file not fetched within this is removed
MAX_FILES = 16  # files waiting to be fetched on this server at once: the oldest goes first
MAX_BUILDING = 2  # files being made at once on this server
PIECE_BYTES = 1024 * 1024  # what the route reads from disk and sends at a time
SWEEP_SECONDS = 60  # how often files past KEEP_SECONDS are looked for


class Busy(RuntimeError):
    """MAX_BUILDING files are being made: the viewer is asked to try again shortly."""


@dataclass
class Prepared:
    """A file waiting to be fetched."""

    path: Path
    mime: str
    owner: str  # the session it was made for: a session keeps one file at a time
    made: float = field(default_factory=time.time)

    def remove(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


class Shelf:
    """The files waiting to be fetched, by token. Thread-safe: pages put files from their script
    threads, the route takes them from the server's event loop."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS, max_files: int = MAX_FILES) -> None:
        self.keep_seconds, self.max_files = keep_seconds, max_files
        self._lock = threading.Lock()
        self._waiting: dict[str, Prepared] = {}
        self._sweeper: threading.Thread | None = None

    def put(self, prepared: Prepared) -> str:
        """Shelve a file; its session's earlier file, expired files, and the oldest beyond
        max_files are removed. Returns the token that fetches it."""
        import secrets

        token = secrets.token_urlsafe(24)
        with self._lock:
            dropped = [t for t, p in self._waiting.items() if p.owner == prepared.owner]
            self._waiting[token] = prepared
            oldest = sorted(self._waiting, key=lambda t: self._waiting[t].made)
            dropped += oldest[: max(0, len(oldest) - self.max_files)]
            gone = [self._waiting.pop(t) for t in set(dropped) if t != token and t in self._waiting]
        for old in gone:
            old.remove()
        self.sweep()
        self._start_sweeping()
        return token

    def sweep(self) -> None:
        """Remove the files that waited longer than keep_seconds."""
        with self._lock:
            stale = [t for t, p in self._waiting.items() if time.time() - p.made > self.keep_seconds]
            gone = [self._waiting.pop(t) for t in stale]
        for old in gone:
            old.remove()

    def _start_sweeping(self) -> None:
        """A thread that sweeps every minute, so a file nobody fetches goes on time even when
        nothing else is prepared (started with the first file)."""
        with self._lock:
            if self._sweeper is not None:
                return
            self._sweeper = threading.Thread(target=self._sweep_forever, name="slippage-download-sweeper", daemon=True)
        self._sweeper.start()

    def _sweep_forever(self) -> None:
        while True:
            time.sleep(SWEEP_SECONDS)
            self.sweep()

    def take(self, token: str) -> Prepared | None:
        """The file the token names, off the shelf (a token fetches once), or None when it has
        been fetched, replaced or has expired."""
        with self._lock:
            prepared = self._waiting.pop(token, None)
        if prepared is not None and time.time() - prepared.made > self.keep_seconds:
            prepared.remove()
            return None
        return prepared

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)


SHELF = Shelf()
_building = threading.BoundedSemaphore(MAX_BUILDING)


def prepare(owner: str, file_name: str, mime: str, make: Callable[[Path], Written]) -> tuple[str, Written, int]:
    """Make a file with make(path) in a fresh folder and shelve it for `owner`: (token, what was
    written, its size in bytes). Raises Busy when MAX_BUILDING files are being made already."""
    if not _building.acquire(blocking=False):
        raise Busy(f"{MAX_BUILDING} downloads are being made on this server right now: try again in a minute")
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    try:
        path = folder / file_name
        written = make(path)
        size = path.stat().st_size
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        _building.release()
    return SHELF.put(Prepared(path, mime, owner)), written, size


def _base() -> str:
    import streamlit as st

    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def url(token: str) -> str:
    """The route's address for a token, under the server's base path."""
    return _base() + ROUTE.format(token=token)


def clean_leftovers() -> None:
    """Export folders a crash or kill left behind (more than an hour old)."""
    clean_stale(prefix=FOLDER_PREFIX)


async def _pieces(handle: BinaryIO) -> AsyncIterator[bytes]:
    from starlette.concurrency import run_in_threadpool

    try:
        while piece := await run_in_threadpool(handle.read, PIECE_BYTES):
            yield piece
    finally:
        handle.close()


async def serve(request: Request) -> Response:
    """GET /download/TOKEN: the file, once, from disk in pieces; 404 with a line saying what to
    do when the token fetches nothing."""
    from starlette.responses import PlainTextResponse, StreamingResponse

    prepared = SHELF.take(request.path_params["token"])
    if prepared is None:
        return PlainTextResponse(
            "This download was fetched already, replaced or has expired: press Prepare on the page again.\n", status_code=404
        )
    handle = prepared.path.open("rb")
    size = os.fstat(handle.fileno()).st_size
    prepared.remove()  # the name goes now; the open handle keeps the bytes until the last is sent
    headers = {
        "Content-Length": str(size),
        "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="{prepared.path.name}"',
    }
    return StreamingResponse(_pieces(handle), media_type=prepared.mime, headers=headers)


def routes() -> list[Route]:
    from starlette.routing import Route

    return [Route(_base() + ROUTE, serve, methods=["GET"])]
