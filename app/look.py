"""The styles both apps add to Streamlit's theme (app/look.css): readable captions and a visible
focus ring, for WCAG AA."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st


@functools.cache
def _style() -> str:
    return (Path(__file__).with_name("look.css")).read_text(encoding="utf-8")


def apply_look() -> None:
    """Add the styles to the page (a style-only st.html takes no room on the page)."""
    st.html(f"<style>{_style()}</style>")
