"""Real-browser tests: the app served over HTTP on a random port, driven by Debian's chromium.

The server runs in a thread (uvicorn) against a fresh SQLite database that is
migrated and filled by the real ``werkplek demo`` command. Demo and server share
one fixed day, so the tests do not depend on what day it is. Playwright drives
/usr/bin/chromium and never downloads a browser; when chromium is missing the
tests are skipped, except under CI=true where that is a failure
(``make browser`` installs it).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, sync_playwright

from werkplek.app import create_app
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.demo import DEMO_PASSWORD
from werkplek.migrate import upgrade

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# The demo is built around this day and the server's clock stands still on it (10:00 in
# Amsterdam, a Wednesday), whatever the real date is.
DEMO_DAY = "2026-11-25"
SERVER_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
STARTUP_SECONDS = 20


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing; `make browser` installs Debian's chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def demo_database(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated and filled by the real ``werkplek demo`` command, made
    once per test process: each module's server gets a copy of its own."""
    path = tmp_path_factory.mktemp("browser-demo") / "werkplek-demo.db"
    database_url = f"sqlite+aiosqlite:///{path}"
    upgrade(database_url)
    subprocess.run(
        [sys.executable, "-m", "werkplek.cli", "demo", "--today", DEMO_DAY],
        env={**os.environ, "WERKPLEK_DATABASE_URL": database_url, "WERKPLEK_ENV": "test"},
        check=True,
        capture_output=True,
        timeout=60,
    )
    return path


def _copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database whole (with what its write-ahead log holds)."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


@pytest.fixture(scope="module")
def server_url(demo_database: Path) -> Iterator[str]:
    """The base URL of a running server with the demo loaded, on a database of its own
    (the tests change it); stopped after the module."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "werkplek-browser.db"
        _copy_database(demo_database, copy)
        database_url = f"sqlite+aiosqlite:///{copy}"
        settings = Settings(
            database_url=database_url,
            environment="test",
            secret_key="browser-test-secret-key-that-is-long-enough",
            secure_cookies=False,
            scheduler_enabled=False,
        )
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, FixedClock(SERVER_NOW)),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="on",
            )
        )
        thread = threading.Thread(target=server.run, name="werkplek-browser-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if not thread.is_alive():
                pytest.fail("the server stopped while starting; see the captured log")
            if time.monotonic() > deadline:
                server.should_exit = True
                pytest.fail(f"the server did not start within {STARTUP_SECONDS} s")
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium_path: Path, server_url: str) -> Iterator[Browser]:
    """Chromium, for this module only.

    Playwright's sync API keeps an event loop on this thread while it runs, so it
    starts after the server is set up (migrations use ``asyncio.run``) and stops
    before the async tests of other modules.
    """
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


def log_in(page: Page, server_url: str, email: str, then: str = "/") -> None:
    """Log in through the login form as a demo person, going on to ``then``.

    Returns once the page logged in to has loaded, its deferred scripts with it: a test
    acting on it sooner could change a field before the script that watches it runs.
    """
    page.goto(f"{server_url}/login?next={then}")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")


def accessibility_violations(page: Page) -> list[str]:
    """What axe-core finds wrong on the page, of any impact, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} "
        f"({len(violation['nodes'])}×, e.g. {violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
    ]


def log_out(page: Page, button: str = "Uitloggen") -> None:
    """Log out through the menu under one's name."""
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name=button).click()


def menu_link(page: Page, name: str) -> Locator:
    """A link of the main menu (the Dutch one: the browser profile prefers Dutch)."""
    return page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name)


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the page logged (script errors, CSP violations); filled by ``page``."""
    return []


@pytest.fixture
def page(browser: Browser, console_errors: list[str]) -> Iterator[Page]:
    """A fresh browser profile (no cookies) that prefers Dutch, like most users."""
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(10_000)
    opened = context.new_page()

    def remember(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    opened.on("console", remember)
    opened.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture
def page_without_script(browser: Browser) -> Iterator[Page]:
    """A fresh Dutch browser profile that runs no JavaScript: the pages must work without."""
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
