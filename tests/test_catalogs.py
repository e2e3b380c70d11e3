"""The theme's words in every language: complete catalogs, no English left, overrides, errors.

Completeness is checked against the strings the templates really use (extracted with
jinja2.ext.i18n, as a build does), so adding a string to a template without translating it in
every shipped catalog fails here.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from guidebook.build import build
from guidebook.catalogs import Catalogs, template_entries
from guidebook.errors import ContentError
from guidebook.render import environment

from .conftest import TEMPLATES, make_config
from .test_languages import LANGUAGES, guide_files, make_site

SHIPPED = ["ar", "de", "es", "fr", "pt", "ru"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def missing_translations(templates: Path, language: str) -> list[str]:
    """Return the strings the templates use that the language's catalog does not translate
    in every plural form (or translates with other placeholders than the English)."""
    entries = template_entries(environment(templates))
    with (templates / "locale" / f"{language}.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    wrong = []
    for message, plural in entries.items():
        found = catalog.get((message, plural) if plural else message)
        if found is None and plural:
            found = catalog.get(message)
        strings = found.string if found is not None else ""
        forms = list(strings) if isinstance(strings, (tuple, list)) else [strings]
        expected = set(PLACEHOLDER.findall(message))
        if (found is None or found.fuzzy or not all(forms) or (plural and len(forms)
                                                                != catalog.num_plurals)
                or any(set(PLACEHOLDER.findall(form)) - expected for form in forms)
                or (not plural and set(PLACEHOLDER.findall(forms[0])) != expected)):
            wrong.append(message)
    return wrong


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_of_the_templates_is_translated_in_every_catalog(language):
    assert missing_translations(TEMPLATES, language) == []


def test_a_new_string_without_translations_fails_the_completeness_check(tmp_path):
    theme = tmp_path / "templates"
    shutil.copytree(TEMPLATES, theme)
    base = theme / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</main>", '<p>{{ _("A brand new string") }}</p>\n</main>'), encoding="utf-8")
    for language in SHIPPED:
        assert missing_translations(theme, language) == ["A brand new string"]


def test_the_template_for_translators_lists_every_string():
    entries = template_entries(environment(TEMPLATES))
    with (TEMPLATES / "locale" / "messages.pot").open("rb") as handle:
        pot = read_po(handle)
    listed = {(m.id[0], m.id[1]) if isinstance(m.id, tuple) else (m.id, None)
              for m in pot if m.id}
    assert listed == set(entries.items()), "run: python -m guidebook.catalogs templates"


def test_plural_forms_follow_each_language():
    catalogs = Catalogs([TEMPLATES])

    def steps(language: str, count: int) -> str:
        return catalogs.messages(language).ngettext("%(num)s step", "%(num)s steps", count) % {
            "num": count}

    assert [steps("en", n) for n in (1, 2)] == ["1 step", "2 steps"]
    assert [steps("de", n) for n in (1, 3)] == ["1 Schritt", "3 Schritte"]
    assert [steps("ru", n) for n in (1, 2, 5, 11, 21, 22)] == [
        "1 шаг", "2 шага", "5 шагов", "11 шагов", "21 шаг", "22 шага"]
    assert [steps("ar", n) for n in (1, 2, 3, 11, 100)] == [
        "خطوة واحدة", "خطوتان", "3 خطوات", "11 خطوةً", "100 خطوة"]
    assert [steps("fr", n) for n in (0, 1, 2)] == ["0 étape", "1 étape", "2 étapes"]
    assert steps("pt-BR", 2) == "2 etapas"  # a region falls back to its language's catalog


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("catalog-languages")
    build(make_config(out, LANGUAGES))
    return out / "site"


@pytest.fixture(scope="module")
def languages_coach_site(tmp_path_factory) -> Path:
    """The coach's edition of the same guides: their steps have a coach's note."""
    out = tmp_path_factory.mktemp("catalog-languages-coach")
    build(make_config(out, LANGUAGES, edition="coach"))
    return out / "site"


def english_only(language: str) -> list[str]:
    """Return the English texts of the theme that the language's catalog does not also use:
    each message id's words between its placeholders and tags."""
    with (TEMPLATES / "locale" / f"{language}.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string for m in catalog)
    pieces = set()
    for message, plural in template_entries(environment(TEMPLATES)).items():
        for text in (message, plural or ""):
            for piece in re.split(r"%\(\w+\)s|<[^>]+>|[“”:.,?()]", text):
                piece = piece.strip()
                if re.search(r"[A-Za-z]{2}", piece) and not re.search(
                        rf"(?<!\w){re.escape(piece)}(?!\w)", translated):
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


def shown_text(page: str, stylesheets: list[str] = ()) -> str:
    """Everything of a page a reader can see or hear: text, labels, the scripts' words, and
    the words its stylesheets add (CSS `content: "..."`)."""
    scripts = " ".join(" ".join(json.loads(block).values()) for block in re.findall(
        r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S))
    attributes = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', page))
    generated = " ".join(re.findall(r'content:\s*"([^"]*)"', " ".join(stylesheets)))
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    body = re.sub(r"<title>.*?</title>", " ", body, flags=re.S)
    text = html.unescape(" ".join([re.sub(r"<[^>]+>", " ", body), attributes, scripts,
                                   generated, re.search(r"<title>(.*?)</title>", page).group(1)]))
    return re.sub(r"\S*/\S*", " ", text)  # addresses (the printed page's) are not words


def stylesheets_of(path: Path) -> list[str]:
    """Return the text of every stylesheet a built page links to."""
    page = path.read_text(encoding="utf-8")
    return [(path.parent / href).read_text(encoding="utf-8")
            for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)]


@pytest.mark.parametrize("edition", ["reader", "coach"])
@pytest.mark.parametrize("language, guide", [
    ("de", "umgang-mit-kritik"), ("ru", "ob-otkaze"), ("ar", "al-rafd")])
def test_no_english_ui_string_is_left_on_the_pages_of_a_guide(
        request, languages_site, language, guide, edition):
    leftovers = english_only(language)
    assert "Print blank" in leftovers and "Step" in leftovers  # the check can fail
    # The words the engine and the stylesheets add are the catalogs' too.
    assert {"Back to the text of note", "For the coach", "Worksheets"} <= set(leftovers)
    site = languages_site if edition == "reader" else request.getfixturevalue(
        "languages_coach_site")
    pages = sorted((site / guide).rglob("*.html"))
    assert len(pages) == 5  # guide, step, worksheet, packet, My answers
    for path in pages:
        text = shown_text(path.read_text(encoding="utf-8"), stylesheets_of(path))
        found = [piece for piece in leftovers
                 if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)]
        assert found == [], f"{path.relative_to(site)}: {found}"
    # The search index gives this guide's kinds of page in its language too.
    index = (languages_site / "assets" / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(index[index.index("["):index.rindex("]") + 1])
    kinds = {entry["k"] for entry in entries if entry["u"].startswith(guide + "/")}
    assert kinds and not kinds & {"Guide", "Step", "Worksheet", "Reading"}


@pytest.mark.parametrize("guide, step, back, label", [
    ("umgang-mit-kritik", "trennen", "Zurück zur Stelle von Fußnote 1 im Text", "Für den Coach"),
    ("ob-otkaze", "razdelit", "Вернуться к тексту сноски 1", "Для коуча"),
    ("al-rafd", "al-haqaiq", "العودة إلى موضع الحاشية 1 في النص", "للمدرّب"),
])
def test_a_footnotes_back_link_and_a_coachs_note_are_in_the_guides_language(
        languages_site, languages_coach_site, guide, step, back, label):
    for site in (languages_site, languages_coach_site):
        page = (site / guide / f"{step}.html").read_text(encoding="utf-8")
        assert re.findall(r'<a class="footnote-backref" href="#fnref:1" title="([^"]*)">',
                          page) == [back]
    page = (languages_coach_site / guide / f"{step}.html").read_text(encoding="utf-8")
    assert re.findall(r'<div class="admonition coach">\s*<p class="coach-label">([^<]*)</p>',
                      page) == [label]
    assert f"„{label}“" in page or f"«{label}»" in page  # the edition's notice names it
    reader = (languages_site / guide / f"{step}.html").read_text(encoding="utf-8")
    assert "coach-label" not in reader and label not in reader


def test_a_site_changes_the_words_in_its_texts_in_site_yaml(tmp_path):
    site_yaml = ('title: T\nmessages:\n  "For the coach": Coach <only>\n'
                 '  "Back to the text of note %(num)s": Up to %(num)s\n')
    content = make_site(tmp_path, {
        **guide_files("en"),
        "g/1-one.md": "---\ntitle: One\n---\nA[^1].\n\n!!! coach\n    N.\n\n[^1]: B.\n"},
        site_yaml)
    build(make_config(tmp_path, content, edition="coach"))
    page = read(tmp_path, "g/one.html")
    assert '<p class="coach-label">Coach &lt;only&gt;</p>' in page
    assert 'href="#fnref:1" title="Up to 1">' in page


def test_an_unknown_language_is_an_error_with_its_line_and_the_list(tmp_path):
    content = make_site(tmp_path, guide_files("klingon"), "title: T\nlanguage: xx\n")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    text = str(error.value)
    choices = "the languages with a catalog are: ar, de, en, es, fr, pt, ru"
    assert 'site.yaml:2:1: unknown language "xx"' in text
    assert 'g/guide.md:4:1: unknown language "klingon"' in text
    assert text.count(choices) == 2
    assert not (tmp_path / "site").exists()


def test_a_language_without_a_catalog_is_english_with_one_warning(tmp_path):
    content = make_site(tmp_path, {**guide_files("ja"), "h/guide.md":
                                   '---\ntitle: H\nsummary: S.\nlanguage: "ja"\n---\n',
                                   "h/1-one.md": "---\ntitle: One\n---\nText.\n"})
    result = build(make_config(tmp_path, content))
    messages = [w.message for w in result.warnings]
    assert messages == ['there is no catalog for the language "ja": the theme\'s words on '
                        "its pages stay in English"]
    assert "Print blank" not in messages[0]
    assert ">1 step<" not in read(tmp_path, "g/index.html")  # (it says "1 step ·")
    assert "1 step · " in read(tmp_path, "g/index.html")


def read(root: Path, page: str) -> str:
    return (root / "site" / page).read_text(encoding="utf-8")


def test_missing_strings_fall_back_to_english_with_one_warning_naming_them(tmp_path):
    with (TEMPLATES / "locale" / "de.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    del catalog["Print blank"]
    del catalog[("%(num)s step", "%(num)s steps")]
    from babel.messages.pofile import write_po

    content = make_site(tmp_path, guide_files("de", worksheet="## Q\n[short]\n"))
    (content / "_templates" / "locale").mkdir(parents=True)
    with (content / "_templates" / "locale" / "de.po").open("wb") as handle:
        write_po(handle, catalog)
    result = build(make_config(tmp_path, content))
    assert [(w.path.endswith("content/g/guide.md"), w.line) for w in result.warnings] == [
        (True, 4)]
    assert result.warnings[0].message == (
        'the catalog for "de" has no translation for 2 strings, shown in English: '
        '"Print blank", "%(num)s step"')
    sheet = read(tmp_path, "g/worksheets/w.html")
    assert ">Print blank</button>" in sheet and ">Mit Antworten drucken<" in sheet
    assert "1 step · 1 Arbeitsblatt" in read(tmp_path, "g/index.html")


def test_a_catalog_begun_from_the_template_names_a_dozen_missing_strings_and_counts_the_rest(
        tmp_path):
    """A catalog copied from messages.pot and partly translated: one warning that names the
    first twelve strings without a translation and counts the rest (it named all 200, 15 KB
    on one line); a translation of spaces only is one of them, shown in English, not a
    button without words."""
    template = (TEMPLATES / "locale" / "messages.pot").read_text(encoding="utf-8")
    catalog = template.replace('msgid "Print blank"\nmsgstr ""',
                               'msgid "Print blank"\nmsgstr "   "')
    assert catalog != template
    content = make_site(tmp_path, guide_files("it", worksheet="## Q\n[short]\n"))
    (content / "_templates" / "locale").mkdir(parents=True)
    (content / "_templates" / "locale" / "it.po").write_text(catalog, encoding="utf-8")
    result = build(make_config(tmp_path, content))
    used = template_entries(environment(TEMPLATES))
    warning, = [w for w in result.warnings if "has no translation" in w.message]
    named = re.findall(r'"([^"]+)"', warning.message.split("shown in English: ")[1])
    assert named == list(used)[:12]
    assert warning.message.endswith(f", and {len(used) - 12} more (each msgstr left empty)")
    assert ">Print blank</button>" in read(tmp_path, "g/worksheets/w.html")


def test_a_translation_without_its_end_quote_is_an_error_on_its_line(tmp_path):
    """msgstr "Imprimer vide (the end quote forgotten) was read as "Imprimer vid" without a
    word, and a quote inside a text not written \\" cut it."""
    french = (TEMPLATES / "locale" / "fr.po").read_text(encoding="utf-8")
    broken = french.replace('msgstr "Imprimer sans réponses"', 'msgstr "Imprimer vide')
    assert broken != french
    content = make_site(tmp_path, guide_files("fr", worksheet="## Q\n[short]\n"))
    (content / "_templates" / "locale").mkdir(parents=True)
    (content / "_templates" / "locale" / "fr.po").write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    line = broken.split("\n").index('msgstr "Imprimer vide') + 1
    problem, = error.value.problems
    assert (problem.path.endswith("content/_templates/locale/fr.po"), problem.line,
            problem.col, problem.message, problem.hint, problem.source_line) == (
        True, line, 8, "this line's text is not one string between double quotes: Babel "
        "would read it without its last letter, or a part of it",
        'begin and end it with ", and write a " inside it as \\"', 'msgstr "Imprimer vide')


def test_a_coach_changes_strings_in_site_yaml(tmp_path):
    site_yaml = ('title: T\nmessages:\n  "Print blank": Print an empty copy\n'
                 '  "Print blnk": typo\n  de:\n    "Print blank": Leeres Blatt drucken\n')
    content = make_site(tmp_path, {
        **guide_files("de", worksheet="## Q\n[short]\n"),
        "e/guide.md": "---\ntitle: E\nsummary: S.\n---\n",
        "e/1-one.md": "---\ntitle: One\n---\nText.\n",
        "e/worksheets/w.md": "---\ntitle: W\nstep: 1\n---\n## Q\n[short]\n",
    }, site_yaml)
    result = build(make_config(tmp_path, content))
    assert [(Path(w.path).name, w.line, w.message) for w in result.warnings] == [
        ("site.yaml", 4, 'messages: "Print blnk" is not a string of the theme, so it changes '
         'nothing. Did you mean "Print blank"?')]
    assert ">Print an empty copy</button>" in read(tmp_path, "e/worksheets/w.html")
    assert ">Leeres Blatt drucken</button>" in read(tmp_path, "g/worksheets/w.html")


def test_messages_must_be_texts(tmp_path):
    content = make_site(tmp_path, guide_files("en"), "title: T\nmessages: yes\n")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    assert "site.yaml:2:" in str(error.value) and '"messages" should be' in str(error.value)


def test_a_coachs_catalog_adds_a_language_without_a_warning(tmp_path):
    """README, "Add a language": a catalog of a language the theme has none for is used, so
    it is no theme file "that replaces nothing"; one named after no language is warned."""
    content = make_site(tmp_path, guide_files("it", worksheet="## Q\n[short]\n"))
    locale = content / "_templates" / "locale"
    locale.mkdir(parents=True)
    french = (TEMPLATES / "locale" / "fr.po").read_text(encoding="utf-8")
    assert 'msgstr "Imprimer sans réponses"' in french
    (locale / "it.po").write_text(french.replace("Language: fr", "Language: it").replace(
        'msgstr "Imprimer sans réponses"', 'msgstr "Stampa vuota"'), encoding="utf-8")
    result = build(make_config(tmp_path, content, strict=True))
    assert [w.message for w in result.warnings] == []
    assert ">Stampa vuota</button>" in read(tmp_path, "g/worksheets/w.html")

    shutil.copy(locale / "it.po", locale / "italiano.po")
    result = build(make_config(tmp_path, content))
    assert [(w.path.endswith("content/_templates/locale/italiano.po"), w.message, w.hint)
            for w in result.warnings] == [(
                True, '"italiano" is not a language code, so no page uses this catalog',
                "name it after the code of its language, as the guides' `language:` gives it "
                "(fr.po, pt-BR.po)")]


def test_a_catalog_saved_in_another_encoding_is_an_error_on_its_line(tmp_path, capsys):
    """A .po saved as Latin-1 while its header says UTF-8 stopped the build with Babel's
    UnicodeDecodeError (serve: its "unexpected error" page); a byte order mark at its start
    made Babel print warnings. The first is an error naming the line, column and encoding;
    the second is read as it is meant."""
    content = make_site(tmp_path, guide_files("fr", worksheet="## Q\n[short]\n"))
    locale = content / "_templates" / "locale"
    locale.mkdir(parents=True)
    french = (TEMPLATES / "locale" / "fr.po").read_text(encoding="utf-8").replace(
        'msgstr "Imprimer sans réponses"', 'msgstr "Imprimer la page vierge"')
    (locale / "fr.po").write_bytes(b"\xef\xbb\xbf" + french.encode("utf-8"))
    build(make_config(tmp_path, content, strict=True))
    assert ">Imprimer la page vierge</button>" in read(tmp_path, "g/worksheets/w.html")
    printed = capsys.readouterr()
    assert printed.out + printed.err == ""  # no "WARNING: Problem on line 1" from Babel

    (locale / "fr.po").write_bytes(french.encode("cp1252"))  # as Windows' Notepad did
    first = next(index for index, char in enumerate(french) if not char.isascii())
    line = french.count("\n", 0, first) + 1
    quoted = french.split("\n")[line - 1]
    col = first - french.rfind("\n", 0, first)
    char = french[first]
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    problem, = error.value.problems
    assert (problem.path.endswith("content/_templates/locale/fr.po"), problem.line,
            problem.col, problem.message, problem.source_line) == (
        True, line, col, 'this file is not UTF-8: it looks like Windows-1252 text '
        f'("{char}" here is the byte 0x{char.encode("cp1252").hex()})', quoted)
    assert problem.hint.startswith("save it as UTF-8 in your editor")


def test_a_translation_pages_cannot_be_made_with_is_an_error_on_its_own_line(tmp_path):
    """A translator's % sign ("100%") or a renamed placeholder (%(numero)s), in a coach's
    catalog or in site.yaml's messages:, is an error on its own line, each one, saying what
    to write; it was one template error blamed on the theme's template that used it first
    ("templates/_print-tools.html:4:1: ... ValueError: unsupported format character")."""
    content = make_site(tmp_path, guide_files("it", "!!! tip\n    Breathe.\n",
                                              worksheet="## Q\n[short]\n"),
                        'title: T\nmessages:\n  "Print with my answers": Print 100% of it\n'
                        '  "Clear my answers": Clear 100%% of them\n'
                        '  "Step %(num)s": Step %(n)s\n  "Tip": 100% sure\n')
    locale = content / "_templates" / "locale"
    locale.mkdir(parents=True)
    french = (TEMPLATES / "locale" / "fr.po").read_text(encoding="utf-8")
    for english, wrong in [("Imprimer sans réponses", "Stampa al 100% vuota"),
                           ("Environ %(num)s minute", "Circa %(numero)s minuto"),
                           ("Environ %(num)s minutes", "Circa %(num)d minuti")]:
        assert f'"{english}"' in french
        french = french.replace(f'"{english}"', f'"{wrong}"', 1)
    (locale / "it.po").write_text(french, encoding="utf-8")
    lines = french.split("\n")
    where = {wrong: lines.index(next(line for line in lines if f'"{wrong}"' in line)) + 1
             for wrong in ("Stampa al 100% vuota", "Circa %(numero)s minuto",
                           "Circa %(num)d minuti")}
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content))
    problems = [(Path(p.path).as_posix().removeprefix(content.as_posix() + "/"), p.line, p.col,
                 p.message, p.hint) for p in error.value.problems]
    placeholders = "use the placeholders of the English as they are (%(num)s), and write a " \
                   "percent sign as %%"
    no_placeholders = "the English has no placeholders: write a percent sign as %%"
    assert sorted(problems) == sorted([
        ("_templates/locale/it.po", where["Stampa al 100% vuota"], 22,
         'the translation of "Print blank" has a % sign that is not a placeholder',
         no_placeholders),
        ("_templates/locale/it.po", where["Circa %(numero)s minuto"], 18,
         'the translation of "About %(num)s minute" uses %(numero)s, which is not one of its '
         "placeholders", placeholders),
        ("_templates/locale/it.po", where["Circa %(num)d minuti"], 18,
         'the translation of "About %(num)s minute" writes a placeholder as %(num)d, not as '
         "the English does", placeholders),
        ("site.yaml", 3, 37, 'messages: "Print with my answers" has a % sign that is not a '
         "placeholder", no_placeholders),
        ("site.yaml", 5, 24, 'messages: "Step %(num)s" uses %(n)s, which is not one of its '
         "placeholders", placeholders),
    ])
    assert "template error" not in str(error.value)
    assert not (tmp_path / "site").exists()

    # Written as the hints say, the pages show them.
    (locale / "it.po").write_text(french.replace("100% vuota", "100%% vuota").replace(
        "%(numero)s", "%(num)s").replace("%(num)d", "%(num)s"), encoding="utf-8")
    (content / "site.yaml").write_text(
        'title: T\nmessages:\n  "Print with my answers": Print 100%% of it\n'
        '  "Step %(num)s": Step %(num)s\n  it:\n    "Tip": 100% sure\n', encoding="utf-8")
    build(make_config(tmp_path, content))
    sheet = read(tmp_path, "g/worksheets/w.html")
    assert ">Stampa al 100% vuota</button>" in sheet
    assert ">Imprimer avec mes réponses</button>" in sheet  # site.yaml's first are English
    assert '<p class="admonition-title">100% sure</p>' in read(tmp_path, "g/index.html")


def test_counted_strings_with_fewer_forms_than_the_plural_rule_are_one_warning(tmp_path):
    """README, "Add a language": a catalog made from messages.pot has two forms of a counted
    string, as English does; Italian has three in Unicode CLDR (Babel's rule for a catalog
    without a Plural-Forms: line), and the third is the one for 2, 3 or 15, so "2 passi"
    was shown as "2 steps" without a word. Now one warning names those strings and the fix;
    with the rule of the forms given in the header, the page shows them."""
    content = make_site(tmp_path, {
        **guide_files("it", worksheet="## Q\n[short]\n"),
        "g/2-two.md": "---\ntitle: Two\n---\nText.\n"})
    locale = content / "_templates" / "locale"
    locale.mkdir(parents=True)
    catalog = (TEMPLATES / "locale" / "messages.pot").read_text(encoding="utf-8")
    for english, forms in [("%(num)s step", ("%(num)s passo", "%(num)s passi")),
                           ("%(num)s worksheet", ("%(num)s scheda", "%(num)s schede"))]:
        empty = f'msgid "{english}"\nmsgid_plural "{english}s"\nmsgstr[0] ""\nmsgstr[1] ""'
        assert empty in catalog
        catalog = catalog.replace(empty, empty.replace('msgstr[0] ""', f'msgstr[0] "{forms[0]}"')
                                  .replace('msgstr[1] ""', f'msgstr[1] "{forms[1]}"'))
    (locale / "it.po").write_text(catalog, encoding="utf-8")
    first = catalog.split("\n").index('msgid "%(num)s step"') + 1
    result = build(make_config(tmp_path, content))
    ours = [w for w in result.warnings if w.path.endswith("it.po")]
    assert [(Path(w.path).name, w.line, w.message, w.hint) for w in ours] == [(
        "it.po", first, 'the translations of 2 strings with a number have 2 forms, but "it" '
        "has 3 in Unicode CLDR (nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 "
        '? 1 : 2)): a number that takes a missing form is shown in English: "%(num)s step", '
        '"%(num)s worksheet"', "add msgstr[2] to each, or, if the language needs only the "
        "forms you wrote, give their rule in the catalog's header, e.g. \"Plural-Forms: "
        'nplurals=2; plural=(n != 1);\\n" for one and more than one, as in English')]
    assert "2 steps · 1 scheda" in read(tmp_path, "g/index.html")  # what readers got

    (locale / "it.po").write_text(catalog.replace(
        '"Generated-By:', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"Generated-By:'),
        encoding="utf-8")
    result = build(make_config(tmp_path, content))
    assert [w for w in result.warnings if w.path.endswith("it.po")] == []
    assert "2 passi · 1 scheda" in read(tmp_path, "g/index.html")
