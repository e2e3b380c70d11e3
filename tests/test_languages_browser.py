"""The German, Russian and Arabic guides in headless Chromium: checkers, words, print, weight.

The pages of tests/languages/content (an English site with a German, a Russian and an Arabic
guide) pass the Nu HTML Checker and axe in both themes, stay under 30 KB, say what the scripts
say in their language, and an Arabic worksheet prints right to left on one page.
"""

from __future__ import annotations

import io
import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidebook.build import build

from .conftest import make_config, serve_directory
from .test_languages import LANGUAGES
from .test_quality import (
    CONTROL_CONTRAST,
    MAX_PAGE_BYTES,
    collect_page_loads,
    describe_violations,
    run_axe,
)
from .tools import axe_script, vnu_jar

pytestmark = pytest.mark.browser
GUIDES = ["umgang-mit-kritik", "ob-otkaze", "al-rafd"]
SHEET_AR = "al-rafd/worksheets/al-mashaer.html"
SHEET_RU = "ob-otkaze/worksheets/chuvstva.html"


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("languages-browser")
    build(make_config(out, LANGUAGES))
    return out / "site"


@pytest.fixture(scope="module")
def served(languages_site):
    with serve_directory(languages_site) as url:
        yield url


def pages_of(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for guide in GUIDES
            for p in sorted((site / guide).rglob("*.html"))]


def test_the_pages_in_other_languages_pass_the_nu_checker(languages_site):
    files = [str(languages_site / rel) for rel in pages_of(languages_site)]
    assert len(files) == 15  # guide, step, worksheet, packet, My answers of each
    run = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
                          "--stdout", *files], capture_output=True, text=True, timeout=240)
    report = json.loads(run.stdout or run.stderr)
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}"
              for m in report["messages"]]
    assert errors == [], "vnu errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_on_the_pages_in_other_languages(browser, served, languages_site,
                                                           theme):
    axe = axe_script()
    context = browser.new_context(color_scheme=theme, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for rel in pages_of(languages_site):
            page.goto(f"{served}/{rel}", wait_until="load")
            violations = run_axe(page, axe)
            weak = page.evaluate(CONTROL_CONTRAST)
            if violations or weak:
                found[rel] = describe_violations(violations) + "; ".join(weak)
    finally:
        context.close()
    assert found == {}


def test_the_pages_in_other_languages_weigh_under_30_kb_and_load_cleanly(browser, served,
                                                                          languages_site):
    loads = collect_page_loads(browser, served, pages_of(languages_site), languages_site)
    heavy = {rel: r["bytes"] for rel, r in loads.items() if r["bytes"] >= MAX_PAGE_BYTES}
    errors = {rel: r["errors"] for rel, r in loads.items() if r["errors"]}
    assert heavy == {} and errors == {}


def test_the_scripts_speak_the_pages_language(page, served):
    page.goto(f"{served}/{SHEET_RU}")
    status = page.locator("[data-status]")
    page.get_by_label("Гнев").check()
    status.filter(has_text="Сохранено в этом браузере в").wait_for()
    page.reload()
    status.filter(has_text="Ваши сохранённые ответы подставлены.").wait_for()
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    messages: list[str] = []
    page.get_by_role("button", name="Стереть мои ответы").click()
    status.filter(has_text="Ваши ответы стёрты.").wait_for()
    assert messages == ["Стереть все ваши ответы на этой странице? Отменить это будет нельзя."]
    # Search, from the German guide's header: the status is German.
    page.goto(f"{served}/umgang-mit-kritik/index.html")
    page.get_by_role("searchbox", name="Leitfäden durchsuchen").fill("Deutung")
    page.locator("#header-search-status").filter(has_text="Treffer für „Deutung“:").wait_for()


def test_heading_anchors_are_named_in_the_pages_language(page, served):
    page.goto(f"{served}/umgang-mit-kritik/trennen.html")
    link = page.get_by_role("link", name="Link zu diesem Abschnitt: Was gesagt wurde")
    assert link.get_attribute("href") == "#was-gesagt-wurde"


def test_an_arabic_worksheet_prints_right_to_left_on_one_page(page, served):
    page.goto(f"{served}/{SHEET_AR}")
    page.get_by_label("الغضب").check()
    page.emulate_media(media="print")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.prompt')].map(p => {
        const range = document.createRange();
        range.selectNodeContents(p.querySelector('h2'));
        const h = range.getBoundingClientRect();  // the heading's text, not its box
        return {top: h.top, right: h.right, left: h.left};
    })""")
    width = page.evaluate("document.documentElement.clientWidth")
    assert len(boxes) == 4
    assert [b["top"] for b in boxes] == sorted(b["top"] for b in boxes)  # in order, down
    assert all(b["right"] > width * 0.8 and b["left"] > width * 0.3 for b in boxes)  # right
    checklist = page.evaluate("""() => [...document.querySelectorAll('.checklist li')]
        .map(li => li.getBoundingClientRect().left)""")
    assert checklist[0] > checklist[1] > checklist[2]  # first item on the right
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    # Arabic comes out of the PDF in presentation forms: NFKC gives the letters back.
    text = unicodedata.normalize("NFKC", reader.pages[0].extract_text())
    for words in ("ما الذي قيل", "بماذا أشعر", "ما مدى ثقتك", "الحقائق والقصص"):
        assert words in text


def found_pages(page, base: str, query: str) -> list[str]:
    """Search on the search page; return the addresses of the results."""
    page.goto(f"{base}/search.html")
    page.fill("#search-input", query)
    page.locator("#search-status").filter(has_text=query).wait_for()
    return [a.get_attribute("href") for a in page.locator("[data-search-results] a").all()]


@pytest.mark.parametrize("query, words, target", [
    ("abgelehnt", ["abgelehnt"], "umgang-mit-kritik/trennen.html"),  # Ablehnung on the page
    ("Ablehnnug", ["ablehnnug"], "umgang-mit-kritik/trennen.html"),  # one typo
    ("отказа", ["отказа"], "ob-otkaze/razdelit.html"),  # Отказ on the page
    ("откза", ["откза"], "ob-otkaze/razdelit.html"),
    ("رفضت", ["رفضت"], "al-rafd/index.html"),  # الرفض on the page
    ("الرفص", ["الرفص"], "al-rafd/index.html"),
])
def test_search_finds_another_form_of_a_word_and_one_typo(page, served, languages_site,
                                                          query, words, target):
    index = (languages_site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert not any(word in index.lower() for word in words)  # the page has another form
    assert target in found_pages(page, served, query)


def test_search_finds_other_forms_in_english(page, site_url, built_site):
    index = (built_site / "assets" / "search-index.js").read_text(encoding="utf-8").lower()
    for query in ("rejections", "rejcetion"):
        assert query not in index
        assert "managing-rejection/index.html" in found_pages(page, site_url, query)


def chevron_points(page, clip: dict) -> str:
    """Return which way the chevron drawn in `clip` points ("left" or "right"): its tip is
    the ink of its middle rows, the farthest out from its arms (its top and bottom rows)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("L")
    width, height = picture.size
    rows = [[x for x in range(width) if picture.getpixel((x, y)) < 160] for y in range(height)]
    inked = [row for row in rows if row]
    assert len(inked) >= 3, "no glyph drawn there"
    third = max(1, len(inked) // 3)
    arms = [x for row in inked[:third] + inked[-third:] for x in row]
    middle = [x for row in inked[third:-third] for x in row]
    return "right" if sum(middle) / len(middle) > sum(arms) / len(arms) else "left"


SEPARATOR_BOX = """() => {
    // The breadcrumbs' chevron: the first item's ::after between the items, or on a phone
    // (where only the last item shows) its ::before. It is the item's box beside its link.
    const items = document.querySelectorAll('.breadcrumbs li');
    const last = items[items.length - 1];
    const item = getComputedStyle(last, '::before').content !== 'none' ? last : items[0];
    const box = item.getBoundingClientRect();
    const link = item.querySelector('a').getBoundingClientRect();
    return link.left - box.left > box.right - link.right
        ? {x: box.left, y: box.top, width: link.left - box.left, height: box.height}
        : {x: link.right, y: box.top, width: box.right - link.right, height: box.height};
}"""


@pytest.mark.parametrize("width, rtl, ltr", [
    (1280, "left", "right"),  # between the items: towards the next one, in reading order
    (375, "right", "left"),  # on a phone, before the one way up: back, against reading order
])
def test_direction_bearing_glyphs_point_the_way_the_page_reads(browser, served, width, rtl,
                                                                  ltr):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  device_scale_factor=3)
    page = context.new_page()
    try:
        for rel, expected in [("al-rafd/al-haqaiq.html", rtl),
                              ("umgang-mit-kritik/trennen.html", ltr)]:
            page.goto(f"{served}/{rel}")
            box = page.evaluate(SEPARATOR_BOX)
            assert box["width"] > 3, rel
            assert chevron_points(page, box) == expected, (rel, width)
            # A footnote's back link points to the start of the line, on screen and paper.
            back = page.locator(".footnote-backref")
            arrow = "↪" if rel.startswith("al-rafd") else "↩"
            for media in ("screen", "print"):
                page.emulate_media(media=media)
                assert back.is_visible() and back.inner_text() == arrow, (rel, media)
            page.emulate_media(media="screen")
    finally:
        context.close()


def test_the_readme_shows_a_german_a_russian_and_an_arabic_page():
    from .languages.pictures import PICTURES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    docs = Path(__file__).resolve().parent.parent / "docs"
    for name in ("languages-de.png", "languages-ru.png", "languages-ar.png"):
        assert f"](docs/{name})" in readme and name in PICTURES
        data = (docs / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 60_000, name  # small pictures


def test_a_language_written_as_a_locale_speaks_in_the_readers_browser(page, tmp_path):
    """`language: pt_br` in site.yaml (as gettext writes a locale): the page's lang is pt-BR,
    so the browser's Intl takes it. With lang="pt_br" the worksheet's "Saved at" status threw
    a RangeError and never showed, and so did My answers' date."""
    from .test_languages import guide_files, make_site

    content = make_site(tmp_path, guide_files("pt_br", worksheet="## Q\n[short]\n"),
                        "title: T\nlanguage: pt_br\n")
    build(make_config(tmp_path, content))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve_directory(tmp_path / "site") as url:
        page.goto(f"{url}/g/worksheets/w.html")
        assert page.locator("html").get_attribute("lang") == "pt-BR"
        page.get_by_role("textbox", name="Q").fill("Uma resposta")
        page.locator("[data-status]").filter(has_text="Guardado neste navegador às").wait_for()
        page.goto(f"{url}/g/my-answers.html")
        when = page.locator(".answers-sheet-guide").first
        when.wait_for()
        # The date in Brazilian Portuguese, as Intl writes it: "30 de novembro de 2026".
        assert page.evaluate("new Date().toLocaleDateString('pt-BR', {dateStyle: 'long'})") \
            in when.inner_text()
    assert errors == []


def test_with_paper_auto_the_readers_region_picks_the_paper_as_the_build_does(browser,
                                                                               built_site):
    """paper: auto, the site's language without a region: theme.js picks the paper by the
    browser's language, with the regions the build uses for a site's (i18n.LETTER_REGIONS,
    Unicode CLDR's paperSize). It knew only six, so a reader in Puerto Rico (es-PR) or
    Venezuela got A4 where the build would choose US Letter."""
    import re

    from guidebook.i18n import LETTER_REGIONS

    from .conftest import TEMPLATES

    script = (TEMPLATES / "assets" / "js" / "theme.js").read_text(encoding="utf-8")
    regions = re.search(r"/-\(([A-Z|]+)\)\\b/i", script).group(1).split("|")
    assert sorted(regions) == sorted(LETTER_REGIONS)
    sheet = (built_site / "managing-rejection/worksheets/facts-and-stories.html").as_uri()
    chosen = {}
    for locale in ("es-PR", "es-VE", "en-US", "es-ES", "en-GB", "fr"):
        context = browser.new_context(locale=locale)
        try:
            page = context.new_page()
            page.goto(sheet)
            chosen[locale] = page.locator("[data-paper]").input_value()
        finally:
            context.close()
    assert chosen == {"es-PR": "letter", "es-VE": "letter", "en-US": "letter",
                      "es-ES": "a4", "en-GB": "a4", "fr": "a4"}
