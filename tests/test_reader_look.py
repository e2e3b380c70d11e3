"""What a reader sees on pages that mix languages or hold long words: the language of each
part (WCAG 3.1.2), the step page's columns, reflow at 320 px (WCAG 1.4.10), each language's
punctuation, admonitions' titles.

The site is tests/languages/content (an English site with a German, a Russian and an Arabic
guide) plus a French guide written here, with long titles, a long address and admonitions.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guidebook.build import build

from .conftest import ROOT, make_config, serve_directory
from .test_quality import describe_violations, run_axe
from .tools import axe_script, vnu_jar

LANGUAGES = ROOT / "tests" / "languages" / "content"
URL = "https://www.example.org/articles/communication-non-violente/les-quatre-etapes-pour-exprimer"
LONG = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"
FRENCH = {
    "parler/guide.md": f"""\
---
title: Parler de la {LONG}
summary: Dire ce que l’on ressent sans blesser.
language: fr
safety_note: Si vous êtes en danger, appelez le [3919](tel:3919).
---
Ce guide court vous aide à dire les choses simplement.
""",
    "parler/1-observer.md": f"""\
---
title: Observer sans juger, même quand la conversation devient vraiment difficile
summary: Décrire ce qui s’est passé, sans l’interpréter.
---
Lisez d’abord <{URL}>.

## {LONG}

Un mot très long : {LONG}.

| Source | Adresse |
|---|---|
| Article | <{URL}> |

| Lundi | Mardi | Mercredi | Jeudi | Vendredi | Samedi | Dimanche |
|---|---|---|---|---|---|---|
| Calme | Calme | Tendu | Calme | Tendu | Calme | Calme |

!!! warning
    Ne répondez pas sous le coup de la colère.

!!! tip
    Notez les mots exacts.

!!! note "Mon propre titre"
    Un titre donné par le coach reste le sien.

!!! danger
    Si la dispute devient violente, partez.

!!! tip ""
    Sans titre du tout.

!!! aside
    Un type que le thème ne connaît pas.
""",
    "parler/2-exprimer.md": """\
---
title: Exprimer un besoin
---
Dites ce dont vous avez besoin.
""",
    "parler/worksheets/besoins.md": f"""\
---
title: Mes besoins
step: 1
minutes: 5
---
Prenez cinq minutes.

## Qui peut m’aider ?

[short]

## {LONG}

[lines: 2]

## Ce dont j’ai besoin

[checklist]
- [ ] Du calme
- [ ] {LONG}
- [ ] Autre : ___

## Qui, quand

[table: 1 rows]
| Qui | Quand |
""",
}


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory) -> Path:
    """The languages' site plus the French guide, built once."""
    tmp = tmp_path_factory.mktemp("mixed")
    content = tmp / "content"
    shutil.copytree(LANGUAGES, content)
    for rel, text in FRENCH.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = build(make_config(tmp, content))
    assert result.warnings == []
    return tmp / "site"


@pytest.fixture(scope="module")
def mixed_url(mixed_site):
    with serve_directory(mixed_site) as url:
        yield url


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def open_page(browser, url: str, width: int, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    return context, page


# The step page: the pager and the list of the guide's steps on the text's edges.
COLUMNS = """() => {
  const edges = (el) => { const r = el.getBoundingClientRect();
                          return [Math.round(r.left), Math.round(r.right)]; };
  // Each item of the guide's steps: its box, its first line, how many lines it takes.
  const items = [...document.querySelectorAll('.guide-nav li')].map((li) => {
    const box = li.getBoundingClientRect();
    const range = document.createRange();  // its text's lines, whatever its box
    range.selectNodeContents(li.querySelector('a, span'));
    const lines = [...range.getClientRects()].filter((r) => r.width > 0);
    const y = window.scrollY;  // in the page's pixels, for a screenshot of the whole page
    return {left: box.left, right: box.right, top: lines[0].top + y,
            bottom: lines[0].bottom + y, end: box.bottom + y, lines: lines.length};
  });
  return {text: edges(document.querySelector('article.prose')),
          pager: ((links) => [Math.min(...links.map((l) => l[0])),
                              Math.max(...links.map((l) => l[1]))])(
                   [...document.querySelectorAll('.pager a')].map(edges)),
          nav: edges(document.querySelector('.guide-nav')),
          title: edges(document.querySelector('.guide-nav-title')),
          items, rtl: getComputedStyle(document.body).direction === 'rtl',
          width: document.documentElement.scrollWidth};
}"""


def bullet_rows(page, item: dict, rtl: bool) -> tuple[float, float]:
    """Return the first and last row (page pixels) where the item's bullet is drawn: what
    differs from the background in the gutter beside the item (where a list puts it)."""
    from PIL import Image

    left = item["right"] if rtl else item["left"] - 20
    clip = {"x": left, "y": item["top"] - 4, "width": 20, "height": item["end"] - item["top"] + 4}
    shot = Image.open(io.BytesIO(page.screenshot(clip=clip, full_page=True))).convert("RGB")
    background = shot.getpixel((0, 0))

    def differs(x: int, y: int) -> bool:
        pixel = shot.getpixel((x, y))
        return sum(abs(a - b) for a, b in zip(pixel, background, strict=True)) > 60

    rows = [y for y in range(shot.height) if any(differs(x, y) for x in range(shot.width))]
    assert rows, ("no bullet", item)
    return clip["y"] + rows[0], clip["y"] + rows[-1] + 1


STEPS = {"fr": "parler/observer.html", "ar": "al-rafd/al-haqaiq.html",
         "de": "umgang-mit-kritik/trennen.html"}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_the_pager_and_the_guides_steps_align_with_the_text(browser, mixed_url, language):
    wrapped = 0
    for width in (375, 768, 1280):
        context, page = open_page(browser, f"{mixed_url}/{STEPS[language]}", width)
        try:
            assert page.evaluate("document.documentElement.lang") == language
            for theme in ("light", "dark"):
                page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
                g = page.evaluate(COLUMNS)
                where = (width, theme, g)
                assert g["pager"] == g["text"] == g["nav"] == g["title"], where
                assert g["width"] == width, where
                assert len(g["items"]) >= 3, where
                for item in g["items"]:  # each bullet on its item's first line
                    top, bottom = bullet_rows(page, item, g["rtl"])
                    assert item["top"] <= top and bottom <= item["bottom"], (item, top, bottom)
                wrapped += sum(item["lines"] > 1 for item in g["items"])
        finally:
            context.close()
    if language == "fr":  # the long step title wraps at 375 px: the case that went wrong
        assert wrapped >= 2


# Reflow (WCAG 1.4.10): at 320 px no page scrolls sideways, whatever the coach wrote. A table
# wider than the screen scrolls inside its own box (a fill-in table's .table-wrap, a table of
# the text itself), by design: what is in such a box may lie beyond the screen's edge.
OUTSIDE = """(width) => {
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inBox = (el) => { for (let up = el.parentElement; up; up = up.parentElement)
                            if (scrolls(up)) return true;
                          return false; };
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getClientRects().length && !el.closest('.visually-hidden')
            && el.getBoundingClientRect().right > width + 0.5 && !inBox(el))
    .map((el) => `${el.tagName}.${el.className}: ${el.textContent.slice(0, 40)}`);
}"""


@pytest.mark.browser
def test_long_words_and_addresses_wrap_on_every_page_at_320_px(browser, mixed_site, mixed_url):
    context, page = open_page(browser, mixed_url, 320)
    try:
        pages = sorted(mixed_site.rglob("*.html"))
        assert len(pages) == 33  # with search and safety pages in each of 4 guide languages
        for path in pages:
            name = path.relative_to(mixed_site).as_posix()
            page.goto(f"{mixed_url}/{name}")
            assert page.evaluate(OUTSIDE, 320) == [], name
            assert page.evaluate("document.documentElement.scrollWidth") == 320, name
        # The cases themselves: the address in the text, the heading, the table's cell, the
        # prompt, the checklist's item, each on several lines, inside the page.
        page.goto(f"{mixed_url}/parler/observer.html")
        for selector in (f'a[href="{URL}"]', f"h2:has-text(\"{LONG}\")"):
            box = page.locator(selector).first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, selector
            assert box["height"] > 40, selector  # wrapped
        # The address in a table's cell wraps, its short words stay whole; a table of seven
        # days is wider than the screen and scrolls in its own box, not the page.
        tables = page.evaluate("""() => [...document.querySelectorAll('.prose table')]
          .map((t) => ({right: t.getBoundingClientRect().right, scroll: t.scrollWidth,
                        client: t.clientWidth,
                        lines: [...t.querySelectorAll('th:first-child, td:first-child')]
                          .map((c) => { const range = document.createRange();
                                        range.selectNodeContents(c);
                                        return range.getClientRects().length; })}))""")
        address, days = tables
        assert address["right"] <= 320 and address["scroll"] == address["client"], address
        assert address["lines"] == [1, 1], address  # "Source", "Article": one line each
        link = page.locator(f'td a[href="{URL}"]').bounding_box()
        assert link["x"] + link["width"] <= 320 and link["height"] > 40  # wrapped
        assert days["right"] <= 320 and days["scroll"] > days["client"], days
        assert days["lines"] == [1, 1], days
        crumb = page.locator(".breadcrumbs li:visible")  # on a phone: the way back only
        assert crumb.inner_text().endswith(LONG)
        assert crumb.bounding_box()["x"] + crumb.bounding_box()["width"] <= 320
        page.goto(f"{mixed_url}/parler/worksheets/besoins.html")
        for text in (page.locator("h2", has_text=LONG),
                     page.locator(".checklist label", has_text=LONG)):
            box = text.bounding_box()
            assert box["x"] + box["width"] <= 320 and box["height"] > 40
    finally:
        context.close()


# The language of parts (WCAG 3.1.2): a guide's words on a page in another language (the
# home page, search, 404, Staying safe online) and the site's words on a guide's page (its
# title in the header and the breadcrumbs) say their language, and their direction.
class Languages(HTMLParser):
    """Each text of a page's body with the language and direction it is read in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, str]] = []  # (tag, lang, dir)
        self.texts: list[tuple[str, str, str]] = []  # (text, lang, dir)
        self.body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang, direction = self.stack[-1][1:] if self.stack else ("", "ltr")
        self.body = self.body or tag == "body"
        if tag not in VOID:
            self.stack.append((tag, values.get("lang") or lang, values.get("dir") or direction))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.body and data.strip() and self.stack[-1][0] not in ("script", "style"):
            self.texts.append((data.strip(), *self.stack[-1][1:]))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
DIRECTIONS = {"en": "ltr", "de": "ltr", "ru": "ltr", "fr": "ltr", "ar": "rtl"}


def texts_of(html: str) -> list[tuple[str, str, str]]:
    parser = Languages()
    parser.feed(html)
    return parser.texts


def test_every_guides_words_and_the_sites_title_say_their_language(mixed_site):
    # Each guide's title and summary as its own page shows them, and the site's title.
    words = {}
    for guide in ("umgang-mit-kritik", "ob-otkaze", "al-rafd", "parler"):
        page = read(mixed_site, f"{guide}/index.html")
        language = re.search(r'<html lang="([^"]+)"', page).group(1)
        for text, lang, _ in texts_of(page):
            if lang == language and text in (page.split("<h1>", 1)[1].split("</h1>")[0],
                                             page.split('<p class="lead">')[1].split("</p>")[0]):
                words[text] = language
    assert len(words) == 8, words
    words["Leitfäden · Руководства · أدلة"] = "en"
    seen = {}
    for path in sorted(mixed_site.rglob("*.html")):
        name = path.relative_to(mixed_site).as_posix()
        for text, lang, direction in texts_of(path.read_text(encoding="utf-8")):
            for known, language in words.items():
                if known in text:
                    assert (lang, direction) == (language, DIRECTIONS[language]), (name, text)
                    seen.setdefault(known, set()).add(name)
    # Where they were seen on pages of another language: the places that went wrong.
    assert {"index.html", "404.html", "search.html"} <= seen["التعامل مع «الرفض»"]
    assert "safety.html" in seen[f"Parler de la {LONG}"]
    assert "al-rafd/al-haqaiq.html" in seen["Leitfäden · Руководства · أدلة"]
    assert "parler/worksheets/besoins.html" in seen["Leitfäden · Руководства · أدلة"]


def test_marks_are_only_where_the_language_changes(mixed_site):
    home = read(mixed_site, "index.html")
    assert ('<a class="card-link" href="al-rafd/index.html" lang="ar" dir="rtl">'
            "التعامل مع «الرفض»</a>") in home
    assert '<p lang="de">Was geschah, und was Sie daraus machen.</p>' in home
    assert '<p class="meta">1 step · 1 worksheet · by Anna Beispiel</p>' in home
    step = read(mixed_site, "al-rafd/al-haqaiq.html")
    assert ('<li><a href="../index.html" lang="en" dir="ltr">Leitfäden · Руководства · أدلة'
            '</a></li><li><a href="index.html">التعامل مع «الرفض»</a></li>') in step
    safety = read(mixed_site, "safety.html")
    assert (f'<p>From “<span lang="fr">Parler de la {LONG}</span>”:</p>\n'
            '<ul class="help-lines" lang="fr">') in safety
    # A French page names its guide without a mark, the site's title with one.
    french = read(mixed_site, "parler/observer.html")
    assert '<a href="index.html">Parler de la' in french
    assert '<span lang="en">Leitfäden · Руководства · أدلة</span>' in french


@pytest.mark.browser
def test_search_results_from_a_guide_in_another_language_say_it(page, mixed_url):
    page.goto(f"{mixed_url}/search.html?q=%D8%A7%D9%84%D8%B1%D9%81%D8%B6")  # الرفض
    result = page.locator("[data-search-results] li").first
    result.wait_for()
    assert (result.get_attribute("lang"), result.get_attribute("dir")) == ("ar", "rtl")
    assert "الرفض" in result.inner_text()
    # On the guide's own pages, its results need no mark; another guide's do.
    page.goto(f"{mixed_url}/parler/index.html")
    page.fill("#header-search-input", "besoin")
    result = page.locator("[data-search-results] li").first
    result.wait_for()
    assert result.get_attribute("lang") is None and result.get_attribute("dir") is None
    page.fill("#header-search-input", "Kritik")
    result = page.locator("[data-search-results] li", has_text="Kritik").first
    result.wait_for()
    assert (result.get_attribute("lang"), result.get_attribute("dir")) == ("de", "ltr")


ADMONITION = re.compile(r'<div class="admonition ([^"]+)">\n(?:<p class="admonition-title">'
                        r'([^<]*)</p>\n)?<p>([^<]*)</p>')


def test_an_admonitions_own_title_is_in_the_guides_language(mixed_site, tmp_path):
    step = read(mixed_site, "parler/observer.html")
    assert ADMONITION.findall(step) == [
        ("warning", "Avertissement", "Ne répondez pas sous le coup de la colère."),
        ("tip", "Conseil", "Notez les mots exacts."),
        ("note", "Mon propre titre", "Un titre donné par le coach reste le sien."),
        ("danger", "Danger", "Si la dispute devient violente, partez."),
        ("tip", "", "Sans titre du tout."),
        ("aside", "Aside", "Un type que le thème ne connaît pas."),  # as Python-Markdown
    ]
    # The same text in an English guide, and in the Arabic, Russian and German catalogs.
    for language, titles in [("en", ["Warning", "Tip", "Danger"]),
                             ("ar", ["تحذير", "نصيحة", "خطر"]),
                             ("ru", ["Предупреждение", "Совет", "Опасно"]),
                             ("de", ["Warnung", "Tipp", "Gefahr"])]:
        content = tmp_path / language / "content"
        shutil.copytree(mixed_site.parent / "content" / "parler", content / "parler")
        guide = content / "parler" / "guide.md"
        guide.write_text(guide.read_text("utf-8").replace("language: fr", f"language: {language}"),
                         "utf-8")
        (content / "site.yaml").write_text("title: T\n", "utf-8")
        build(make_config(tmp_path / language, content))
        page = read(tmp_path / language / "site", "parler/observer.html")
        found = [title for kind, title, _ in ADMONITION.findall(page)
                 if kind in ("warning", "tip", "danger") and title]
        assert found == titles, language


# Each language's punctuation in the theme's joined phrases: French puts a no-break space
# before a colon ("Autre :", "Mes réponses : ce que…"), as its catalog does everywhere.
NBSP = "\u00a0"


def test_joined_phrases_take_each_languages_punctuation(mixed_site, built_site):
    sheet = read(mixed_site, "parler/worksheets/besoins.html")
    assert f'name="ce-dont-jai-besoin-autre">Autre{NBSP}:</label>' in sheet
    link = (f'<a href="../my-answers.html">Mes réponses</a>{NBSP}: ce que vous avez écrit, à '
            "copier, imprimer ou partager avec votre coach</p>")
    assert link in sheet
    assert link.replace("../", "") in read(mixed_site, "parler/index.html")
    packet = read(mixed_site, "parler/worksheets/index.html")
    assert f'data-a="ce-dont-jai-besoin-autre">Autre{NBSP}:<span' in packet
    # Arabic and Russian as their catalogs write them; English as before.
    assert ">شيء آخر:</label>" in read(mixed_site, "al-rafd/worksheets/al-mashaer.html")
    english = read(built_site, "managing-rejection/worksheets/facts-and-stories.html")
    assert ('<a href="../my-answers.html">My answers</a>: what you wrote, to copy, print or '
            "share with your coach</p>") in english
    # No theme-made colon is left out of the catalogs: the French pages have none without
    # the space before it (a coach's own text aside).
    for path in (mixed_site / "parler").rglob("*.html"):
        text = re.sub(r"<[^>]*>", "", path.read_text(encoding="utf-8").split("<main", 1)[1])
        text = text.replace(URL, "")
        assert re.findall(r"\w:", text) == [], path


@pytest.mark.browser
def test_progress_and_my_answers_say_it_in_the_guides_language(page, mixed_url):
    sheet = f"{mixed_url}/parler/worksheets/besoins.html"
    saved = "(text) => Object.values(localStorage).some((v) => v.includes(text))"
    page.goto(sheet)
    page.fill("#f-qui-peut-maider", "Ma sœur")
    page.wait_for_function(saved, arg="Ma sœur")
    page.goto(f"{mixed_url}/parler/index.html")
    line = page.locator(".progress-line")
    assert line.inner_text() == f"Commencée{NBSP}: 1 question sur 4 a une réponse"
    page.goto(sheet)
    page.check("input[name=ce-dont-jai-besoin-autre]")
    page.fill("input[name=ce-dont-jai-besoin-autre-text]", "Du temps")
    page.fill("textarea[name=qui-quand-r1-c1]", "Mon frère")
    page.wait_for_function(saved, arg="Mon frère")
    page.goto(f"{mixed_url}/parler/index.html")
    assert line.inner_text() == f"Commencée{NBSP}: 3 questions sur 4 ont une réponse"
    # My answers, as text and as Markdown: the write-in and the table's cell after a French
    # colon.
    page.goto(f"{mixed_url}/parler/my-answers.html")
    page.locator("[data-answers-tools]").wait_for()
    text = page.evaluate("window.guidebookMyAnswers.asText(window.guidebookMyAnswers.show())")
    assert f"  - Autre{NBSP}: Du temps\n" in text
    assert f"    Qui{NBSP}: Mon frère\n" in text
    markdown = page.evaluate(
        "window.guidebookMyAnswers.asMarkdown(window.guidebookMyAnswers.show())")
    assert f"- Autre{NBSP}: Du temps\n" in markdown
    # Russian: the noun agrees with the number answered (one of its three forms).
    page.goto(f"{mixed_url}/ob-otkaze/worksheets/chuvstva.html")
    page.fill("textarea[name='что-я-узнал']", "Многое")
    page.wait_for_function(saved, arg="Многое")
    page.goto(f"{mixed_url}/ob-otkaze/index.html")
    assert line.inner_text() == "Начат: отвечено на 1 вопрос из 2"


# The mixed-language site passes the same checks as the first guide (test_quality): its marks
# of language and direction, admonitions and long words included.
def test_the_mixed_language_site_passes_the_nu_checker(mixed_site):
    files = [str(p) for p in sorted(mixed_site.rglob("*.html"))]
    run = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
                          "--stdout", *files], capture_output=True, text=True, timeout=240)
    report = json.loads(run.stdout or run.stderr)
    assert [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}"
            for m in report["messages"]] == []


@pytest.mark.browser
# Each theme once and each layout once (33 pages a run): the light theme at 1280 px is what
# test_quality and test_languages_browser check on their sites.
@pytest.mark.parametrize(("theme", "width"), [("dark", 1280), ("light", 375)])
def test_axe_finds_no_violations_on_the_mixed_language_site(browser, mixed_site, mixed_url,
                                                          theme, width):
    """At 375 px the step's table scrolls in its box: the keyboard reaches it."""
    context = browser.new_context(color_scheme=theme, bypass_csp=True,  # axe is inline
                                  viewport={"width": width, "height": 800})
    page = context.new_page()
    found = {}
    try:
        names = [p.relative_to(mixed_site).as_posix() for p in sorted(mixed_site.rglob("*.html"))]
        for name in [*names, "search.html?q=%D8%A7%D9%84%D8%B1%D9%81%D8%B6"]:
            page.goto(f"{mixed_url}/{name}", wait_until="load")
            if "?q=" in name:
                page.wait_for_selector("[data-search-results] li")
            violations = run_axe(page, axe_script())
            if violations:
                found[name] = describe_violations(violations)
    finally:
        context.close()
    assert found == {}


def test_the_language_switch_names_each_language_in_its_own(tmp_path):
    from .test_languages import make_site

    content = make_site(tmp_path, {
        "parler/guide.md": "---\ntitle: Parler\nsummary: S.\nlanguage: fr\n---\nIntro.\n",
        "parler/1-un.md": "---\ntitle: Un\n---\nTexte.\n",
        "kalam/guide.md": ("---\ntitle: كلام\nsummary: S.\nlanguage: ar\n"
                           "translation_of: parler\n---\nمقدمة.\n"),
        "kalam/1-wahid.md": "---\ntitle: واحد\n---\nنص.\n",
    })
    build(make_config(tmp_path, content))
    french = read(tmp_path / "site", "parler/index.html")
    arabic = read(tmp_path / "site", "kalam/index.html")
    assert '<a href="../kalam/index.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in french
    assert '<a href="../parler/index.html" hreflang="fr" lang="fr" dir="ltr">Français</a>' in arabic


def test_the_sites_title_and_tagline_are_joined_in_the_sites_language(tmp_path):
    from .test_languages import make_site

    sheet = "---\ntitle: {}\nstep: 1\n---\n## {}\n\n[short]\n"
    content = make_site(tmp_path, {
        "parler/guide.md": "---\ntitle: Parler\nsummary: S.\n---\nIntro.\n",
        "parler/1-un.md": "---\ntitle: Un\n---\nTexte.\n",
        "parler/worksheets/w.md": sheet.format("Fiche", "Qui ?"),
        "reden/guide.md": "---\ntitle: Reden\nsummary: S.\nlanguage: de\n---\nIntro.\n",
        "reden/1-eins.md": "---\ntitle: Eins\n---\nText.\n",
        "reden/worksheets/w.md": sheet.format("Blatt", "Wer?"),
    }, "title: Mes guides\nlanguage: fr\ntagline: Pour mieux se parler\n")
    build(make_config(tmp_path, content))
    french = read(tmp_path / "site", "parler/worksheets/w.html")
    german = read(tmp_path / "site", "reden/worksheets/w.html")
    assert f'data-print-address="w.html">Mes guides{NBSP}: Pour mieux se parler</p>' in french
    assert (f'data-print-address="w.html" lang="fr">Mes guides{NBSP}: Pour mieux se parler</p>'
            in german)


# Each point of each scale on the page: its number's lines and width, and the inner width of
# its round box.
SCALE_POINTS = """() => [...document.querySelectorAll('.scale-points label')].map((label) => {
  const number = document.createRange();
  number.selectNodeContents([...label.childNodes].find((node) => node.nodeType === 3));
  const style = getComputedStyle(label);
  const inner = label.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text: number.toString().trim(), lines: number.getClientRects().length,
          width: number.getBoundingClientRect().width, inner,
          right: label.getBoundingClientRect().right};
})"""


@pytest.mark.parametrize("width", [320, 375])
def test_every_point_of_a_scale_shows_its_whole_number_on_a_phone(browser, tmp_path, width):
    """A 1-10 and a 0-10 scale on a 320 and a 375 px phone: "10" is on one line inside its
    round box (WCAG 1.4.10 Reflow). It broke into "1" over "0" at 320 px (the page's
    overflow-wrap: anywhere in a box narrower than the number), and overflowed its box on a
    0-10 scale at 375."""
    content = tmp_path / "content"
    for rel, text in {
        "site.yaml": "title: T\n",
        "g/guide.md": "---\ntitle: G\nsummary: S.\n---\nIntro.\n",
        "g/1-one.md": "---\ntitle: One\n---\nText.\n",
        "g/worksheets/w.md": "---\ntitle: W\nstep: 1\n---\n## Ten\n\n"
                             "[scale: 1-10 | Not at all | Completely]\n\n## Eleven\n\n"
                             "[scale: 0-10 | None | All]\n"}.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    build(make_config(tmp_path, content))
    with serve_directory(tmp_path / "site") as url:
        context, page = open_page(browser, f"{url}/g/worksheets/w.html", width)
        try:
            points = page.evaluate(SCALE_POINTS)
            assert page.evaluate("document.documentElement.scrollWidth") == width
        finally:
            context.close()
    assert [p["text"] for p in points] == [str(n) for n in range(1, 11)] + [
        str(n) for n in range(11)]
    wrong = [p for p in points if p["lines"] != 1 or p["width"] > p["inner"] + 0.5
             or p["right"] > width]
    assert wrong == []
