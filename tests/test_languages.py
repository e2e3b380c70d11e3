"""Guides in other languages: lang and dir, quotation marks, Unicode ids, reading times, paper.

tests/languages/content holds a German, a Russian and an Arabic guide (short texts of our
own) in an English site; other cases build a small site made in the test.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from guidebook.build import build
from guidebook.errors import ContentError
from guidebook.i18n import count_words, paper, quote_text

from .conftest import make_config

LANGUAGES = Path(__file__).resolve().parent / "languages" / "content"


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("languages")
    build(make_config(out, LANGUAGES))
    return out / "site"


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def html_tag(text: str) -> str:
    return re.search(r"<html[^>]*>", text).group(0)


def make_site(root: Path, files: dict[str, str], site_yaml: str = "title: T\n") -> Path:
    """Write a content folder from {relative path: text}; return it."""
    content = root / "content"
    for rel, text in {"site.yaml": site_yaml, **files}.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def guide_files(language: str, body: str = "", title: str = "A guide",
                worksheet: str = "") -> dict[str, str]:
    files = {
        "g/guide.md": f'---\ntitle: {title}\nsummary: S.\nlanguage: "{language}"\n---\n{body}\n',
        "g/1-one.md": "---\ntitle: One\n---\nText.\n",
    }
    if worksheet:
        files["g/worksheets/w.md"] = f"---\ntitle: W\nstep: 1\n---\n{worksheet}\n"
    return files


def test_each_page_has_its_guides_language_and_direction(languages_site):
    for page, tag in [
        ("umgang-mit-kritik/index.html", '<html lang="de">'),
        ("umgang-mit-kritik/trennen.html", '<html lang="de">'),
        ("umgang-mit-kritik/worksheets/deutung.html", '<html lang="de">'),
        ("ob-otkaze/worksheets/chuvstva.html", '<html lang="ru">'),
        ("ob-otkaze/worksheets/index.html", '<html lang="ru">'),
        ("al-rafd/index.html", '<html lang="ar" dir="rtl">'),
        ("al-rafd/al-haqaiq.html", '<html lang="ar" dir="rtl">'),
        ("al-rafd/worksheets/al-mashaer.html", '<html lang="ar" dir="rtl">'),
        ("al-rafd/worksheets/index.html", '<html lang="ar" dir="rtl">'),
        ("index.html", '<html lang="en">'),
        ("search.html", '<html lang="en">'),
    ]:
        assert html_tag(read(languages_site, page)) == tag, page


def test_quotation_marks_follow_the_language_in_text_titles_help_and_items(languages_site):
    de = read(languages_site, "umgang-mit-kritik/index.html")
    assert "<h1>Umgang mit „harter“ Kritik</h1>" in de  # title
    assert "Sie sagte: „Das war nicht gut genug.“ Das ist" in de  # body text
    assert '"' not in re.sub(r"<[^>]*>", "", re.sub(r"<script.*?</script>", "", de, flags=re.S))
    sheet = read(languages_site, "umgang-mit-kritik/worksheets/deutung.html")
    assert "<h1>Worte und „Deutungen“</h1>" in sheet
    assert ">„Erleichtert“</label>" in sheet  # checklist item
    step = read(languages_site, "umgang-mit-kritik/trennen.html")
    assert "Wer „immer“ oder „nie“ hört" in step
    ru = read(languages_site, "ob-otkaze/index.html")
    assert "<h1>Как пережить «отказ»</h1>" in ru and "Он сказал: «Не сейчас»." in ru
    ar = read(languages_site, "al-rafd/index.html")
    assert "<h1>التعامل مع «الرفض»</h1>" in ar and "قالت: «ليس الآن»." in ar


@pytest.mark.parametrize("language, opening, closing", [
    ("en", "“", "”"), ("en-GB", "“", "”"), ("de", "„", "“"), ("de-AT", "„", "“"),
    ("fr", "«\u00a0", "\u00a0»"), ("es", "«", "»"), ("ru", "«", "»"), ("pt-BR", "“", "”"),
])
def test_quotation_marks_per_language_in_a_built_guide(tmp_path, language, opening, closing):
    worksheet = ('## A "prompt"\n\nSome "help" here.\n\n[checklist]\n- [ ] An "item"\n'
                 "- [ ] Don't\n")
    content = make_site(tmp_path, guide_files(language, 'She said "no" and left.',
                                              'The "title"', worksheet))
    build(make_config(tmp_path, content))
    guide = html.unescape(read(tmp_path / "site", "g/index.html"))
    assert f"<h1>The {opening}title{closing}</h1>" in guide
    assert f"She said {opening}no{closing} and left." in guide
    sheet = html.unescape(read(tmp_path / "site", "g/worksheets/w.html"))
    assert f"A {opening}prompt{closing}" in sheet
    assert f"Some {opening}help{closing} here." in sheet
    assert f">An {opening}item{closing}</label>" in sheet
    # The apostrophe is the same in every language (smarty's, in body text).
    assert "Don\u2019t</label>" in sheet


def test_quote_text_opens_after_a_space_and_closes_after_a_word():
    assert quote_text('"A" and "b"', "de") == "„A“ and „b“"
    assert quote_text('("x")', "ru") == "(«x»)"
    assert quote_text("no quotes", "fr") == "no quotes"


ISSUE_WORKSHEET = """## Что я чувствую
[checklist]
- [ ] Грусть
- [ ] Гнев
- [ ] Облегчение

## Что я узнал
[lines: 3]
"""


def field_names(page: str) -> list[str]:
    """Return the names of a worksheet page's fields: what its answers are saved under."""
    return re.findall(r'<(?:input|textarea)[^>]* name="([^"]+)"', page)


def test_the_cyrillic_worksheet_builds_with_distinct_readable_ids(tmp_path):
    content = make_site(tmp_path, guide_files("ru", worksheet=ISSUE_WORKSHEET))
    build(make_config(tmp_path, content))
    page = read(tmp_path / "site", "g/worksheets/w.html")
    assert field_names(page) == ["что-я-чувствую-грусть", "что-я-чувствую-гнев",
                               "что-я-чувствую-облегчение", "что-я-узнал"]
    assert 'id="что-я-чувствую"' in page and 'id="что-я-узнал"' in page


def test_ids_stay_the_same_when_prompts_and_headings_move(tmp_path):
    first, second = ISSUE_WORKSHEET.split("\n\n")
    content = make_site(tmp_path, {
        **guide_files("ru", worksheet=second + "\n\n" + first),
        "g/1-one.md": "---\ntitle: One\n---\n## Второй раздел\n\nТекст.\n\n## Первый раздел\n",
    })
    build(make_config(tmp_path, content))
    page = read(tmp_path / "site", "g/worksheets/w.html")
    assert sorted(field_names(page)) == sorted([
        "что-я-чувствую-грусть", "что-я-чувствую-гнев", "что-я-чувствую-облегчение",
        "что-я-узнал"])
    step = read(tmp_path / "site", "g/one.html")
    assert 'id="второй-раздел"' in step and 'id="первый-раздел"' in step
    assert "_1" not in "".join(re.findall(r'id="([^"]*)"', step))


def test_checklist_items_take_an_explicit_id(tmp_path):
    worksheet = ("## Чувства {#feelings}\n[checklist]\n- [ ] Грусть {#sad}\n- [ ] Гнев\n"
                 "- [ ] Другое: ___ {#other}\n")
    content = make_site(tmp_path, guide_files("ru", worksheet=worksheet))
    build(make_config(tmp_path, content))
    page = read(tmp_path / "site", "g/worksheets/w.html")
    assert field_names(page) == ["feelings-sad", "feelings-гнев", "feelings-other",
                               "feelings-other-text"]
    assert ">Грусть</label>" in page and "{#" not in page


def test_two_items_with_one_explicit_id_are_reported(tmp_path):
    worksheet = "## Q\n[checklist]\n- [ ] A {#same}\n- [ ] B {#same}\n- [ ] C {#1bad}\n"
    content = make_site(tmp_path, guide_files("en", worksheet=worksheet))
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    text = str(error.value)
    assert 'g/worksheets/w.md:8:1: two items have the id "same"' in text
    assert "g/worksheets/w.md:9:" in text and "this item's id is not a valid id" in text


def test_the_broken_anchor_hint_describes_ids_as_they_are_made(tmp_path):
    content = make_site(tmp_path, {
        **guide_files("ru"),
        "g/1-one.md": "---\ntitle: One\n---\n[x](#zzzzzzzzzzzz)\n",
    })
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    assert '"Что я узнал" -> #что-я-узнал' in str(error.value)


def test_reading_time_counts_words_in_scripts_without_spaces(tmp_path):
    assert count_words("one two three") == 3
    assert count_words("日本語のテキスト") == 4  # 8 characters
    assert count_words("これは 日本語 text") == 1 + 3  # 5 characters, one word
    body = "練習" * 1000  # 2,000 characters, about 1,000 words: 5 minutes at 200 a minute
    content = make_site(tmp_path, {
        **guide_files("ja"), "g/1-one.md": f"---\ntitle: One\n---\n{body}\n"})
    build(make_config(tmp_path, content))
    assert re.search(r'<p class="meta">5 min read</p>', read(tmp_path / "site", "g/one.html"))


def test_default_paper_follows_the_languages_region(tmp_path):
    assert [paper(tag) for tag in ("en-US", "fr-CA", "en-GB", "de-DE", "de", "en")] == [
        "letter", "letter", "a4", "a4", "auto", "auto"]
    assert paper("en-US", "a4") == "a4"
    for language, expected, setting in [("en-US", "letter", ""), ("de-DE", "a4", ""),
                                        ("ru", "auto", ""), ("en-US", "a4", "paper: a4\n")]:
        root = tmp_path / language / expected
        content = make_site(root, guide_files(language, worksheet="## Q\n[short]\n"),
                            f"title: T\n{setting}")
        build(make_config(root, content))
        # "auto" is theme.js's own default: the page says nothing then.
        for page in ("g/worksheets/w.html", "g/worksheets/index.html", "g/one.html"):
            found = re.findall(r'data-paper-default="(\w+)"', read(root / "site", page))
            assert found == ([] if expected == "auto" else [expected]), page


def test_builds_of_the_languages_are_byte_identical(tmp_path):
    copies = []
    for name in ("a", "b"):
        shutil.copytree(LANGUAGES, tmp_path / name / "content")
        build(make_config(tmp_path / name, tmp_path / name / "content", cache=False))
        copies.append(tmp_path / name / "site")
    files = sorted(p.relative_to(copies[0]) for p in copies[0].rglob("*") if p.is_file())
    assert files
    for rel in files:
        assert (copies[0] / rel).read_bytes() == (copies[1] / rel).read_bytes(), rel


def translated_site(root: Path, base_url: str = "") -> Path:
    """An English guide and its Spanish translation (another folder, other file names)."""
    return make_site(root, {
        "rejection/guide.md": "---\ntitle: Rejection\nsummary: S.\n---\nIntro.\n",
        "rejection/1-facts.md": "---\ntitle: Facts\n---\nText.\n",
        "rejection/2-stories.md": "---\ntitle: Stories\n---\nText.\n",
        "rejection/worksheets/notes.md": "---\ntitle: Notes\nstep: 1\n---\n## Q\n[short]\n",
        "rechazo/guide.md": ("---\ntitle: Rechazo\nsummary: S.\nlanguage: es\n"
                             "translation_of: rejection\n---\nIntroducción.\n"),
        "rechazo/1-hechos.md": "---\ntitle: Hechos\n---\nTexto.\n",
        "rechazo/worksheets/notas.md": "---\ntitle: Notas\nstep: 1\n---\n## P\n[short]\n",
    }, f"title: T\n{'base_url: ' + base_url if base_url else ''}\n")


def test_translations_link_to_each_other_with_hreflang(tmp_path):
    build(make_config(tmp_path, translated_site(tmp_path)))
    site = tmp_path / "site"
    guide, guia = read(site, "rejection/index.html"), read(site, "rechazo/index.html")
    assert html_tag(guide) == '<html lang="en">' and html_tag(guia) == '<html lang="es">'
    assert "Empieza por el paso 1: Hechos" in guia and "Start with step 1: Facts" in guide
    # Both ways, in the head (every language, itself included) and as a visible switch.
    assert ('<link rel="alternate" hreflang="en" href="index.html">\n'
            '<link rel="alternate" hreflang="es" href="../rechazo/index.html">') in guide
    assert ('<link rel="alternate" hreflang="en" href="../rejection/index.html">\n'
            '<link rel="alternate" hreflang="es" href="index.html">') in guia
    switch = re.search(r'<nav class="language-switch meta" aria-label="([^"]+)">(.*?)</nav>',
                       guide).groups()
    assert switch == ("This page in other languages",
                      '<a href="../rechazo/index.html" hreflang="es" lang="es">Español</a> ')
    assert re.search(r'<nav class="language-switch meta" aria-label="Esta página en otros '
                     r'idiomas"><a href="../rejection/index.html" hreflang="en" lang="en">'
                     r"English</a> </nav>", guia)
    # A step links to the step of the same number, or else to the guide; worksheets by place.
    assert 'hreflang="es" href="../rechazo/hechos.html"' in read(site, "rejection/facts.html")
    assert 'hreflang="es" href="../rechazo/index.html"' in read(site, "rejection/stories.html")
    assert ('hreflang="en" href="../../rejection/worksheets/notes.html"'
            in read(site, "rechazo/worksheets/notas.html"))
    assert 'hreflang="es" href="index.html"' not in read(site, "index.html")


def test_the_sitemap_lists_each_translation_with_hreflang(tmp_path):
    build(make_config(tmp_path, translated_site(tmp_path, "https://example.org/g/")))
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    assert ('<url><loc>https://example.org/g/rechazo/hechos.html</loc>'
            '<xhtml:link rel="alternate" hreflang="en" '
            'href="https://example.org/g/rejection/facts.html"/>'
            '<xhtml:link rel="alternate" hreflang="es" '
            'href="https://example.org/g/rechazo/hechos.html"/></url>') in sitemap
    page = read(tmp_path / "site", "rejection/index.html")
    assert '<link rel="alternate" hreflang="es" href="https://example.org/g/rechazo/">' in page


def test_a_translation_of_a_missing_guide_is_an_error(tmp_path):
    content = translated_site(tmp_path)
    guide = content / "rechazo" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "translation_of: rejection", "translation_of: rejectoin"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    assert ('rechazo/guide.md:5:1: translation_of: there is no other guide "rejectoin". '
            'Did you mean "rejection"?') in str(error.value)
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "translation_of: rejectoin", "translation_of: rechazo"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    [problem] = error.value.problems
    assert (problem.line, problem.message, problem.hint) == (5, (
        'translation_of: "rechazo" is this guide\'s own folder: a guide is no translation of '
        "itself"), "write the folder name of the guide this one translates; the other guides "
        "are: rejection")


def test_a_guides_readers_find_search_and_safety_in_its_language(languages_site):
    """An English site with German, Russian and Arabic guides: each guide's pages lead to the
    search and Staying safe online pages in the guide's language (safety.de.html...), which
    the site-wide ones in English do not replace; the sitemap has no search page."""
    pages = sorted(p.name for p in languages_site.glob("*.html"))
    assert pages == ["404.html", "index.html", "safety.ar.html", "safety.de.html",
                     "safety.html", "safety.ru.html", "search.ar.html", "search.de.html",
                     "search.html", "search.ru.html"]
    for language, heading, step in [
            ("de", "Sicher online bleiben", "umgang-mit-kritik/trennen.html"),
            ("ru", "Безопасность в интернете", "ob-otkaze/razdelit.html"),
            ("en", "Staying safe online", "index.html")]:
        name = "safety.html" if language == "en" else f"safety.{language}.html"
        page = read(languages_site, name)
        assert html_tag(page) == f'<html lang="{language}">'
        assert f"<h1>{heading}</h1>" in page
        up = "../" if "/" in step else ""
        text = read(languages_site, step)
        assert f'<a href="{up}{name}">' in text
        assert f'action="{up}{name.replace("safety", "search")}"' in text
    assert html_tag(read(languages_site, "safety.ar.html")) == '<html lang="ar" dir="rtl">'
    assert 'action="search.ru.html"' in read(languages_site, "search.ru.html")


@pytest.mark.parametrize(("language", "safety", "search"), [
    ("en", "safety.html", "search.html"), ("de", "safety.de.html", "search.de.html")])
def test_a_text_links_the_safety_search_and_home_pages_in_its_language(
        tmp_path, language, safety, search):
    """A coach may link the pages the build makes (../safety.html, as the site's own are
    named); on a guide whose language has pages of its own the links lead to those, from
    a step and from a worksheet one folder deeper."""
    links = "Read [safe](../safety.html), [find](../search.html) or [home](../index.html)."
    deeper = links.replace("../", "../../")
    files = guide_files(language, worksheet=f"{deeper}\n\n## What? {{#what}}\n\n[lines: 2]")
    files["g/1-one.md"] = f"---\ntitle: One\n---\n{links}\n"
    build(make_config(tmp_path, make_site(tmp_path, files)))
    site = tmp_path / "site"
    assert (site / safety).is_file() and (site / search).is_file()
    for page, up in (("g/one.html", "../"), ("g/worksheets/w.html", "../../")):
        text = read(site, page)
        for name, words in ((safety, "safe"), (search, "find"), ("index.html", "home")):
            assert f'<a href="{up}{name}">{words}</a>' in text, (page, name)


def test_a_site_in_one_language_has_one_search_and_safety_page(tmp_path):
    content = make_site(tmp_path, guide_files("en"))
    build(make_config(tmp_path, content))
    assert sorted(p.name for p in (tmp_path / "site").glob("*.html")) == [
        "404.html", "index.html", "safety.html", "search.html"]


def test_a_replaced_language_code_is_its_replacement(tmp_path):
    """`language: iw`, Hebrew's old code, was written as it was: lang="iw", and the page went
    left to right. It is Hebrew's tag now (IANA subtag registry), right to left."""
    content = make_site(tmp_path, guide_files("iw", worksheet="## Q\n[short]\n"))
    build(make_config(tmp_path, content))
    assert html_tag(read(tmp_path / "site", "g/worksheets/w.html")) == '<html lang="he" dir="rtl">'


def test_a_language_written_as_a_locale_or_in_capitals_is_the_pages_language_tag(tmp_path):
    """`language: pt_br` (as gettext and POSIX locales write it) and `EN` are accepted, so the
    pages must carry the tags HTML and the browser's Intl take (`lang="pt-BR"`, `en`): with
    `pt_br` in <html lang>, Intl throws on the page and the Nu checker rejects it; an `EN`
    guide on an `en` site is in the site's language, with no second search or safety page."""
    content = make_site(tmp_path / "a", {
        **guide_files("EN", worksheet="## Q\n[short]\n"),
        "h/guide.md": "---\ntitle: H\nsummary: S.\nlanguage: zh_hant_tw\n---\nIntro.\n",
        "h/1-one.md": "---\ntitle: One\n---\nText.\n"}, "title: T\nlanguage: pt_br\n")
    build(make_config(tmp_path / "a", content))
    site = tmp_path / "a" / "site"
    assert html_tag(read(site, "index.html")) == '<html lang="pt-BR">'
    assert html_tag(read(site, "g/worksheets/w.html")) == '<html lang="en">'
    assert html_tag(read(site, "h/index.html")) == '<html lang="zh-Hant-TW">'
    assert sorted(set(re.findall(r' lang="([^"]+)"', read(site, "index.html")))) == [
        "en", "pt-BR", "zh-Hant-TW"]
    assert sorted(p.name for p in site.glob("*.html")) == [
        "404.html", "index.html", "safety.en.html", "safety.html", "safety.zh-Hant-TW.html",
        "search.en.html", "search.html", "search.zh-Hant-TW.html"]
    # The scripts' words are found by the page's lang (worksheet-text.js, the search index).
    texts = read(site, "assets/worksheet-text.js")
    assert '||all["pt-BR"])({"en":{' in texts and '"zh-Hant-TW":{' in texts
    assert '"l":"zh-Hant-TW"' in read(site, "assets/search-index.js")
    # The site's language still picks its catalog (pt.po) and its region's paper.
    assert "<h1>Segurança na internet</h1>" in read(site, "safety.html")
    assert 'data-paper-default="a4"' in read(site, "index.html")

    content = make_site(tmp_path / "b", guide_files("EN"))  # an English site
    build(make_config(tmp_path / "b", content))
    assert sorted(p.name for p in (tmp_path / "b" / "site").glob("*.html")) == [
        "404.html", "index.html", "safety.html", "search.html"]
    assert ' lang="' not in read(tmp_path / "b" / "site", "index.html").split(">", 2)[2]
