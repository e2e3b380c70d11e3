"""A coach's own guide (tests/coach-site): their colour, logo, styles and words, nothing else.

The second guide was written as a coach would, from the README alone: its own words, no
`source`, no safety note, an accent colour, a logo, a custom.css and "Made with" turned off.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from guidebook.build import build, minify_asset
from guidebook.cli import main
from guidebook.theme import contrast

from .conftest import ROOT, TEMPLATES, make_config, serve_directory

COACH = ROOT / "tests" / "coach-site" / "content"
# Wording of the first guide (and of the theme as it was) that must never reach a coach's.
FIRST_GUIDE_WORDS = ["rejection", "Rejection", "retells", "our own words", "after the ideas",
                     "Collins", "YourTango", "If this is not about", "Made with Guidebook"]


@pytest.fixture(scope="module")
def coach_site(tmp_path_factory) -> Path:
    """The coach's site, built once."""
    out = tmp_path_factory.mktemp("coach")
    result = build(make_config(out, COACH))
    assert result.warnings == []
    return out / "site"


@pytest.fixture
def coach_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the coach's content in the current folder, as a coach runs the commands."""
    shutil.copytree(COACH, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_coachs_pages_hold_none_of_the_first_guides_wording(coach_site):
    files = [*pages(coach_site), coach_site / "assets" / "search-index.js"]
    assert len(files) == 11  # its 10 pages (My answers among them) and the search index
    found = [f"{path.relative_to(coach_site)}: {word}" for path in files
             for word in FIRST_GUIDE_WORDS if word in path.read_text(encoding="utf-8")]
    assert found == []


def test_the_theme_holds_no_guides_wording():
    found = [f"{path.relative_to(TEMPLATES)}: {word}" for path in sorted(TEMPLATES.rglob("*"))
             if path.is_file() and path.suffix in (".html", ".js", ".svg")
             for word in ("rejection", "Rejection", "partner")
             if word in path.read_text(encoding="utf-8")]
    assert found == []


def test_credits_say_written_by_without_a_source_and_retell_only_with_one(coach_site,
                                                                         built_site):
    guide = (coach_site / "handling-criticism" / "index.html").read_text(encoding="utf-8")
    assert "<p>Written by Maria Keller, Couples coach.</p>" in guide
    sheet = (coach_site / "handling-criticism/worksheets/what-i-heard.html").read_text("utf-8")
    assert ("“What I heard” is a worksheet from “Handling criticism from your partner without "
            "getting defensive”, by Maria Keller.") in sheet
    home = (coach_site / "index.html").read_text(encoding="utf-8")
    assert "· by Maria Keller</p>" in home
    first = (built_site / "managing-rejection" / "index.html").read_text(encoding="utf-8")
    assert "This guide retells, in our own words, the ideas of" in first
    assert "Written by" not in first


def test_the_safety_note_heading_comes_from_the_guide(coach_copy, tmp_path, built_site):
    first = (built_site / "managing-rejection" / "index.html").read_text(encoding="utf-8")
    assert 'class="safety-title">If this is not about rejection</h2>' in first
    guide = coach_copy / "handling-criticism" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("---\nWhen", "safety_note: If you feel unsafe at home, "
                                  "call someone you trust.\n---\nWhen"), encoding="utf-8")
    build(make_config(tmp_path, coach_copy))
    page = (tmp_path / "site" / "handling-criticism" / "index.html").read_text("utf-8")
    assert 'class="safety-title">Before you start</h2>' in page
    step = (tmp_path / "site/handling-criticism/pause-before-you-answer.html").read_text("utf-8")
    assert 'aria-label="Before you start"' in step
    guide.write_text(text.replace("---\nWhen", "safety_title: When it's more than words\n"
                                  "safety_note: Call someone you trust.\n---\nWhen"), "utf-8")
    build(make_config(tmp_path, coach_copy))
    page = (tmp_path / "site" / "handling-criticism" / "index.html").read_text("utf-8")
    assert 'class="safety-title">When it’s more than words</h2>' in page


def test_the_accent_colour_logo_and_custom_css_are_on_every_page(coach_site):
    accent = (coach_site / "assets" / "css" / "accent.css").read_text(encoding="utf-8")
    assert accent.startswith(":root{--accent:#7a3b69;")
    dark = re.search(r'\[data-theme="dark"\]\{--accent:(#[0-9a-f]{6})', accent).group(1)
    assert contrast(dark, "#16181b") >= 4.5 and contrast(dark, "#22262b") >= 4.5
    assert (coach_site / "assets" / "css" / "custom.css").read_bytes() == (
        b".button,.card{border-radius:14px}.site-title{letter-spacing:.01em}")
    assert (coach_site / "logo.svg").read_bytes() == (COACH / "logo.svg").read_bytes()
    for path in pages(coach_site):
        html = path.read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
        name = path.relative_to(coach_site)
        # Loaded last, after the theme's own styles, so the coach's rules win.
        assert [s.rsplit("/", 1)[1] for s in sheets[-2:]] == ["accent.css", "custom.css"], name
        assert len(sheets) >= 4, name
        assert re.search(r'<img class="logo" src="(\.\./)*logo\.svg" alt="">', html)
        assert "No tracking: nothing you type leaves your browser." in html


def test_the_readme_shows_a_branded_site():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Make it yours" in readme
    picture = re.search(r"!\[[^]]*\]\((docs/make-it-yours\.png)\)", readme).group(1)
    assert (ROOT / picture).stat().st_size > 50_000


def test_the_first_guide_keeps_the_theme_look(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "accent.css" not in html and "custom.css" not in html
    assert "Made with Guidebook. No tracking" in html
    assert not (built_site / "assets" / "css" / "accent.css").exists()


def test_a_pale_accent_colour_is_refused_with_its_line_and_a_passing_one(coach_copy, capsys):
    site = coach_copy / "site.yaml"
    site.write_text(site.read_text("utf-8").replace('"#7a3b69"', '"#f4c2d7"'), "utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "content/site.yaml:6:16: the accent colour #f4c2d7 has a contrast of only 1.36:1 on "
        "the light theme's background; links and buttons need at least 4.5:1 (WCAG AA)\n"
        '    6 | accent_color: "#f4c2d7"\n'
        "                       ^\n"
        '    hint: use a darker shade, e.g. "#8d6174" (4.50:1)\n'
        "1 error.\n")
    assert contrast("#8d6174", "#fdfcf9") >= 4.5


def test_a_dark_accent_colour_that_fails_on_the_dark_theme_is_refused(coach_copy, capsys):
    site = coach_copy / "site.yaml"
    site.write_text(site.read_text("utf-8").replace(
        'accent_color: "#7a3b69"', 'accent_color:\n  light: "#7a3b69"\n  dark: navy'), "utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/site.yaml:8:9: the accent colour navy has a contrast of "
                          "only 1.")
    assert "on the dark theme's background" in err and "use a lighter shade, e.g. \"#" in err
    suggested = re.search(r'e\.g\. "(#[0-9a-f]{6})"', err).group(1)
    assert contrast(suggested, "#22262b") >= 4.5


def test_an_accent_colour_read_as_a_yaml_comment_says_to_quote_it(coach_copy, capsys):
    site = coach_copy / "site.yaml"
    site.write_text(site.read_text("utf-8").replace('"#7a3b69"', "#7a3b69"), "utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        "content/site.yaml:6:1: the accent colour is read as a YAML comment, because it "
        "starts with #\n"
        "    6 | accent_color: #7a3b69\n"
        "        ^\n"
        '    hint: put it in quotes: accent_color: "#7a3b69"\n'
        "1 error.\n")


def test_an_override_that_replaces_nothing_is_warned_with_the_nearest_theme_file(coach_copy,
                                                                                 capsys):
    (coach_copy / "_templates" / "bse.html").write_text("{% extends 'base.html' %}\n")
    (coach_copy / "_templates" / "assets" / "site.css").write_text("body{color:red}\n")
    (coach_copy / "_templates" / "notes.txt").write_text("my notes\n")
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    # A template: the template it was meant to be. A stylesheet: that, or custom.css.
    assert err == (
        "content/_templates/assets/site.css: warning: this file replaces no theme file, so it "
        'is not used. Did you mean "assets/css/site.css"?\n'
        "    hint: rename it to content/_templates/assets/css/site.css to replace the theme's "
        "assets/css/site.css, or put your own styles in content/_templates/assets/css/"
        "custom.css, which every page loads after the theme's styles\n"
        "content/_templates/bse.html: warning: this file replaces no theme file, so it is not "
        'used. Did you mean "base.html"?\n'
        "    hint: rename it to content/_templates/base.html to replace the theme's base.html\n"
        "content/_templates/notes.txt: warning: this file replaces no theme file, so it is not "
        "used.\n"
        "    hint: give it the name of the theme file it should replace (the theme's files are "
        "in templates/), or remove it\n")
    assert out.endswith(" s: no errors, 3 warnings.\n")
    assert not Path("site/assets/site.css").exists()


def test_theme_files_are_replaced_one_by_one(coach_copy, capsys):
    mine = coach_copy / "_templates" / "assets" / "js" / "theme.js"
    mine.parent.mkdir()
    mine.write_text("document.documentElement.classList.add('js', 'mine');\n")
    (coach_copy / "_templates" / "_credits.html").write_text("<p>Thanks for reading.</p>\n")
    assert main(["build"]) == 0
    assert capsys.readouterr().err == ""
    site = Path("site")
    assert (site / "assets/js/theme.js").read_text() == (
        "document.documentElement.classList.add('js','mine');")
    # The theme's other files stay.
    theirs = minify_asset(TEMPLATES / "assets" / "js" / "site.js")
    assert (site / "assets/js/site.js").read_bytes() == theirs
    guide = (site / "handling-criticism/index.html").read_text(encoding="utf-8")
    assert "<p>Thanks for reading.</p>" in guide and "Written by" not in guide


def test_made_with_guidebook_can_be_turned_off(coach_site):
    for path in pages(coach_site):
        assert "Made with" not in path.read_text(encoding="utf-8")


def test_a_missing_logo_is_an_error_with_the_images_there(coach_copy, capsys):
    site = coach_copy / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("logo: logo.svg", "logo: logo.png"), "utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        'content/site.yaml:7:1: the logo "logo.png" is not a file in content/\n'
        "    7 | logo: logo.png\n"
        "        ^\n"
        "    hint: put the image next to site.yaml and write its name, e.g. logo: logo.svg "
        "(images there: logo.svg)\n"
        "1 error.\n")


def test_checklist_items_labels_and_titles_get_curly_quotes(coach_site):
    sheet = (coach_site / "handling-criticism/worksheets/what-i-heard.html").read_text("utf-8")
    assert 'name="first-feeling-here-we-go-again">“Here we go again”</label>' in sheet
    assert 'name="first-feeling-its-not-fair">It’s not fair</label>' in sheet
    text = re.sub(r"<[^>]*>", "", sheet.split("<main", 1)[1].split(">", 1)[1])
    assert "'" not in text and '"' not in text


MARKER_TYPOS = [
    ("[lines: 3]", "[lines 3]",
     '"[lines 3]" is not a field marker: it needs a colon after "lines"',
     "write it as  [lines: 3]"),
    ("[scale: 1-10 | Not yet | Ready to try]", "[scale 1-10 | Not yet | Ready to try]",
     '"[scale 1-10 | Not yet | Ready to try]" is not a field marker: it needs a colon after '
     '"scale"', "write it as  [scale: 1-10 | Not yet | Ready to try]"),
    ("[table: 3 rows]", "[table 3 rows]",
     '"[table 3 rows]" is not a field marker: it needs a colon after "table"',
     "write it as  [table: 3 rows]"),
    ("[scale: 1-10 | Not yet | Ready to try]", "[scale: 1 to 10]",
     "a scale's range is written with a hyphen, not \"1 to 10\"",
     "write it as  [scale: 1-10]"),
    ("[lines: 3]", "[Lines = 3]",
     '"[Lines = 3]" is not a field marker: it needs a colon after "Lines"',
     "write it as  [lines: 3]"),
]


@pytest.mark.parametrize(("right", "typo", "message", "hint"), MARKER_TYPOS,
                         ids=[typo for _, typo, _, _ in MARKER_TYPOS])
def test_a_marker_typo_is_an_error_on_its_own_line(coach_copy, capsys, right, typo, message,
                                                   hint):
    sheet = coach_copy / "handling-criticism" / "worksheets" / "what-i-heard.md"
    text = sheet.read_text(encoding="utf-8")
    assert text.count(right) == 1
    line = text.split(right)[0].count("\n") + 1
    sheet.write_text(text.replace(right, typo), encoding="utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        f"content/handling-criticism/worksheets/what-i-heard.md:{line}:1: {message}\n"
        f"    {line} | {typo}\n"
        f"         ^\n"
        f"    hint: {hint}\n"
        "1 error.\n")


# In a real browser: the coach's site on phones, the accent colour, the header on a desktop.

SHEET = "handling-criticism/worksheets/what-i-heard.html"
GEOMETRY = """() => {
  const box = (el) => el.getBoundingClientRect();
  const points = [...document.querySelectorAll('.scale-points label')].map(box);
  const ends = [...document.querySelectorAll('.scale-ends span')].map(box);
  const crumbs = [...document.querySelectorAll('.breadcrumbs li')]
    .filter((li) => li.getClientRects().length).map(box);
  const wrap = document.querySelector('.table-wrap');
  const cells = [...document.querySelectorAll('.fill-table th')].map(box);
  return {
    width: document.documentElement.scrollWidth,
    prompt: box(document.querySelector('.prompt h2')),
    first: points[0], last: points[points.length - 1],
    pointTops: [...new Set(points.map((p) => Math.round(p.top)))].length,
    low: ends[0], high: ends[1],
    crumbLines: [...new Set(crumbs.map((c) => Math.round(c.top)))].length,
    crumbHeight: box(document.querySelector('.breadcrumbs ol')).height,
    crumbLine: parseFloat(getComputedStyle(document.querySelector('.breadcrumbs a')).lineHeight),
    table: {scroll: wrap.scrollWidth, client: wrap.clientWidth, right: box(wrap).right},
    columns: cells.map((c) => [c.left, c.right]),
  };
}"""


def open_page(browser, url: str, width: int, height: int, media: str = "screen"):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.emulate_media(media=media)
    page.goto(url)
    return context, page


@pytest.fixture(scope="module")
def coach_url(coach_site):
    with serve_directory(coach_site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(320, 568), (390, 844)])
def test_a_worksheet_on_a_phone(browser, coach_url, coach_site, width, height):
    context, page = open_page(browser, f"{coach_url}/{SHEET}", width, height)
    try:
        page.screenshot(path=str(coach_site.parent / f"phone-{width}.png"))
        g = page.evaluate(GEOMETRY)
        assert g["width"] == width  # nothing wider than the screen
        if height == 844:  # the first prompt starts, whole, on the first screen
            assert g["prompt"]["bottom"] <= height, g["prompt"]
        # Breadcrumbs: only the way back (the page one level up), whole, on one line.
        assert g["crumbLines"] == 1 and g["crumbHeight"] <= 2 * g["crumbLine"] + 16
        assert [t.strip() for t in page.locator(".breadcrumbs li:visible")
                .all_inner_texts()] == ["Worksheets"]
        # The scale's points on one row, the end labels under the first and the last point.
        assert g["pointTops"] == 1 and g["last"]["right"] <= width
        assert g["low"]["top"] >= g["first"]["bottom"] and g["high"]["top"] == g["low"]["top"]
        assert abs(g["low"]["left"] - g["first"]["left"]) < 1
        assert abs(g["high"]["right"] - g["last"]["right"]) < 1
        assert g["high"]["left"] > g["low"]["right"]
        # The table scrolls inside its box, cut in the middle of a column: there is more.
        table = g["table"]
        assert table["scroll"] > table["client"] and table["right"] <= width
        inside = [col for col in g["columns"] if col[0] < table["right"] < col[1]]
        assert len(inside) == 1, g["columns"]
        left, right = inside[0]
        assert table["right"] - left > 24 and right - table["right"] > 24, inside
        for page_path in pages(coach_site):
            page.goto(f"{coach_url}/{page_path.relative_to(coach_site).as_posix()}")
            assert page.evaluate("document.documentElement.scrollWidth") == width, page_path
    finally:
        context.close()


@pytest.mark.browser
def test_scale_labels_sit_at_their_ends_on_paper_and_on_a_desktop(browser, coach_url):
    # On a desktop, as on a phone: under the first and the last point.
    context, page = open_page(browser, f"{coach_url}/{SHEET}", 1280, 900)
    try:
        g = page.evaluate(GEOMETRY)
        assert g["pointTops"] == 1
        assert abs(g["low"]["left"] - g["first"]["left"]) < 1
        assert abs(g["high"]["right"] - g["last"]["right"]) < 1
        assert g["low"]["top"] >= g["first"]["bottom"] and g["high"]["top"] == g["low"]["top"]
    finally:
        context.close()
    # On paper: on the points' line, before the first point and after the last.
    context, page = open_page(browser, f"{coach_url}/{SHEET}", 800, 900, "print")
    try:
        g = page.evaluate(GEOMETRY)
        assert g["pointTops"] == 1
        assert g["low"]["right"] <= g["first"]["left"] and g["high"]["left"] >= g["last"]["right"]
        middle = (g["first"]["top"] + g["first"]["bottom"]) / 2
        for end in (g["low"], g["high"]):
            assert end["top"] < middle < end["bottom"]
    finally:
        context.close()


@pytest.mark.browser
def test_the_header_keeps_one_row_at_1280_with_a_40_character_title(browser, coach_url):
    context, page = open_page(browser, f"{coach_url}/{SHEET}", 1280, 800)
    try:
        title = page.locator(".site-title span")
        assert len(title.inner_text()) == 40
        rows = page.evaluate("""() => {
          const items = [...document.querySelectorAll('.site-title, .site-tools > *')]
            .filter((el) => el.getClientRects().length);
          const title = document.querySelector('.site-title span').getClientRects();
          return {tops: [...new Set(items.map((el) => Math.round(el.getBoundingClientRect()
                     .top + el.getBoundingClientRect().height / 2)))].length,
                  titleLines: title.length};
        }""")
        assert rows == {"tops": 1, "titleLines": 1}
        # Breadcrumbs with a 40-character site title and a 62-character guide title: at
        # most two lines (the way back; the current page is the heading below them).
        g = page.evaluate(GEOMETRY)
        assert g["crumbLines"] <= 2, g
    finally:
        context.close()


TOOL_ROWS = """() => [...document.querySelectorAll('.worksheet-tools')].map((box) => {
  // Each box of tools: how many lines its controls take (by their middles), its edges.
  const controls = [...box.querySelectorAll('.button, .paper-choice')]
    .filter((el) => el.getClientRects().length);
  const middles = controls.map((el) => {
    const r = el.getBoundingClientRect();
    return Math.round((r.top + r.bottom) / 2);
  });
  const edge = box.getBoundingClientRect();
  return {controls: controls.length, lines: new Set(middles).size,
          left: edge.left, right: edge.right};
})"""


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory) -> Path:
    """The German, Russian and Arabic guides (tests/languages), built once."""
    out = tmp_path_factory.mktemp("languages")
    build(make_config(out, ROOT / "tests" / "languages" / "content"))
    return out / "site"


SHEETS = {"en": "managing-rejection/worksheets/facts-and-stories.html",
          "de": "umgang-mit-kritik/worksheets/deutung.html",
          "ru": "ob-otkaze/worksheets/chuvstva.html"}


@pytest.mark.browser
@pytest.mark.parametrize(("language", "width"), [
    ("en", 1024), ("en", 1280), ("en", 1920), ("de", 1024), ("ru", 1024), ("ru", 1280)])
def test_the_worksheet_tools_take_one_line_from_1024_px(browser, built_site, languages_site,
                                                         language, width):
    """In English and in German and Russian, whose labels are the longest, from 1024 px."""
    site = built_site if language == "en" else languages_site
    with serve_directory(site) as url:
        context, page = open_page(browser, f"{url}/{SHEETS[language]}", width, 800)
        try:
            page.locator("[data-worksheet-tools]").wait_for()  # shown by worksheet.js
            assert page.evaluate("document.documentElement.lang") == language
            boxes = page.evaluate(TOOL_ROWS)
            # Paper, print with answers, print blank, export all, clear (import is on My
            # answers); then the three controls of the answers on this device.
            assert [(b["controls"], b["lines"]) for b in boxes] == [(5, 1), (3, 1)], boxes
            assert all(b["left"] >= 0 and b["right"] <= width for b in boxes)
            assert page.evaluate("document.documentElement.scrollWidth") == width
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_accent_colour_colours_links_buttons_focus_and_progress(browser, coach_url,
                                                                  coach_site, theme):
    context, page = open_page(browser, f"{coach_url}/{SHEET}", 1280, 900)
    try:
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        colours = page.evaluate("""() => {
          const style = (s) => getComputedStyle(document.querySelector(s));
          document.querySelector('.kicker a').focus();
          return {link: style('.kicker a').color, button: style('[data-print="filled"]')
                  .backgroundColor, focus: style('.kicker a').outlineColor,
                  bg: getComputedStyle(document.body).backgroundColor};
        }""")
        css = (coach_site / "assets" / "css" / "accent.css").read_text(encoding="utf-8")
        accent = re.search(r'\[data-theme="dark"\]\{--accent:(#\w+)' if theme == "dark" else
                           r"^:root\{--accent:(#\w+)", css).group(1)
        rgb = "rgb({}, {}, {})".format(*(int(accent[i:i + 2], 16) for i in (1, 3, 5)))
        assert colours["link"] == colours["button"] == colours["focus"] == rgb
        page.goto(f"{coach_url}/handling-criticism/pause-before-you-answer.html")
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        assert page.evaluate("getComputedStyle(document.querySelector('.step-progress'))"
                             ".accentColor") == rgb
        background = "#fdfcf9" if theme == "light" else "#16181b"
        assert contrast(accent, background) >= 4.5
    finally:
        context.close()


def test_a_logo_named_with_spaces_and_capitals_loads_on_every_page(coach_copy, tmp_path,
                                                                     browser):
    """logo: My Logo.SVG was written into src as it was (src="My Logo.SVG", invalid HTML);
    its address is encoded (My%20Logo.SVG), the file keeps its name, and it shows."""
    (coach_copy / "logo.svg").rename(coach_copy / "My Logo.SVG")
    site_yaml = coach_copy / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace(
        "logo: logo.svg", "logo: My Logo.SVG"), "utf-8")
    build(make_config(tmp_path, coach_copy))
    site = tmp_path / "site"
    assert (site / "My Logo.SVG").is_file()
    for path in pages(site):
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<img class="logo" src="(\.\./)*My%20Logo\.SVG" alt="">', html), path
    tab = browser.new_page()
    try:
        tab.goto((site / "handling-criticism/index.html").as_uri())
        assert tab.locator("img.logo").evaluate("img => img.complete && img.naturalWidth > 0")
    finally:
        tab.close()


def test_an_accent_colour_without_its_hash_gets_the_colour_to_write(coach_copy, capsys):
    """accent_color: 7a3b69 (the # left out, so that YAML would not read a comment) was "not
    a colour" with the example #1d5e8c; the hint now writes the coach's own colour."""
    site = coach_copy / "site.yaml"
    text = site.read_text("utf-8")
    line = next(number for number, row in enumerate(text.split("\n"), start=1)
                if row.startswith("accent_color:"))
    site.write_text(re.sub(r'(?m)^accent_color: .*$', "accent_color: 7a3b69", text), "utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err == (
        f'content/site.yaml:{line}:15: "accent_color" is not a colour: "7a3b69": a colour in '
        "hex digits starts with #\n"
        f"    {line} | accent_color: 7a3b69\n"
        "                      ^\n"
        '    hint: write it as  accent_color: "#7a3b69"  (in quotes: YAML reads # as the start '
        "of a comment)\n"
        "1 error.\n")


def test_a_template_of_the_coachs_own_that_theirs_include_is_used_without_a_warning(
        coach_copy, tmp_path):
    """content/_templates/_mine.html, included by the coach's step.html, was warned about as
    a file that "replaces no theme file, so it is not used" (Did you mean "home.html"?),
    while the pages used it (and --strict stopped the build)."""
    templates = coach_copy / "_templates"
    (templates / "step.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{% include "_mine.html" %}'
        "{{ super() }}{% endblock %}\n", encoding="utf-8")
    (templates / "_mine.html").write_text('<p class="mine">From my own template.</p>\n',
                                          encoding="utf-8")
    result = build(make_config(tmp_path, coach_copy, strict=True))
    assert result.warnings == []
    step = tmp_path / "site" / "handling-criticism" / "pause-before-you-answer.html"
    assert '<p class="mine">From my own template.</p>' in step.read_text(encoding="utf-8")
