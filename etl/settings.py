"""slippage's settings: every environment variable the ETL and the apps read, in one place, each
with its type, default and meaning (as Datasette's SETTINGS). A setting is read when it is asked
for, never at import, so a test, or a server started with another environment, sees its own.

The README's table "Settings" documents each one; tests/test_settings.py checks that it does, and
that no other module reads the environment for them. This module imports nothing of slippage's,
so every stage of the ETL and both apps may use it without an import running back up the flow."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

ROOT = Path(__file__).resolve().parents[1]

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One environment variable: `convert` turns its text into the setting's type; unset, or set to
    nothing, it is `default` (unless `blank_is_default` is off: then nothing is a value of its own)."""

    name: str
    convert: Callable[[str], T]
    default: T
    help: str
    blank_is_default: bool = True

    def value(self) -> T:
        given = os.environ.get(self.name)
        if given is None or (self.blank_is_default and not given):
            return self.default
        return self.convert(given)


# -- the store ----------------------------------------------------------------------------------
DATA_DIR = Setting[Path](
    name="SLIPPAGE_DATA_DIR",
    convert=Path,
    default=ROOT / "data",
    help="The folder of the default store (audit.duckdb) and the dashboard's demo, where the repository may not be written.",
)
DB = Setting[Path | None](
    name="SLIPPAGE_DB",
    convert=Path,
    default=None,
    help="The store every command and both apps use (no demo, no Data shown switch); unset, audit.duckdb in SLIPPAGE_DATA_DIR.",
)
STORAGE_VERSION = Setting[str](
    name="SLIPPAGE_STORAGE_VERSION",
    convert=str,
    default="v1.4.0",
    help="The DuckDB storage version stores are written in: v1.4.0 opens in DuckDB 1.4 and every later release.",
)

# -- reading documents --------------------------------------------------------------------------
LAYOUTS = Setting[Path](
    name="SLIPPAGE_LAYOUTS",
    convert=Path,
    default=ROOT / "etl" / "layouts" / "layouts.toml",
    help="The layouts file (its councils/ folder beside it) the reader and `etl inspect` use.",
)

# -- the admin app ------------------------------------------------------------------------------
ADMIN_CONFIG = Setting[Path](
    name="SLIPPAGE_ADMIN_CONFIG",
    convert=Path,
    default=ROOT / ".streamlit" / "admin.toml",
    help="The admin app's settings file: its Streamlit options and its [slippage] section.",
)
UPLOAD_PASSWORD = Setting[str | None](
    name="SLIPPAGE_UPLOAD_PASSWORD",
    convert=str,
    default=None,
    help="The upload key, where .streamlit/secrets.toml has no upload_password; with neither, uploads are off.",
)
TRUSTED_PROXIES = Setting[str | None](
    name="SLIPPAGE_TRUSTED_PROXIES",
    convert=str,
    default=None,
    help="The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client; "
    "set, even to nothing, it wins over admin.toml's trusted_proxies.",
    blank_is_default=False,
)

SETTINGS: tuple[Setting[Any], ...] = (DATA_DIR, DB, STORAGE_VERSION, LAYOUTS, ADMIN_CONFIG, UPLOAD_PASSWORD, TRUSTED_PROXIES)

# -- the admin app's restart: set by slippage for the server it starts, never by a user ------------
ADMIN_SERVER = Setting[bool](
    name="SLIPPAGE_ADMIN_SERVER",
    convert=bool,
    default=False,
    help="Set by admin.py in the environment of the server it starts again with admin.toml's settings.",
)
# uvicorn's own. uvicorn, which serves the admin app, takes the client's address from
# X-Forwarded-For when the connection comes from an address listed here (by default 127.0.0.1 and
# ::1: anyone on this machine, or any proxy on it, could then name any address). admin.py gives the
# server it starts trusted_proxies() here instead.
UVICORN_TRUSTED = Setting[str | None](
    name="FORWARDED_ALLOW_IPS",
    convert=str,
    default=None,
    help="uvicorn's list of the proxies whose X-Forwarded-For it believes; admin.py sets it from SLIPPAGE_TRUSTED_PROXIES.",
    blank_is_default=False,
)
INTERNAL: tuple[Setting[Any], ...] = (ADMIN_SERVER, UVICORN_TRUSTED)


def default_db() -> Path:
    """The default store: audit.duckdb in SLIPPAGE_DATA_DIR."""
    return DATA_DIR.value() / "audit.duckdb"
