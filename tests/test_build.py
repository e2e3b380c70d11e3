"""The build of the real guide: model, pages, links, self-containment, determinism, atomicity."""

from __future__ import annotations

import posixpath
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from guidebook.build import build, check
from guidebook.errors import ContentError

from .conftest import BUILD_COMMAND, ROOT, make_config
from .test_languages import guide_files, make_site

EXPECTED_PAGES = {
    "index.html",
    "404.html",
    "search.html",
    "safety.html",
    "managing-rejection/index.html",
    "managing-rejection/rethink-the-rejection.html",
    "managing-rejection/decide-what-is-true-for-you.html",
    "managing-rejection/learn-from-what-happened.html",
    "managing-rejection/worksheets/index.html",
    "managing-rejection/worksheets/facts-and-stories.html",
    "managing-rejection/worksheets/what-is-true-for-me.html",
    "managing-rejection/worksheets/learning-from-it.html",
    "managing-rejection/my-answers.html",
}


class PageParser(HTMLParser):
    """Collect ids, links and resource references of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.h1 = 0
        self.tags: list[str] = []
        self.lang = ""
        self.in_footer = 0
        self.footer_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "footer":
            self.in_footer += 1
        for attribute in ("href", "src", "action", "poster", "data"):
            if attribute in values:
                self.links.append((tag, attribute, values[attribute]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer":
            self.in_footer -= 1

    def handle_data(self, data: str) -> None:
        if self.in_footer:
            self.footer_text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_content_loads_into_the_model():
    site, _, problems = check(make_config(Path("/nonexistent")))
    assert problems.errors == []
    assert site.settings.title == "Guidebook"
    (guide,) = site.guides
    assert guide.slug == "managing-rejection"
    assert [s.number for s in guide.steps] == [1, 2, 3]
    assert [s.title for s in guide.steps] == [
        "Re-think the rejection", "Decide what is true for you", "Learn from what happened"]
    for step in guide.steps:
        assert guide.worksheets_for(step), f"step {step.number} has no worksheet"
        assert step.words > 300
    assert [a.name for a in guide.authors] == ["Susie and Otto Collins"]
    assert guide.source_article is not None
    assert guide.source_article.title.startswith("3 Ways To Manage Rejection")
    assert "joinonelove.org" in guide.safety_note_html
    kinds = {p.field.kind for w in guide.worksheets for p in w.prompts}
    assert kinds == {"lines", "short", "checklist", "scale", "table"}


def test_every_expected_page_is_written(built_site):
    pages = {p.relative_to(built_site).as_posix() for p in html_pages(built_site)}
    assert pages == EXPECTED_PAGES
    assert (built_site / "assets/css/site.css").is_file()
    assert (built_site / "assets/favicon.svg").is_file()


def test_every_internal_link_and_anchor_resolves(built_site):
    assert broken_links(built_site) == []


def broken_links(built_site: Path) -> list[str]:
    """Every relative link or resource of the built site's pages that is not a file, or
    whose #anchor is not an id of its page, as "page: what"."""
    parsed = {p.relative_to(built_site).as_posix(): parse(p) for p in html_pages(built_site)}
    broken = []
    for page, parser in parsed.items():
        for tag, attribute, url in parser.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            if url.startswith("/"):
                broken.append(f"{page}: {url} is not relative")
                continue
            if page == "404.html" and re.fullmatch(r"(\.\./){1,3}assets/js/lost\.js", url):
                continue  # where the site is when a host shows the page deeper (lost.js)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page),
                                                       unquote(parts.path))) if parts.path else page
            if parts.path.endswith("/") or (parts.path and not (built_site / target).is_file()):
                broken.append(f"{page}: {tag}[{attribute}]={url} -> {target} is not a file")
                continue
            if parts.fragment:
                ids = parsed[target].ids if target in parsed else set()
                if parts.fragment not in ids:
                    broken.append(f"{page}: {url} -> #{parts.fragment} is not an id on {target}")
    return broken


# Links written in every place a coach's Markdown is converted besides step bodies, each with
# a text of its own to find it by on the built pages: (file, text before, text after).
LINKED_PLACES = (
    ("managing-rejection/worksheets/facts-and-stories.md", "Pick one recent moment",
     "Go [back to the guide's steps](../guide.md#steps). Pick one recent moment"),
    ("managing-rejection/worksheets/facts-and-stories.md", "Think of work, health",
     "Compare [the table above](#what-happened) and [the second step]"
     "(../2-decide-what-is-true-for-you.md). Think of work, health"),
    ("managing-rejection/guide.md", "safety_note: |\n",
     "safety_note: |\n  Start [with step one](1-rethink-the-rejection.md#main), or [read]"
     "(#reading).[^s]\n\n"
     "  [^s]: Its footnote's links are checked too.\n"),
    ("site.yaml", "description:",
     "footer: 'Read [the guide](managing-rejection/guide.md) and [its worksheets]"
     "(managing-rejection/worksheets/learning-from-it.md#main).[^f]\n\n  [^f]: A note.'"
     "\ndescription:"),
)


def test_links_outside_step_bodies_resolve_from_the_pages_they_end_up_on(tmp_path,
                                                                          content_copy):
    """Worksheet introductions and help (on the worksheet's page and the packet, a folder
    deeper than the guide), the guide's safety note (on the guide and every step page) and
    site.yaml's footer (on every page, at every depth) link to files that exist."""
    for rel, before, after in LINKED_PLACES:
        path = content_copy / rel
        text = path.read_text(encoding="utf-8")
        assert before in text, rel
        path.write_text(text.replace(before, after, 1), encoding="utf-8")
    build(make_config(tmp_path, content_copy))
    site = tmp_path / "site"
    assert broken_links(site) == []
    worksheet = (site / "managing-rejection/worksheets/facts-and-stories.html").read_text()
    packet = (site / "managing-rejection/worksheets/index.html").read_text()
    for html in (worksheet, packet):
        assert '<a href="../index.html#steps">back to the guide' in html
        assert '<a href="../decide-what-is-true-for-you.html">the second step</a>' in html
    assert '<a href="#what-happened">the table above</a>' in worksheet
    # The packet's prompts have no ids: the link leads to the worksheet's own page.
    assert '<a href="facts-and-stories.html#what-happened">the table above</a>' in packet
    step = (site / "managing-rejection/rethink-the-rejection.html").read_text()
    assert '<a href="rethink-the-rejection.html#main">with step one</a>' in step
    # The note is written for the guide page: on a step page its #anchor leads there.
    assert '<a href="index.html#reading">read</a>' in step
    guide = (site / "managing-rejection/index.html").read_text()
    assert '<a href="#reading">read</a>' in guide
    footers = {page: (site / page).read_text() for page in (
        "index.html", "managing-rejection/index.html",
        "managing-rejection/worksheets/facts-and-stories.html")}
    for page, html in footers.items():
        up = "../" * page.count("/")
        assert (f'<a href="{up}managing-rejection/index.html">the guide</a> and <a href="{up}'
                'managing-rejection/worksheets/learning-from-it.html#main">its worksheets</a>'
                in html), page


def test_nothing_is_loaded_from_another_host(built_site):
    outside = []
    for path in html_pages(built_site):
        for tag, attribute, url in parse(path).links:
            parts = urlsplit(url)
            if not (parts.scheme or parts.netloc):
                continue
            if tag == "a" and attribute == "href" and parts.scheme in ("http", "https", "mailto"):
                continue  # outbound links the reader chooses to follow
            outside.append(f"{path.name}: <{tag} {attribute}={url}>")
    for path in built_site.rglob("*.css"):
        outside += [f"{path.name}: {u}" for u in re.findall(r"url\(\s*['\"]?(\w+:)?//[^)]*\)",
                                                              path.read_text())]
    assert outside == []


def test_pages_are_semantic_and_credited(built_site):
    for path in html_pages(built_site):
        parser = parse(path)
        rel = path.relative_to(built_site).as_posix()
        assert parser.h1 == 1, f"{rel} has {parser.h1} h1 elements"
        assert parser.lang == "en", rel
        for tag in ("header", "nav", "main", "footer"):
            assert tag in parser.tags, f"{rel} has no <{tag}>"
        assert '<a class="skip-link" href="#main"' in path.read_text(), rel
        if rel.startswith("managing-rejection/"):
            footer = " ".join(" ".join(parser.footer_text).split())
            assert "Susie and Otto Collins" in footer, f"{rel} has no credit in its footer"


def test_guide_page_has_steps_in_order_worksheets_and_reading(built_site):
    html = (built_site / "managing-rejection/index.html").read_text()
    positions = [html.index(t) for t in (
        "Re-think the rejection", "Decide what is true for you", "Learn from what happened")]
    assert positions == sorted(positions)
    pushy = "https://www.yourtango.com/love/why-being-pushy-relationship-actually-good-thing"
    assert f'href="{pushy}"' in html
    assert "<cite>7 Tools To Help You Stop Comparing Yourself To Others</cite>" in html
    assert 'href="https://www.joinonelove.org/"' in html
    assert 'href="https://www.collinspartners.com/"' in html


def test_step_pages_link_previous_and_next(built_site):
    step2 = (built_site / "managing-rejection/decide-what-is-true-for-you.html").read_text()
    assert 'href="rethink-the-rejection.html" rel="prev"' in step2
    assert 'href="learn-from-what-happened.html" rel="next"' in step2
    assert "Step 2 of 3" in step2


def test_every_page_is_reachable_from_the_home_page(built_site):
    seen, queue = set(), ["index.html"]
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        for _, attribute, url in parse(built_site / page).links:
            parts = urlsplit(url)
            if attribute != "href" or parts.scheme or parts.netloc or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
            if target.endswith(".html"):
                queue.append(target)
    assert EXPECTED_PAGES - {"404.html"} <= seen


def test_two_builds_are_byte_identical(tmp_path):
    first = build(make_config(tmp_path / "a"))
    second = build(make_config(tmp_path / "b"))
    assert first.pages == second.pages == len(EXPECTED_PAGES)
    files_a = {p.relative_to(tmp_path / "a/site"): p.read_bytes()
               for p in (tmp_path / "a/site").rglob("*") if p.is_file()}
    files_b = {p.relative_to(tmp_path / "b/site"): p.read_bytes()
               for p in (tmp_path / "b/site").rglob("*") if p.is_file()}
    assert files_a == files_b


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failing_build_leaves_the_previous_site_as_it_was(tmp_path, content_copy):
    config = make_config(tmp_path, content_copy)
    build(config)
    before = snapshot(config.output)
    step = content_copy / "managing-rejection/1-rethink-the-rejection.md"
    step.write_text(step.read_text().replace("title:", "titel:", 1))
    with pytest.raises(ContentError) as error:
        build(config)
    assert 'unknown field "titel". Did you mean "title"?' in str(error.value)
    assert snapshot(config.output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] in (
        [], [".site.lock"])


def test_command_line_prints_one_summary_line_and_exit_code(tmp_path, content_copy):
    command = [*BUILD_COMMAND, "--content", str(content_copy),
               "--templates", str(ROOT / "templates"), "--output", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"Built 13 pages \(\d+ files, \d+ changed\) into .*out/ in "
                        r"\d+\.\d\d s\.\n", done.stdout)
    (content_copy / "site.yaml").write_text("title: [unclosed\n")
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert re.match(r".*site\.yaml:\d+(:\d+)?: ", done.stderr)


def test_files_and_folders_named_with_an_underscore_are_the_coachs_own(tmp_path):
    """README: `_notes.md` beside the steps and a `_drafts/` folder are left out of the site,
    without a word; a `notes.md` is a mistake, whose hint says so."""
    files = {**guide_files("en"), "g/_notes.md": "Call Anna on Monday.\n",
             "_drafts/d/guide.md": "---\ntitle: Draft\n---\nnot yet\n"}
    content = make_site(tmp_path, files)
    result = build(make_config(tmp_path, content))
    assert result.warnings == []
    site = tmp_path / "site"
    assert not (site / "_drafts").exists() and not (site / "d").exists()
    assert not any("Anna" in p.read_text("utf-8", "replace") for p in site.rglob("*")
                   if p.is_file())
    (content / "g" / "notes.md").write_text("Call Anna.\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    assert error.value.problems[0].hint.endswith(
        "; notes of your own: name it _notes.md, and builds leave it out")


def test_a_checklist_item_with_a_no_break_space_in_its_box_is_an_item(tmp_path):
    """"- [<no-break space>] Relieved" (pasted from a word processor) looks like the other
    items and is one: a box on the page, not "text after the field"."""
    worksheet = ("## How do you feel? {#feel}\n\n[checklist]\n- [ ] Sad\n"
                 "- [\u00a0] Relieved\n-\u00a0[x]\u00a0Calm\n")
    content = make_site(tmp_path, guide_files("en", worksheet=worksheet))
    build(make_config(tmp_path, content))
    page = (tmp_path / "site" / "g" / "worksheets" / "w.html").read_text(encoding="utf-8")
    labels = re.findall(r'<input type="checkbox"[^>]*>\s*([^<]*?)\s*<', page)
    assert labels == ["Sad", "Relieved", "Calm"]


def test_a_byte_order_mark_inside_a_file_is_dropped_like_the_first(tmp_path):
    """Two byte order marks at the start (a mark saved twice), and one before a prompt's
    heading (two files joined into one): "no front matter" and "the field comes before any
    prompt" on lines that looked right. Each mark is dropped, as the first one is."""
    files = guide_files("en", worksheet="## How do you feel? {#feel}\n\n[lines: 2]\n")
    worksheet = files.pop("g/worksheets/w.md")
    content = make_site(tmp_path, files)
    (content / "g" / "worksheets").mkdir()
    (content / "g" / "worksheets" / "w.md").write_bytes(
        b"\xef\xbb\xbf\xef\xbb\xbf" + worksheet.replace("## How", "\ufeff## How").encode())
    (content / "g" / "1-one.md").write_bytes(
        b"\xef\xbb\xbf---\r\ntitle: One\r\n---\r\nText.\r\n\xef\xbb\xbf## Joined\r\nMore.\r\n")
    build(make_config(tmp_path, content))
    page = (tmp_path / "site" / "g" / "worksheets" / "w.html").read_text(encoding="utf-8")
    assert re.search(r'<label for="f-feel">How do you feel\?</label>', page)
    step = (tmp_path / "site" / "g" / "one.html").read_text(encoding="utf-8")
    assert '<h2 id="joined">Joined</h2>' in step and "\ufeff" not in step + page


def test_a_field_marker_with_spaces_inside_its_brackets_is_a_marker(tmp_path):
    """"[ lines: 4 ]" was '"[ lines: 4 ]" is not a field marker: it needs a colon after
    "lines"', which it has; "[lines: 4 ]" was a marker already. Both sides may have spaces."""
    worksheet = "## What happened? {#what}\n\n[ lines: 4 ]\n\n## One word {#word}\n\n[  short ]\n"
    content = make_site(tmp_path, guide_files("en", worksheet=worksheet))
    build(make_config(tmp_path, content))
    page = (tmp_path / "site" / "g" / "worksheets" / "w.html").read_text(encoding="utf-8")
    assert re.search(r'<textarea id="f-what" name="what" rows="4"', page)
    assert re.search(r'<input type="text" id="f-word" name="word"', page)


FOLDER_ONLY = ("every page's address is made by adding its own path to it, so it must be "
               "the address of the site's folder")


@pytest.mark.parametrize(("base_url", "message", "hint"), [
    ("https://example.org/guides/?lang=en", f"base_url has a query (?...): {FOLDER_ONLY}",
     "write it as  base_url: https://example.org/guides/"),
    ("https://example.org/guides#top", f"base_url has a #fragment: {FOLDER_ONLY}",
     "write it as  base_url: https://example.org/guides/"),
    ("mailto:me@example.org", 'base_url "mailto:me@example.org" is not the address of a web site',
     "write the address the site will have online, such as https://example.org/guides/ (or "
     "leave base_url out)"),
])
def test_a_base_url_that_is_no_folder_of_a_web_site_is_an_error(tmp_path, base_url, message,
                                                                   hint):
    """Pages' addresses are base_url and their path: these made ".../?lang=en/g/one.html"."""
    content = make_site(tmp_path, guide_files("en"), f"title: T\nbase_url: {base_url}\n")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    [problem] = error.value.problems
    assert (problem.line, problem.message, problem.hint) == (2, message, hint)
