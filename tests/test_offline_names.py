"""Offline with any file name: a file of a guide named with "#", "?", "%" or a space is kept
by the service worker like any other (a "#" in a name cut the address the worker fetched, the
server answered 404, and installing failed: the whole site had no offline copy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidebook.build import build

from .conftest import make_config, serve_directory
from .test_markdown_pages import png

pytestmark = pytest.mark.browser

COACH = Path(__file__).resolve().parent / "coach-site" / "content"
NAMES = ["Session #1.png", "what?.png", "100% sure.png", "Über Bild (2).png"]


def test_files_named_with_hash_question_mark_or_percent_are_kept_offline(tmp_path, browser):
    content = tmp_path / "content"
    shutil.copytree(COACH, content)
    guide = "handling-criticism"
    for width, name in enumerate(NAMES, start=10):
        (content / guide / name).write_bytes(png(width, 2))  # each known by its width
    build(make_config(tmp_path, content))
    with serve_directory(tmp_path / "site") as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{url}/{guide}/index.html")
            # Installed and active: every file was fetched (a hang, not a speed).
            page.wait_for_function("() => !!navigator.serviceWorker.controller",
                                   timeout=120_000)
            context.set_offline(True)
            widths = page.evaluate("""async (names) => {
                const widths = [];
                for (const name of names) {
                  const response = await fetch(name.split("/").map(encodeURIComponent).join("/"));
                  const bitmap = await createImageBitmap(await response.blob());
                  widths.push(bitmap.width);
                }
                return widths;
            }""", NAMES)
        finally:
            context.close()
    assert widths == [10, 11, 12, 13]
