"""The browser the browser tests drive: Debian's Chromium through Playwright."""

CHROMIUM = "/usr/bin/chromium"  # Debian's: Playwright cannot download browsers here
# As root and on a closed network, Chromium needs these to start quietly.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
