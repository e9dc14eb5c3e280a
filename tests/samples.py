"""The bundled sample appendices (data/samples/) by their seed number, and the store the first
release wrote from them."""

from __future__ import annotations

from pathlib import Path

from etl.store.store import SAMPLES_DIR

FIRST_RELEASE = Path(__file__).parent / "documents" / "stores" / "first-release.duckdb"
SEEDS = {
    "000": ("000_6cc52f1d1abac4ce.txt", "Harborough District Council"),
    "001": ("001_2a23b004d9c0bf5c.txt", "Cambridgeshire County Council"),
    "002": ("002_771e38b88e39f1cd.txt", "Leicestershire County Council"),
    "003": ("003_85f71db494920cd5.txt", "Manchester City Council"),
    "004": ("004_3b64b694d7adb9af.txt", "London Borough of Tower Hamlets"),
}


def seed_path(seed: str) -> Path:
    return SAMPLES_DIR / SEEDS[seed][0]
