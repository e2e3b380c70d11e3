"""Shared fixtures: build into temporary folders, serve them, drive the browser engines."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from . import windows

if windows.simulated():
    windows.install()  # the whole suite as on Windows: before guidebook is imported

from guidebook.build import Config, build  # noqa: E402

from .engines import ENGINES, engine_session, open_reader

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


# How tests run the command line in a new process: as on Windows too when the suite is.
BUILD_COMMAND = ([sys.executable, str(ROOT / "tests" / "windows.py")] if windows.simulated()
                 else [sys.executable, str(ROOT / "build.py")])


# The build and content-checking tests (no browser): .ci/run runs them on every Python from
# 3.10 to 3.13 it finds, besides the main one.
PLATFORM_MODULES = {"test_build", "test_check", "test_content", "test_broken_corpus",
                    "test_output_folder", "test_platform", "test_scaffold"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        if module in PLATFORM_MODULES and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.platform)


def make_config(tmp: Path, content: Path = CONTENT, **kwargs) -> Config:
    return Config(content=content, templates=kwargs.pop("templates", TEMPLATES),
                  output=tmp / "site", **kwargs)


# The real guide has no short-answer field, so the browser tests' build adds one worksheet with
# every kind of field to a copy of it.
ALL_KINDS = """\
---
title: Every kind of field
step: 2
minutes: 5
---
Fill in every kind of field.

## A few lines {#a-few-lines}

[lines: 3]

## One word {#one-word}

[short]

## Pick some {#pick}

[checklist]
- [ ] Sadness
- [ ] Anger
- [ ] Other: ___

## Rate it {#rate}

[scale: 0-5 | Low | High]

## Fill the table {#grid}

[table: 2 rows]
| First | Second |
"""
GUIDE = "managing-rejection"


@pytest.fixture(scope="session")
def every_kind_site(tmp_path_factory) -> Path:
    """The real guide plus the every-kind worksheet, built once for the whole session."""
    tmp = tmp_path_factory.mktemp("every-kind")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    (content / GUIDE / "worksheets" / "every-kind.md").write_text(ALL_KINDS, encoding="utf-8")
    build(make_config(tmp, content))
    return tmp / "site"


@pytest.fixture(scope="session")
def every_kind_url(every_kind_site):
    """The every-kind site served over http on 127.0.0.1."""
    with serve_directory(every_kind_site) as url:
        yield url


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real guide, built once for the whole session into a temporary folder."""
    out = tmp_path_factory.mktemp("built")
    build(make_config(out))
    return out / "site"


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the real content that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging; note each answer in the server's `answers` list when it
    has one (serve_directory), to explain a failure."""

    def log_message(self, *args) -> None:  # keep test output readable
        pass

    def log_request(self, code="-", size="-") -> None:
        answers = getattr(self.server, "answers", None)
        if answers is not None:
            since = self.headers.get("If-Modified-Since")
            answers.append(f"{time.monotonic():.2f} {self.path} {code}"
                           + (f" (If-Modified-Since {since})" if since else ""))


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that says nothing when a browser drops a request it no longer
    wants (a page left mid-load: BrokenPipeError), and prints any other error."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_directory(directory: Path, port: int = 0, answers: list[str] | None = None):
    """Serve a folder over http on 127.0.0.1 in a thread, on `port` (0: any free one); yield
    its base URL. With `answers`, each request's path and status are appended to it."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", port), handler)
    server.answers = answers
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright. Missing browser = failure, not skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with "
                    "`apt-get install -y chromium` (.ci/run does this)")
    from playwright.sync_api import expect, sync_playwright

    # Waits, not speed limits: an `expect` waits for what a reader would see, up to 20 s
    # instead of Playwright's 5 s, so a loaded CI machine (the lock's PBKDF2, a rebuild)
    # does not fail a test that holds; a test that fails still fails, only later.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def firefox_session(tmp_path_factory):
    """Firefox ESR, held by the puppeteer-core bridge for the whole session."""
    with engine_session("firefox", tmp_path_factory.mktemp("firefox-downloads")) as session:
        yield session


@pytest.fixture(scope="session")
def webkit_session(tmp_path_factory):
    """WebKitWebDriver on a virtual display, for the whole session."""
    with engine_session("webkit", tmp_path_factory.mktemp("webkit-downloads")) as session:
        yield session


@pytest.fixture(params=ENGINES)
def reader(request):
    """A fresh profile with one page, in each engine in turn (tests/engines.py). A script
    error on any of its pages fails the test."""
    name = request.param
    session = request.getfixturevalue("browser" if name == "chromium" else f"{name}_session")
    page = open_reader(name, session)
    yield page
    errors = page.script_errors()
    page.close()
    assert errors == [], f"script errors in {name}: {errors}"
