"""The coach's edition: notes (`!!! coach`) shown, marked, only where the coach builds them.

Every place a coach may write a note gets one with a unique word; the reader's site, built
with PDFs, is then searched for those words in every byte of every file (and in the text of
every PDF, whose streams are compressed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidebook.cli import main

from .conftest import CONTENT, GUIDE, TEMPLATES

# Where a coach may write a note -> (file, text to put the note after, the note).
NOTES = {
    "guide": ("guide.md", None, '!!! coach "Before the first session"\n'
              "    ZEBRAGUIDE ask how long they have been together.\n"),
    "step": ("1-rethink-the-rejection.md", None, "!!! coach\n"
             "    ZEBRASTEP this step takes about twenty minutes.\n"),
    "intro": ("worksheets/facts-and-stories.md", "## What happened, and what I made it mean",
              '!!! coach "Timing"\n    ZEBRAINTRO allow fifteen minutes.\n\n'),
    "help": ("worksheets/facts-and-stories.md", "## How personal was it, really?",
             None),
}
WORDS = ("ZEBRAGUIDE", "ZEBRASTEP", "ZEBRAINTRO", "ZEBRAHELP", "ZEBRAREAD",
         "Before the first session")


def add_notes(content: Path) -> None:
    """Write a coach's note into the guide, a step, a worksheet's introduction and a help."""
    guide = content / GUIDE
    for name in ("guide.md", "1-rethink-the-rejection.md"):
        path = guide / name
        note = next(n for f, _, n in NOTES.values() if f == name)
        path.write_text(path.read_text(encoding="utf-8") + "\n" + note, encoding="utf-8")
    sheet = guide / "worksheets" / "facts-and-stories.md"
    text = sheet.read_text(encoding="utf-8")
    heading = NOTES["intro"][1]
    text = text.replace(heading, NOTES["intro"][2] + heading, 1)
    help_line = "Now that you have separated facts from stories, rate it again."
    assert help_line in text
    text = text.replace(help_line, help_line + '\n\n!!! coach "Example answer"\n'
                        "    ZEBRAHELP a four: it was mostly about his day.\n", 1)
    sheet.write_text(text, encoding="utf-8")
    # A reading list's note is Markdown too.
    reading = guide / "reading.md"
    text = reading.read_text(encoding="utf-8")
    note = "    note: A case for speaking up about what you want"
    assert note in text
    text = text.replace(note, "    note: |\n      !!! coach\n          ZEBRAREAD suggest it after "
                        "session two.\n\n      A case for speaking up about what you want", 1)
    reading.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    """Build the guide with notes twice, with PDFs: the reader's site and the coach's edition
    (from the project folder, by the default output names)."""
    project = tmp_path_factory.mktemp("coach")
    shutil.copytree(CONTENT, project / "content")
    add_notes(project / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")
        for extra in ([], ["--edition", "coach"]):
            assert main(["build", "--pdf", "--templates", str(TEMPLATES), *extra]) == 0
    return project


def test_the_readers_site_holds_no_byte_of_any_note(editions):
    site = editions / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 30 and any(p.suffix == ".pdf" for p in files)
    for path in files:
        data = path.read_bytes()
        texts = [data.decode("utf-8", "replace")]
        if path.suffix == ".pdf":
            texts.append(" ".join(page.extract_text() for page in PdfReader(path).pages))
        for text in texts:
            found = [word for word in WORDS if word in text]
            assert found == [], (path.relative_to(site), found)
            assert "admonition coach" not in text and "For the coach" not in text, path
    # The cache beside both sites holds the coach's edition too: it is not part of a site.
    assert not (site / ".cache").exists()


def test_the_coachs_edition_shows_every_note_on_its_pages(editions):
    site = editions / "site-coach"
    pages = {
        "guide": f"{GUIDE}/index.html",
        "step": f"{GUIDE}/rethink-the-rejection.html",
        "intro": f"{GUIDE}/worksheets/facts-and-stories.html",
        "help": f"{GUIDE}/worksheets/facts-and-stories.html",
    }
    words = dict(zip(NOTES, WORDS, strict=False))
    for where, page in pages.items():
        html = (site / page).read_text(encoding="utf-8")
        assert words[where] in html, where
        assert '<div class="admonition coach">' in html
        assert 'href="../assets/css/coach.css"' in html or "assets/css/coach.css" in html
        assert "Coach’s edition" in html
    assert "ZEBRAREAD" in (site / pages["guide"]).read_text(encoding="utf-8")
    packet = (site / GUIDE / "worksheets" / "index.html").read_text(encoding="utf-8")
    assert "ZEBRAINTRO" in packet and "ZEBRAHELP" in packet
    # The title Python-Markdown makes up for a note without one is left out; given ones stay.
    step = (site / pages["step"]).read_text(encoding="utf-8")
    assert '<p class="admonition-title">Coach</p>' not in step
    assert '<p class="admonition-title">Timing</p>' in (site / pages["intro"]).read_text()
    for paper in ("a4", "letter"):
        for name in (f"facts-and-stories-{paper}.pdf",
                     f"managing-rejection-worksheets-{paper}.pdf"):
            reader = PdfReader(site / GUIDE / "worksheets" / name)
            text = " ".join(page.extract_text() for page in reader.pages)
            assert "ZEBRAINTRO" in text and "ZEBRAHELP" in text, name
            assert "FOR THE COACH" in text.upper(), name


@pytest.mark.browser
def test_a_note_is_marked_on_screen_and_on_paper(browser, editions, tmp_path):
    page = browser.new_page()
    try:
        page.goto((editions / "site-coach" / GUIDE / "worksheets" /
                   "facts-and-stories.html").as_uri())
        note = page.locator(".admonition.coach", has_text="ZEBRAINTRO")
        assert note.is_visible()
        # The label is the page's text (its language's words), first in the note.
        label = note.locator(":scope > p.coach-label:first-child")
        assert label.inner_text() == "FOR THE COACH" and label.is_visible()
        assert label.text_content() == "For the coach"
        assert page.locator(".coach-edition").is_visible()
        page.pdf(path=str(tmp_path / "print.pdf"), prefer_css_page_size=True)
        text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "print.pdf").pages)
        assert "ZEBRAINTRO" in text and "ZEBRAHELP" in text
        assert "FOR THE COACH" in text.upper() and "Coach’s edition" in text
    finally:
        page.close()


# The boxes of the banner's lines of words, of Exit this page and of the header's title.
BANNER_BOXES = """() => {
  const box = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const words = document.createRange();
  words.selectNodeContents(document.querySelector('.coach-edition'));
  return {lines: [...words.getClientRects()].map(box),
          exit: box(document.querySelector('.exit-page').getBoundingClientRect()),
          title: box(document.querySelector('.site-title').getBoundingClientRect()),
          width: document.documentElement.scrollWidth};
}"""


def overlap(a: dict, b: dict) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"]
            and b["top"] < a["bottom"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 768])
def test_the_banner_leaves_exit_this_page_room(browser, editions, width):
    site = editions / "site-coach"
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for rel in ("index.html", f"{GUIDE}/index.html",
                    f"{GUIDE}/worksheets/facts-and-stories.html"):
            page.goto((site / rel).as_uri())
            boxes = page.evaluate(BANNER_BOXES)
            assert boxes["lines"] and boxes["exit"]["right"] <= width, (rel, boxes)
            assert [line for line in boxes["lines"] if overlap(line, boxes["exit"])] == [], rel
            assert not overlap(boxes["title"], boxes["exit"]), (rel, boxes)
            assert boxes["width"] == width, rel
    finally:
        context.close()


def test_check_reports_a_note_neither_edition_can_show(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    step = content / GUIDE / "2-decide-what-is-true-for-you.md"
    text = step.read_text(encoding="utf-8")
    lines = text.split("\n")
    summary = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[summary] = 'summary: "!!! coach remember to ask about work"'
    lines += ["", "Some text.", "", "    !!! coach", "        indented too far", ""]
    step.write_text("\n".join(lines), encoding="utf-8")
    code = main(["check", "--content", str(content), "--templates", str(TEMPLATES)])
    err = capsys.readouterr().err
    rel = f"{content.relative_to(Path.cwd()) if content.is_relative_to(Path.cwd()) else content}"
    assert code == 1
    assert (f"{rel}/{GUIDE}/2-decide-what-is-true-for-you.md:{summary + 1}:1: a coach's note "
            "in the front matter: its fields are plain text, so readers would see it") in err
    assert ("hint: move the note into the text below the front matter: !!! coach on a line "
            "of its own, its text indented by 4 spaces") in err
    assert (f"2-decide-what-is-true-for-you.md:{len(lines) - 2}:5: this coach's note is "
            "indented by 4 spaces or more, which makes it a code example: readers would see "
            "it as text") in err
    assert "hint: remove the spaces before !!! coach" in err
    assert err.count("coach's note") == 2


def test_the_coachs_edition_never_replaces_the_readers_site_unasked(tmp_path, capsys,
                                                                    monkeypatch):
    """--edition coach --output site replaced the reader's site with the notes, without a
    word, in the folder a coach publishes. Now it stops and leaves site/ as it was; into
    site-coach/, or with --force, it builds; a reader's build replaces the coach's freely."""
    shutil.copytree(CONTENT, tmp_path / "content")
    add_notes(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    build = ["build", "--templates", str(TEMPLATES)]
    assert main(build) == 0
    before = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    capsys.readouterr()
    assert main([*build, "--edition", "coach", "--output", "site"]) == 1
    assert capsys.readouterr().err == (
        "site/: this folder holds the reader's site: building the coach's edition here would "
        "put your notes in the folder you publish\n"
        "    hint: leave --output out to build it into site-coach/, or pass --force to replace "
        "the reader's site anyway\n1 error.\nNothing was written; site/ is as it was.\n")
    after = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert after == before
    assert main([*build, "--edition", "coach"]) == 0  # site-coach/
    assert main([*build, "--edition", "coach", "--output", "site", "--force"]) == 0
    assert b"ZEBRA" in (tmp_path / "site" / GUIDE / "rethink-the-rejection.html").read_bytes()
    assert main([*build, "--edition", "coach", "--output", "site"]) == 0  # the coach's now
    assert main(build) == 0
    assert b"ZEBRA" not in (tmp_path / "site" / GUIDE / "rethink-the-rejection.html").read_bytes()
