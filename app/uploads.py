"""Uploads in the admin app (admin.py): who may upload, and getting files safely from the browser
to the ETL (names sanitised, types checked by content, written to a temporary folder that is
removed, and removed at the next start if a crash left it behind).

What decides who may upload lives on the server, not in a browser session, so a reload or a new
session starts nowhere new:
- LOCKOUT counts wrong keys per client address and over all addresses; past a few, every try
  must wait, longer with each further wrong key;
- SESSIONS holds the sessions that gave the right key; UploadGate, in front of Streamlit's upload
  endpoint, refuses any file from another session before a byte of it is read (hiding the
  uploader widget is no gate: the endpoint takes files from any open session)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl import settings
from etl.extract.kind import HEAD_BYTES
from etl.extract.registry import check_content, supported_suffixes

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

ALLOWED = supported_suffixes()
ENV_PASSWORD = settings.UPLOAD_PASSWORD.name

MAX_TRIES = 5  # wrong keys from one address before each further try must wait
OVERALL_TRIES = 20  # wrong keys from all addresses together before every try must wait
LOCKOUT_SECONDS = 30  # the first wait; each further wrong key doubles it...
MAX_LOCKOUT_SECONDS = 3600  # ...up to an hour
FORGET_SECONDS = 3600  # a count with no wrong key for an hour, and no wait running, starts again
MAX_CLIENTS = 10_000  # addresses remembered at once (the overall count still holds beyond)
SESSION_HOURS = 12  # how long a session that gave the key may upload

STAGING_PREFIX = "slippage-upload-"
STALE_SECONDS = 3600


def configured_password(secrets: Mapping[str, Any]) -> str | None:
    """The upload key from .streamlit/secrets.toml (upload_password) or the environment."""
    try:
        from_secrets = secrets.get("upload_password")
    except Exception:
        from_secrets = None
    return from_secrets or settings.UPLOAD_PASSWORD.value()


# -- wrong keys, counted on the server --------------------------------------------------------
@dataclass
class _Strikes:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0

    def wait(self, now: float) -> int:
        return max(0, int(self.locked_until - now + 0.999))

    def fail(self, now: float, allowed: int) -> None:
        self.failures += 1
        self.last_failure = now
        if self.failures >= allowed:
            doublings = min(self.failures - allowed, 16)
            self.locked_until = now + min(MAX_LOCKOUT_SECONDS, LOCKOUT_SECONDS * 2**doublings)

    def forgotten(self, now: float) -> bool:
        return self.locked_until <= now and now - self.last_failure >= FORGET_SECONDS


class Lockout:
    """Wrong upload keys counted per client address and over all addresses, in this server
    process: after `per_client` wrong keys from one address, or `overall` from all of them, each
    further try waits (LOCKOUT_SECONDS, doubling with each wrong key, at most an hour), and a
    try made during a wait is refused unread, the right key included. A right key clears its
    address's count. A new upload key starts every count again. Thread-safe: Streamlit runs each
    session's script in a thread of its own."""

    def __init__(self, per_client: int = MAX_TRIES, overall: int = OVERALL_TRIES) -> None:
        self.per_client, self.overall = per_client, overall
        self._lock = threading.Lock()
        self._clients: dict[str, _Strikes] = {}
        self._all = _Strikes()
        self._key: bytes | None = None

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()
            self._all = _Strikes()

    def wait_seconds(self, client: str, now: float | None = None) -> int:
        now = time.time() if now is None else now
        with self._lock:
            strikes = self._clients.get(client)
            return max(self._all.wait(now), strikes.wait(now) if strikes else 0)

    def attempt(self, client: str, given: str, expected: str, now: float | None = None) -> str | None:
        """None when the key is right and no wait is running, else why not (one line)."""
        now = time.time() if now is None else now
        digest = hashlib.sha256(expected.encode()).digest()
        with self._lock:
            if self._key != digest:  # a new key is a new secret: guesses at the old one count for nothing
                self._key, self._all = digest, _Strikes()
                self._clients.clear()
            if self._all.forgotten(now):
                self._all = _Strikes()
            strikes = self._clients.get(client)
            if strikes is None or strikes.forgotten(now):
                strikes = self._clients[client] = _Strikes()
            if strikes.wait(now):
                return f"too many wrong keys: wait {strikes.wait(now)} s before trying again"
            if self._all.wait(now):
                return f"too many wrong keys from all addresses: every try waits, wait {self._all.wait(now)} s before trying again"
            if hmac.compare_digest(hashlib.sha256(given.encode()).digest(), digest):
                del self._clients[client]
                return None
            strikes.fail(now, self.per_client)
            self._all.fail(now, self.overall)
            self._prune(now)
            wait = max(strikes.wait(now), self._all.wait(now))
            if wait:
                return f"wrong key; too many tries: wait {wait} s"
            left = self.per_client - strikes.failures
            return f"wrong key ({left} {'try' if left == 1 else 'tries'} left before a wait)"

    def _prune(self, now: float) -> None:
        if len(self._clients) > MAX_CLIENTS:
            for client in [c for c, s in self._clients.items() if s.forgotten(now)]:
                del self._clients[client]
        while len(self._clients) > MAX_CLIENTS:  # keep the newest; the overall count still applies
            oldest = min(self._clients, key=lambda c: self._clients[c].last_failure)
            del self._clients[oldest]


def client_key(address: object) -> str:
    """The lockout's name for a client address: an IPv4 address as it is, an IPv6 address by its
    /64 network (one home or server holds a whole /64, so counting single addresses there would
    count nothing), and anything else (None for this machine, or AppTest's stand-in) as "localhost"."""
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else None
    except ValueError:
        ip = None
    if ip is None:
        return "localhost"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class Gate:
    """One client's way past a Lockout: the key checked, `unlocked` once it was right.
    Without a Lockout of its own it has a fresh one (for tests of the counting alone)."""

    def __init__(self, lockout: Lockout | None = None, client: str = "localhost") -> None:
        self.lockout = lockout or Lockout()
        self.client = client
        self.unlocked = False

    def wait_seconds(self, now: float | None = None) -> int:
        return self.lockout.wait_seconds(self.client, now)

    def attempt(self, given: str, expected: str, now: float | None = None) -> str | None:
        problem = self.lockout.attempt(self.client, given, expected, now)
        self.unlocked = problem is None
        return problem


class Sessions:
    """The Streamlit sessions that gave the right key, each for SESSION_HOURS at most. A grant
    also hands back a token for the session's own state, so a page is unlocked only for the
    session that gave the key (AppTest gives every test the same session id)."""

    def __init__(self, hours: float = SESSION_HOURS) -> None:
        self.seconds = hours * 3600
        self._lock = threading.Lock()
        self._grants: dict[str, tuple[float, str]] = {}

    def grant(self, session_id: str, now: float | None = None) -> str:
        now = time.time() if now is None else now
        token = secrets.token_hex(16)
        with self._lock:
            self._grants = {s: g for s, g in self._grants.items() if g[0] > now}
            self._grants[session_id] = (now + self.seconds, token)
        return token

    def revoke(self, session_id: str) -> None:
        with self._lock:
            self._grants.pop(session_id, None)

    def allows(self, session_id: str | None, token: str | None = None, now: float | None = None) -> bool:
        """Whether the session may upload; with a token, also that the grant is this one."""
        now = time.time() if now is None else now
        with self._lock:
            until, granted = self._grants.get(session_id or "", (0.0, ""))
        return until > now and (token is None or hmac.compare_digest(token, granted))

    def clear(self) -> None:
        with self._lock:
            self._grants.clear()


# This server's counts and grants: module-level, so every session (and every rerun, reload and
# AppTest in the process) sees the same ones.
LOCKOUT = Lockout()
SESSIONS = Sessions()

_UPLOAD_PATH = "/_stcore/upload_file/"


class UploadGate:
    """ASGI middleware for the admin app: a request to Streamlit's upload endpoint from a session
    not in SESSIONS is answered 403 before its body is read, so a locked session can neither
    upload nor make the server hold a file."""

    def __init__(self, app: ASGIApp, sessions: Sessions | None = None) -> None:
        self.app = app
        self.sessions = sessions or SESSIONS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        if _UPLOAD_PATH in path and scope.get("method") != "OPTIONS":
            session_id = path.split(_UPLOAD_PATH, 1)[1].split("/", 1)[0]
            if not self.sessions.allows(session_id):
                body = b"Uploads need the upload key: give it on the admin page first.\n"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


# -- files ------------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """A file name that cannot leave the upload folder or surprise a shell."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    return (stem[:100] or "upload") + (f".{suffix[:10].lower()}" if suffix else "")


def content_problem(name: str, data: bytes, max_megabytes: int) -> str | None:
    """Why an uploaded file is refused before it is read: its size, or content that is not the
    kind its name claims (the input kinds' own checks, as `etl load` applies them)."""
    if len(data) > max_megabytes * 1024 * 1024:
        return f"the file is larger than the {max_megabytes} MB upload limit"
    return check_content(Path(name), data[:HEAD_BYTES])


def clean_stale(
    root: Path | None = None, older_than: float = STALE_SECONDS, now: float | None = None, prefix: str = STAGING_PREFIX
) -> list[Path]:
    """Remove temporary folders (`prefix`*: upload staging, or downloads' files) of this user
    older than `older_than` seconds: what a crash or a kill left behind. One in use has a newer
    folder and is left alone, whichever server it belongs to."""
    root = Path(tempfile.gettempdir()) if root is None else root
    now = time.time() if now is None else now
    removed = []
    for folder in root.glob(f"{prefix}*"):
        try:
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid() or now - info.st_mtime < older_than:
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


_cleaned_once = threading.Event()


def clean_stale_once() -> None:
    """clean_stale() the first time a server process asks: at start, not on every page run."""
    if not _cleaned_once.is_set():
        _cleaned_once.set()
        clean_stale()


def counted(count: int, thing: str) -> str:
    """ "1 file", "2 files": a count with its noun, singular for one."""
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


@contextmanager
def staged(files: list[tuple[str, bytes]]) -> Iterator[list[Path]]:
    """Accepted uploads written under a fresh temporary folder, removed afterwards (and, if the
    server dies first, by clean_stale at the next start)."""
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX) as folder:
        paths = []
        for index, (name, data) in enumerate(files):
            target = Path(folder) / f"{index:03d}" / safe_name(name)
            target.parent.mkdir()
            target.write_bytes(data)
            paths.append(target)
        yield paths
