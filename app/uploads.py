"""Uploads from the Data page: who may upload, and getting files safely from the browser to the
ETL (names sanitised, types checked by content, written to a temporary folder that is removed)."""
from __future__ import annotations

import hmac
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.extract.registry import HEAD_BYTES, check_content, supported_suffixes

ALLOWED = supported_suffixes()
MAX_TRIES = 5
LOCKOUT_SECONDS = 30
ENV_PASSWORD = "SLIPPAGE_UPLOAD_PASSWORD"


def configured_password(secrets) -> str | None:
    """The upload key from .streamlit/secrets.toml (upload_password) or the environment."""
    try:
        from_secrets = secrets.get("upload_password")
    except Exception:
        from_secrets = None
    return from_secrets or os.environ.get(ENV_PASSWORD) or None


@dataclass
class Gate:
    """Wrong keys are counted per session; after MAX_TRIES the next try must wait."""
    failures: int = 0
    locked_until: float = 0.0
    unlocked: bool = False

    def wait_seconds(self, now: float | None = None) -> int:
        return max(0, int(self.locked_until - (now or time.time()) + 0.999))

    def attempt(self, given: str, expected: str, now: float | None = None) -> str | None:
        """None when the key is right, else why not."""
        now = now or time.time()
        if self.wait_seconds(now):
            return f"too many wrong keys: wait {self.wait_seconds(now)} s before trying again"
        if hmac.compare_digest(given.encode(), expected.encode()):
            self.unlocked, self.failures = True, 0
            return None
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.locked_until = now + LOCKOUT_SECONDS * (2 ** (self.failures - MAX_TRIES))
            return f"wrong key; too many tries: wait {self.wait_seconds(now)} s"
        return f"wrong key ({MAX_TRIES - self.failures} tries left before a wait)"


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


@contextmanager
def staged(files: list[tuple[str, bytes]]) -> Iterator[list[Path]]:
    """Accepted uploads written under a fresh temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="slippage-upload-") as folder:
        paths = []
        for index, (name, data) in enumerate(files):
            target = Path(folder) / f"{index:03d}" / safe_name(name)
            target.parent.mkdir()
            target.write_bytes(data)
            paths.append(target)
        yield paths
