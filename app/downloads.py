"""Download buttons for a table: CSV, Excel and Parquet, each file made only when its button is
pressed (the bytes come from app/exports.py)."""
from __future__ import annotations

import functools

import streamlit as st

from app.exports import MIME, export


def export_buttons(make_frame, stem: str, provenance: dict[str, str], key: str) -> None:
    """CSV, Excel and Parquet downloads; each file is made only when its button is pressed."""
    columns = st.columns(3)
    for column, (fmt, label) in zip(columns, (("csv", "CSV"), ("xlsx", "Excel"), ("parquet", "Parquet"))):
        column.download_button(f"Download {label}", data=functools.partial(_export_bytes, make_frame, fmt, provenance),
                               file_name=f"{stem}.{fmt}", mime=MIME[fmt], key=f"{key}_{fmt}",
                               on_click="ignore", icon=":material/download:")


def _export_bytes(make_frame, fmt: str, provenance: dict[str, str]) -> bytes:
    return export(make_frame(), fmt, provenance)
