"""Browser fixtures: the real app served by uvicorn on a free port, driven by Debian's Chromium.

The server runs in a background thread of the test process against the database of the
``backend`` fixture, so every browser test runs once on SQLite and once on PostgreSQL, and a
test can arrange data with the ordinary ``session`` fixture. Chromium is Debian's
(``/usr/bin/chromium``); Playwright never downloads a browser of its own. Without Chromium the
browser tests skip locally; with ``CI=true`` tests/conftest.py makes that a hard failure.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@dataclass
class LiveServer:
    url: str
    server: object = field(repr=False)


def _free_socket() -> socket.socket:
    """A listening socket on a port the OS chose, handed to uvicorn so no other process can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def live_server(backend) -> Iterator[LiveServer]:
    """rarex served over real HTTP for the current backend, stopped when the backend changes."""
    import uvicorn

    from rarex.web.app import create_app

    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        functools.partial(create_app, run_startup_jobs=False),
        factory=True,
        log_level="warning",
        lifespan="off",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{backend}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail(f"the live server did not answer on {url} within 20 s")
        time.sleep(0.05)
    yield LiveServer(url=url, server=server)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium is not at {CHROMIUM} (install Debian's chromium; CI requires it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageLog:
    """What the page complained about, and every request that tried to leave the live server."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser, live_server, page_log: PageLog):
    """A fresh browser context per test; requests to any other host are blocked and recorded."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)

    def _route(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            page_log.external_requests.append(url)
            route.abort()

    context.route("**/*", _route)
    pg = context.new_page()
    pg.on("console", lambda msg: page_log.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where screenshots go: $RAREX_E2E_SCREENSHOTS if set (to look at them), else a temp dir."""
    target = os.environ.get("RAREX_E2E_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
