"""The dashboard in Streamlit's AppTest, and the files its download buttons prepare."""

from __future__ import annotations

from pathlib import Path

from etl.store.store import ROOT


def dashboard_app(db: Path, monkeypatch, page: str | None = None, address: dict[str, str] | None = None, timeout: float = 60):
    """The dashboard in Streamlit's AppTest on the store `db`, opened at an address with the query
    parameters `address`, run once (and switched to pages/PAGE.py when a page is named), with no
    exception on the way. `timeout` is each run's limit: more for large stores and first-run builds."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SLIPPAGE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    at.query_params.update(address or {})
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def prepare_labels(at) -> list[str]:
    """The labels of the page's download buttons (Prepare CSV, …), in order."""
    return [b.label for b in at.button if b.label.startswith("Prepare ")]


def prepared_download(at, fmt: str = "CSV", index: int = -1):
    """Press the page's Prepare button for `fmt` (the last such button unless `index` says which)
    and fetch the file it offers from the shelf, as the download route would: its path, valid
    until the test ends (the route would remove it as it sends it)."""
    from app.served import SHELF

    [button for button in at.button if button.label == f"Prepare {fmt}"][index].click().run()
    assert not at.exception, [e.message for e in at.exception]
    links = [link.proto.url for link in at.get("link_button") if link.proto.label.startswith(f"Download {fmt}")]
    assert links, "no download offered after Prepare"
    prepared = SHELF.take(links[-1].rsplit("/", 1)[1])
    assert prepared is not None
    return prepared.path
