"""DuckDB 1.x clients, as analysts have them, for tests that open a store the way their tools do.

Each is installed from the package registry with pip into a virtual environment of its own (the
project's DuckDB 2.0 cannot be imported beside it), kept under the system's temporary folder so the
suite installs it once, not every run. Where it cannot be installed (no registry) the test is
skipped with one line; under CI=true that fails instead."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

# The newest 1.x on the registry when this was written (`pip index versions duckdb`), and the newest
# of the release line the default storage version promises (etl/store/store.py: v1.4.0).
NEWEST_1X = "1.5.6"
SETTING_RELEASE = "1.4.4"


@dataclass(frozen=True)
class Client:
    version: str
    folder: Path

    @property
    def python(self) -> Path:
        return self.folder / "bin" / "python"

    @property
    def cli(self) -> Path:
        """DuckDB's own command-line client (the duckdb-cli package), where installed."""
        return self.folder / "bin" / "duckdb"

    def run_python(self, code: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.python), "-c", code, *args], capture_output=True, text=True, timeout=120)

    def run_cli(self, db: Path, sql: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.cli), "-readonly", "-csv", str(db), "-c", sql], capture_output=True, text=True, timeout=120)


def _installed(client: Client, with_cli: bool) -> bool:
    if not client.python.exists() or (with_cli and not client.cli.exists()):
        return False
    found = client.run_python("import duckdb; print(duckdb.__version__)")
    return found.returncode == 0 and found.stdout.strip() == client.version


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"DuckDB 1.x client could not be installed ({reason}): CI must run the compatibility tests")
    pytest.skip(f"DuckDB 1.x client could not be installed from the registry ({reason})")


def client(version: str, with_cli: bool = False) -> Client:
    """DuckDB `version` (and its command-line client) in its own virtual environment, installed once
    (one test process at a time installs it: the others wait on the lock)."""
    folder = Path(tempfile.gettempdir()) / f"slippage-duckdb-{version}{'-cli' if with_cli else ''}"
    found = Client(version, folder)
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed(found, with_cli):
            shutil.rmtree(folder, ignore_errors=True)
            venv.create(folder, with_pip=True)
            packages = [f"duckdb=={version}"] + ([f"duckdb-cli=={version}"] if with_cli else [])
            pip = subprocess.run([str(found.python), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True, timeout=600)
            if pip.returncode != 0:
                shutil.rmtree(folder, ignore_errors=True)
                _unavailable((pip.stderr.strip().splitlines() or ["pip failed"])[-1])
    if not _installed(found, with_cli):
        _unavailable(f"the environment at {folder} does not run DuckDB {version}")
    return found
