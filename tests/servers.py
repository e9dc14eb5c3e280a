"""Real Streamlit servers for tests, and a client that talks to one without a browser: a session
opened over the websocket as the frontend opens it, and files sent straight to the upload endpoint
(PUT /_stcore/upload_file/SESSION/FILE) as an attacker would, widget or no widget."""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from etl.store.store import ROOT

MB = 1024 * 1024
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots the browser tests keep (gitignored)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    script: str, env: dict[str, str], *flags: str, port: int | None = None, give_port: bool = True, timeout: float = 90
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run SCRIPT` from the repository root; yields its URL (and the process) once it
    answers its health check. With give_port=False the command names no port, so the script's
    own settings decide it, and `port` says where to look."""
    look_at = port or free_port()
    port_flags = ["--server.port", str(look_at)] if give_port else []
    # A file, not a pipe: a server that logs much would block on a full pipe.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / script), *port_flags, "--server.headless", "true", *flags],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{look_at}"
        deadline = time.time() + timeout
        try:
            while True:
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                    break
                except OSError:
                    if process.poll() is not None or time.time() > deadline:
                        process.kill()
                        log.seek(0)
                        raise RuntimeError(
                            f"streamlit run {script} did not start: " + log.read().decode(errors="replace")[-2000:]
                        ) from None
                    time.sleep(0.5)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def session(url: str) -> Iterator[str]:
    """A session opened over the websocket as the frontend opens one; yields its id, once its
    first page run has finished, while it stays open."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    with connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=[Subprotocol("streamlit")], max_size=None, open_timeout=30
    ) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        ws.send(rerun.SerializeToString())
        session_id = None
        while True:  # the page's first run, to its end: what it costs is not counted against a test
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=90))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                session_id = message.new_session.initialize.session_id
            elif kind == "script_finished" and session_id:
                break
        yield session_id


def xsrf_token(url: str) -> str:
    """The XSRF cookie any visitor is given; the upload endpoint wants it back as a header."""
    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(f"{url}/_stcore/health").read()
    return next(c.value or "" for c in jar if c.name == "_streamlit_xsrf")


def put_file(
    url: str, session_id: str, size: int, chunked: bool = False, token: str | None = None, name: str = "appendix.pdf"
) -> tuple[int, int]:
    """Send a file of `size` bytes to the upload endpoint with a made-up file id, as multipart form
    data (with Content-Length, or chunked with none). Returns (HTTP status, bytes the server took
    before it answered)."""
    token = token or xsrf_token(url)
    address = urlparse(url)
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + size + len(tail)
    request = [
        f"PUT /_stcore/upload_file/{session_id}/{uuid.uuid4()} HTTP/1.1",
        f"Host: {address.netloc}",
        f"Content-Type: multipart/form-data; boundary={boundary}",
        f"X-Xsrftoken: {token}",
        f"Cookie: _streamlit_xsrf={token}",
        "Connection: close",
        "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}",
    ]
    sent = 0
    with socket.create_connection((address.hostname, address.port), timeout=60) as sock:
        sock.sendall(("\r\n".join(request) + "\r\n\r\n").encode())
        try:
            for piece in _pieces(head, size, tail):
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent += len(piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the whole body was sent
        try:
            answer = sock.recv(4096)
        except ConnectionResetError:
            answer = b""
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent


def _pieces(head: bytes, size: int, tail: bytes, piece: int = 256 * 1024) -> Iterator[bytes]:
    yield head
    block = b"x" * piece
    for start in range(0, size, piece):
        yield block[: min(piece, size - start)]
    yield tail


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def open_page(page, url: str, path: str = ""):
    """A page of a served app in the browser, once it has drawn and its requests have settled."""
    from playwright.sync_api import expect

    page.goto(f"{url}/{path}")
    expect(page.locator('[data-testid="stAppViewContainer"]')).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    return page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@contextmanager
def dashboard_on_copy(tmp_path_factory, db: Path, name: str) -> Iterator[str]:
    """The dashboard served from a copy of the store `db` (so no test shares a file another one
    opens); yields its URL."""
    copy = tmp_path_factory.mktemp(name) / db.name
    shutil.copyfile(db, copy)
    with streamlit_server("dashboard.py", {"SLIPPAGE_DB": str(copy)}, "--server.address", "127.0.0.1") as (url, _):
        yield url


def prepare_and_download(page, fmt: str, timeout: float = 120_000):
    """Press a page's Prepare button for `fmt` (CSV, Excel, Parquet), then its Download link, as a
    viewer does (Chromium reports the download on the page whose link started it). Returns
    Playwright's Download."""
    import re

    from playwright.sync_api import expect

    page.get_by_role("button", name=f"Prepare {fmt}").click()
    link = page.get_by_role("link", name=re.compile(f"^Download {fmt}"))
    expect(link).to_be_visible(timeout=timeout)
    with page.expect_download(timeout=timeout) as info:
        link.click()
    return info.value


def pdf_pack_download(page, timeout: float = 180_000):
    """Press the Committee page's Prepare PDF pack, then its Pack as PDF, as a chair does. Returns
    Playwright's Download."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Prepare PDF pack").click()
    button = page.get_by_role("button", name="Pack as PDF")
    expect(button).to_be_visible(timeout=timeout)
    with page.expect_download(timeout=timeout) as info:
        button.click()
    return info.value
