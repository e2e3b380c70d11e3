"""Markdown that used to break the page it is on: footnotes from several texts on one page,
lists nested by 2 or 3 spaces, file names and web addresses that need encoding in a URL.

Checked in what the reader gets: the built HTML, the HTML checker (vnu), and clicks and
images in headless Chromium.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import urllib.request
import zlib
from collections import Counter
from pathlib import Path

import pytest

from guidebook.build import build

from .conftest import make_config, serve_directory
from .tools import vnu_jar

NOTE = "[^1]: {}\n"
FILES: dict[str, str] = {
    "site.yaml": "title: Test guides\n",
    "g/guide.md": "---\ntitle: A hard week\nsummary: For the tests.\n---\n"
                  "Start with [the first step](1-start.md).[^1]\n\n"
                  "## Introduction\n\nA heading the guide page has too.\n\n"
                  + NOTE.format("The note of the guide."),
    "g/reading.md": "---\ntitle: Related reading\nitems:\n  - title: A book\n    url: unknown\n"
                    "    note: 'Worth a look.[^1]\n\n\n      [^1]: The reading note.'\n"
                    "  - title: A list\n    url: https://example.org/find?ids[]=3&q={a}|b\n---\n"
                    "Some reading for later.[^1]\n\n" + NOTE.format("The reading list note."),
    "g/1-start.md": "---\ntitle: Start here\nsummary: The first step.\n---\n"
                    "## Breathing\n\n## Main\n\n## Worksheets\n\n## Worksheets\n\n"
                    "1. Breathe\n   1. In for four\n   2. Out for six\n2. Ask\n\n"
                    "Try this:\n- Notice\n  - What you see\n  - What you hear\n- Name it\n\n"
                    "![A photo of the sea](<my photo.png>)\n\n"
                    "See [the overview](<Übersicht 2.pdf>) and the step's note.[^1]\n\n"
                    "Read [the article](https://example.org/a page?q=a b|c#part two), "
                    "[the page](<https://example.org/100% sure>) or [ask me]"
                    "(mailto:me@example.org?subject=Hi there).\n\n"
                    + NOTE.format("The note of the step."),
    "g/worksheets/notes.md": "---\ntitle: Notes\nstep: 1\nminutes: 10\n---\n"
                             "Before you start, read the note.[^1]\n\n"
                             + NOTE.format("The note of the introduction.") +
                             "\n## What happened? {#what}\n\nOnly the facts.[^1]\n\n"
                             + NOTE.format("The note on facts.") +
                             "\n[lines: 3]\n\n## Why? {#why}\n\nGuess kindly.[^1]\n\n"
                             + NOTE.format("The note on guessing.") + "\n[lines: 3]\n",
    "g/worksheets/more.md": "---\ntitle: More notes\nstep: 1\nminutes: 5\n---\n"
                            "A second worksheet with a note.[^1]\n\n"
                            + NOTE.format("The note of the second worksheet.") +
                            "\n## What next? {#next}\n\n[lines: 2]\n",
}
PAGES = ["g/index.html", "g/start.html", "g/worksheets/notes.html",
         "g/worksheets/more.html", "g/worksheets/index.html"]


def png(width: int = 3, height: int = 2) -> bytes:
    """Return a small, valid, grey PNG image (PNG specification, 2nd edition)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                                 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("markdown-pages")
    content = root / "content"
    for rel, text in FILES.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    (content / "g" / "my photo.png").write_bytes(png())
    (content / "g" / "Übersicht 2.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    build(make_config(root, content))
    return root / "site"


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', html)


@pytest.mark.parametrize("page", PAGES)
def test_every_id_is_once_on_every_page(site: Path, page: str) -> None:
    html = (site / page).read_text(encoding="utf-8")
    twice = [ident for ident, count in Counter(ids(html)).items() if count > 1]
    assert twice == []
    # ...and every footnote link on the page goes to a note on the page.
    targets = re.findall(r'href="#(fn(?:ref)?:[^"]*)"', html)
    assert targets and set(targets) <= set(ids(html))


def test_a_heading_named_like_an_id_of_the_theme_gets_its_own(site: Path) -> None:
    """"## Main", "## Worksheets" or, in a guide's introduction, "## Introduction" took the id
    the theme gives the page's main content or section (twice on the page: invalid HTML, and
    Skip to the content went to the heading): they are numbered as a second heading is."""
    step = ids((site / "g/start.html").read_text(encoding="utf-8"))
    assert {"main", "main_1", "worksheets", "worksheets_1", "worksheets_2"} <= set(step)
    guide = ids((site / "g/index.html").read_text(encoding="utf-8"))
    assert {"introduction", "introduction_1"} <= set(guide)


def test_footnote_ids_name_the_text_they_belong_to(site: Path) -> None:
    worksheet = ids((site / "g/worksheets/notes.html").read_text(encoding="utf-8"))
    assert {"fn:notes-1", "fn:notes-what-1", "fn:notes-why-1"} <= set(worksheet)
    guide = ids((site / "g/index.html").read_text(encoding="utf-8"))
    assert {"fn:1", "fn:reading-1", "fn:reading-1-1"} <= set(guide)
    packet = ids((site / "g/worksheets/index.html").read_text(encoding="utf-8"))
    assert {"fn:notes-1", "fn:notes-why-1", "fn:more-1"} <= set(packet)


def test_the_pages_pass_the_html_checker(site: Path) -> None:
    run = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
                          "--stdout", *(str(site / page) for page in PAGES)],
                         capture_output=True, text=True, timeout=240)
    report = json.loads(run.stdout or run.stderr)
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}"
              for m in report["messages"]]
    assert errors == []


@pytest.mark.parametrize(("page", "near", "note"), [
    ("g/worksheets/notes.html", "Guess kindly", "The note on guessing."),
    ("g/worksheets/notes.html", "Only the facts", "The note on facts."),
    ("g/worksheets/index.html", "A second worksheet", "The note of the second worksheet."),
    ("g/index.html", "Some reading for later", "The reading list note."),
    ("g/index.html", "Start with", "The note of the guide."),
])
def test_a_click_on_a_footnote_goes_to_its_own_note(site: Path, page, near: str, note: str,
                                                    browser) -> None:
    tab = browser.new_page()
    try:
        tab.goto((site / page).as_uri())
        paragraph = tab.locator("p", has_text=near).first
        paragraph.locator("a.footnote-ref").click()
        target = tab.locator(":target")
        assert target.count() == 1
        assert note in target.inner_text()
        # ...and its back link returns to the very reference that was clicked.
        target.locator("a.footnote-backref").click()
        assert near in tab.locator(":target").evaluate("e => e.parentElement.textContent")
    finally:
        tab.close()


def test_lists_nested_by_two_or_three_spaces_are_nested(site: Path, browser) -> None:
    tab = browser.new_page()
    try:
        tab.goto((site / "g/start.html").as_uri())
        # The lists of the step's text (not its footnotes, contents or worksheet cards).
        outer = tab.evaluate("""() => [...document.querySelectorAll('.prose > ol, .prose > ul')]
            .filter(list => !list.matches('.cards'))
            .map(list => [...list.children].map(item => [
                item.firstChild.textContent.trim(),
                [...item.querySelectorAll(':scope > ol > li, :scope > ul > li')]
                    .map(sub => sub.textContent.trim())]))""")
        assert outer == [
            [["Breathe", ["In for four", "Out for six"]], ["Ask", []]],
            [["Notice", ["What you see", "What you hear"]], ["Name it", []]],
        ]
        assert tab.locator("p", has_text="Try this:").inner_text() == "Try this:"
    finally:
        tab.close()


def test_file_names_with_spaces_and_accents_get_valid_addresses(site: Path, browser) -> None:
    html = (site / "g/start.html").read_text(encoding="utf-8")
    assert 'src="my%20photo.png"' in html
    assert 'href="%C3%9Cbersicht%202.pdf"' in html
    assert (site / "g/my photo.png").is_file() and (site / "g/Übersicht 2.pdf").is_file()
    tab = browser.new_page()
    try:
        tab.goto((site / "g/start.html").as_uri())  # from disk
        image = tab.locator("img[alt='A photo of the sea']")
        assert image.evaluate("img => img.complete && img.naturalWidth") == 3
    finally:
        tab.close()
    with serve_directory(site) as url:  # and from a web server
        link = url + "/g/" + re.search(r'href="(%C3[^"]*)"', html).group(1)
        with urllib.request.urlopen(link) as response:
            assert response.read() == b"%PDF-1.4\n%%EOF\n"


def test_web_addresses_with_spaces_and_brackets_get_valid_addresses(site: Path) -> None:
    """A space, | [ ] { } or a lone % in a web or email address, in a text or a reading's
    url, is percent-encoded as a browser would when following it (the page's HTML stays
    valid: test_the_pages_pass_the_html_checker); the host and letters stay as written."""
    step = (site / "g/start.html").read_text(encoding="utf-8")
    assert ('href="https://example.org/a%20page?q=a%20b%7Cc#part%20two"' in step)
    assert 'href="https://example.org/100%25%20sure"' in step
    assert 'href="mailto:me@example.org?subject=Hi%20there"' in step
    guide = (site / "g/index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/find?ids%5B%5D=3&amp;q=%7Ba%7D%7Cb"' in guide


def write_with_step(root: Path, files: dict[str, str]) -> Path:
    """Write FILES with another step 1 (without the worksheet that links into the old one)
    into root/content; return it."""
    files = {rel: text for rel, text in files.items() if rel != "g/worksheets/notes.md"}
    content = root / "content"
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    return content


def test_a_coachs_html_comments_are_on_no_page_and_in_no_search(tmp_path) -> None:
    """<!-- ... --> in a text is a note for the coach: Markdown passes it through as HTML,
    so a reader would find it in the page's source and the search index would hold it."""
    files = {**FILES, "g/1-start.md": "---\ntitle: Start here\n---\n"
             "<!-- private: about my client Anna -->\n\n"
             "Breathe <!-- ask Anna about sleep --> slowly.\n\n"
             "<!--\nA longer note,\nover lines.\n-->\n\n"
             "In code it is text: `<!-- shown -->`.\n"}
    content = write_with_step(tmp_path, files)
    build(make_config(tmp_path, content))
    site = tmp_path / "site"
    page = (site / "g" / "start.html").read_text(encoding="utf-8")
    assert "<p>Breathe  slowly.</p>" in page
    assert "<code>&lt;!-- shown --&gt;</code>" in page
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "Anna" not in text and "longer note" not in text, path


def test_fenced_code_is_code_as_the_checks_read_it(tmp_path) -> None:
    """``` and ~~~ fences are code blocks (Python-Markdown's fenced_code), as the raw-HTML and
    heading checks have always read them: what is inside is shown, never run or parsed."""
    files = {**FILES, "g/1-start.md": "---\ntitle: Start here\n---\n"
             "Try this:\n\n```python\nprint('<b>hi</b>')\n# not a heading\n```\n\n"
             "~~~\n<script>alert(1)</script>\n<meta http-equiv=\"refresh\" content=\"0\">\n~~~\n"}
    content = write_with_step(tmp_path, files)
    result = build(make_config(tmp_path, content))
    assert result.warnings == []
    page = (tmp_path / "site" / "g" / "start.html").read_text(encoding="utf-8")
    assert ('<pre><code class="language-python">print(\'&lt;b&gt;hi&lt;/b&gt;\')\n'
            "# not a heading\n</code></pre>") in page
    assert ("<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;meta http-equiv=&quot;"
            "refresh&quot; content=&quot;0&quot;&gt;\n</code></pre>") in page
    assert "<script>alert" not in page and "```" not in page
