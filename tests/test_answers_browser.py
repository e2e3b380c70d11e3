"""The reader's answers belong to one site: two sites in one browser never share them.

Chromium keeps one storage for every file:// page, and one per http origin, so two Guidebook
sites opened from disk, or served under two paths of one address, would share answers if the
keys named only the guide and the worksheet (issue 11).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guidebook.build import Config, build
from guidebook.model import Settings

from .conftest import TEMPLATES, serve_directory

pytestmark = pytest.mark.browser

WORKSHEET = """\
---
title: Feelings
step: 1
---
## How do you feel? {#feel}

[lines: 3]

## What helps {#helps}

[checklist]
- [ ] A walk
- [ ] A friend
"""


def write_site(root: Path, title: str, base_url: str = "") -> Path:
    """Write a small content folder: guide `g`, one step, worksheet `ws`; return it."""
    content = root / "content"
    (content / "g" / "worksheets").mkdir(parents=True)
    (content / "site.yaml").write_text(
        f"title: {title}\n" + (f"base_url: {base_url}\n" if base_url else ""), encoding="utf-8")
    (content / "g" / "guide.md").write_text(
        "---\ntitle: A guide\nsummary: For the test.\n---\nIntroduction.\n", encoding="utf-8")
    (content / "g" / "1-first.md").write_text("---\ntitle: First\n---\nText.\n",
                                              encoding="utf-8")
    (content / "g" / "worksheets" / "ws.md").write_text(WORKSHEET, encoding="utf-8")
    return content


def build_site(root: Path, title: str, base_url: str = "") -> Path:
    content = write_site(root, title, base_url)
    build(Config(content=content, templates=TEMPLATES, output=root / "site"))
    return root / "site"


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory) -> tuple[Path, Path]:
    """Two sites whose titles differ, both with guide g and worksheet ws, in one folder."""
    parent = tmp_path_factory.mktemp("two-sites")
    return build_site(parent / "a", "Site A"), build_site(parent / "b", "Site B")


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


def feel(page):
    return page.get_by_role("textbox", name="How do you feel?")


def type_answer(page, url: str, text: str) -> None:
    page.goto(url)
    feel(page).fill(text)
    page.get_by_label("A friend").check()
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Saved in this browser"))


def every_stored_text(page) -> str:
    """Every key and value of localStorage and sessionStorage, as one string."""
    return page.evaluate("""() => [localStorage, sessionStorage].map(s =>
        Object.keys(s).map(k => k + '=' + s.getItem(k)).join('\\n')).join('\\n')""")


def urls_for(scheme: str, sites: tuple[Path, Path], served: str) -> tuple[str, str]:
    """The worksheet's address on each site: from disk, or under /a/ and /b/ of one origin."""
    if scheme == "file":
        return tuple(f"{s.as_uri()}/g/worksheets/ws.html" for s in sites)  # type: ignore
    return f"{served}/a/site/g/worksheets/ws.html", f"{served}/b/site/g/worksheets/ws.html"


@pytest.fixture(scope="module")
def served(two_sites):
    with serve_directory(two_sites[0].parent.parent) as url:
        yield url


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_an_answer_typed_on_one_site_never_shows_on_the_other(context, two_sites, served,
                                                               scheme):
    url_a, url_b = urls_for(scheme, two_sites, served)
    page = context.new_page()
    type_answer(page, url_a, "Tired but hopeful")
    page.goto(url_b)
    expect(feel(page)).to_have_value("")
    assert not page.get_by_label("A friend").is_checked()
    assert page.locator("[data-status]").text_content() == ""
    # B's own answer, then Clear on B: A keeps its answer.
    type_answer(page, url_b, "Only B knows this")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-clear]")
    expect(feel(page)).to_have_value("")
    page.goto(url_a)
    expect(feel(page)).to_have_value("Tired but hopeful")
    assert page.get_by_label("A friend").is_checked()
    assert "Only B knows this" not in every_stored_text(page)
    # The packet of each site shows only its own answers.
    page.goto(url_b.replace("ws.html", "index.html"))
    assert "Tired but hopeful" not in page.locator(".packet").inner_text()
    page.goto(url_a.replace("ws.html", "index.html"))
    expect(page.locator(".sheet .print-answer")).to_have_text("Tired but hopeful")


def test_answers_saved_under_the_old_keys_are_moved_and_shown(context, two_sites):
    url_a, url_b = urls_for("file", two_sites, "")
    page = context.new_page()
    page.goto(url_a)
    old = {"version": 1, "saved": "2026-01-01T00:00:00Z",
           "answers": {"feel": "Written before the update", "helps-a-walk": True}}
    page.evaluate("value => localStorage.setItem('guidebook:g/ws', value)", json.dumps(old))
    page.reload()
    expect(feel(page)).to_have_value("Written before the update")
    assert page.get_by_label("A walk").is_checked()
    assert page.locator("[data-status]").text_content() == "Your saved answers are filled in."
    stored = page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .map(k => [k, JSON.parse(localStorage.getItem(k))]))""")
    site_a = page.evaluate("document.body.dataset.site")
    assert list(stored) == [f"guidebook:{site_a}:g/ws"]
    assert stored[f"guidebook:{site_a}:g/ws"]["answers"] == old["answers"]
    # Moved, not copied: the other site, opened next, does not get them too.
    page.goto(url_b)
    expect(feel(page)).to_have_value("")


def test_the_site_identity_is_stable_and_differs_between_sites(tmp_path):
    def identity(site: Path) -> str:
        html = (site / "g/worksheets/ws.html").read_text(encoding="utf-8")
        return re.search(r'<body[^>]* data-site="([0-9a-f]{12})"', html).group(1)

    first = build_site(tmp_path / "one", "Site A")
    before = identity(first)
    # A rebuild after a content edit keeps it.
    content = tmp_path / "one" / "content"
    (content / "g" / "1-first.md").write_text("---\ntitle: Renamed step\n---\nNew text.\n",
                                              encoding="utf-8")
    build(Config(content=content, templates=TEMPLATES, output=tmp_path / "one" / "site"))
    assert identity(first) == before
    assert identity(build_site(tmp_path / "two", "Site A")) == before
    assert identity(build_site(tmp_path / "three", "Site B")) != before
    assert identity(build_site(tmp_path / "four", "Site A", "https://example.org/a/")) != before
    assert Settings("Site A").identity == before
