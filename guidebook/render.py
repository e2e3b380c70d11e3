"""Render a Site with Jinja2 into `{relative path: bytes}`, every internal link relative."""

from __future__ import annotations

import gettext
import html
import io
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from . import __version__, i18n
from .catalogs import (
    ADMONITION_TITLES,
    BODY_TEXTS,
    SEARCH_TEXTS,
    WORKSHEET_TEXTS,
    Catalogs,
    Messages,
    page_functions,
)
from .i18n import search_words
from .markup import COACH_LABEL_CLASS, anchored, rebased
from .model import Guide, Site, Step, Worksheet
from .template_errors import TemplateMistake, made_by_template

WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and context, and what from.

    `guide` is the folder name of the guide the page is made from, or None for a page made
    from every guide (the home page). The page cache keys the page by that guide's files
    (or by all), so the context must hold nothing from another guide.
    """

    path: str
    template: str
    context: dict[str, Any] = field(hash=False, compare=False)
    source: str = ""  # the content file it came from (shown to the coach in serve mode)
    guide: str | None = None


def environment(templates: Path, overrides: Path | None = None,
                reload: bool = True) -> jinja2.Environment:
    """Make the Jinja2 environment: autoescape, StrictUndefined, overrides first.

    `reload` makes Jinja check a template's file before each use and recompile it when it
    changed (serve); a build's templates do not change while it runs.
    """
    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None and overrides.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.FileSystemLoader(str(templates)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=reload,
    )
    env.filters["reading_time"] = reading_time
    env.filters["tojson_attr"] = lambda value: json.dumps(value, sort_keys=True)
    env.globals["generator"] = f"Guidebook {__version__}"
    env.globals["lang_attrs"] = lang_attrs
    env.globals["in_language"] = in_language
    # True only in the worksheet and packet pages that PDFs are made from (form fields).
    env.globals["pdf_form"] = False
    # Each page's context brings its language's gettext (catalogs.page_functions); English
    # is what a template sees outside a page (and what `{% trans %}` compiles against).
    english = Messages("en", gettext.NullTranslations())
    env.globals["safe"] = body_words(english)  # each page's context has its language's
    env.install_gettext_callables(english.gettext, english.ngettext,  # type: ignore[attr-defined]
                                  newstyle=True)
    # Scripts' strings go into the page as JSON: keep every script's letters as they are.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False,
                                         "separators": (",", ":")}
    env.extend(guidebook_catalogs=Catalogs(
        [folder for folder in (overrides, templates) if folder is not None]))
    return env


@jinja2.pass_context
def lang_attrs(context: jinja2.runtime.Context, language: str) -> Markup:
    """Return the attributes that mark text in `language` on this page (its `lang`), e.g. a
    French guide's title on an English home page: i18n.language_attributes."""
    return Markup(i18n.language_attributes(language, context["lang"]))


@jinja2.pass_context
def in_language(context: jinja2.runtime.Context, text: str, language: str) -> Markup:
    """Return text (escaped) to put into a sentence of the page: in a <span lang> when it is
    in another language than the page's (lang_attrs), else as it is."""
    attributes = i18n.language_attributes(language, context["lang"])
    return Markup(f"<span{attributes}>{escape(text)}</span>") if attributes else escape(text)


def reading_time(words: int) -> int:
    """Return whole minutes to read a number of words, at least one."""
    return max(1, round(words / WORDS_PER_MINUTE))


def relative_url(page: str, target: str) -> str:
    """Return the link from page to target, both paths relative to the site root."""
    folder = posixpath.dirname(page) or "."
    fragment = ""
    if "#" in target:
        target, fragment = target.split("#", 1)
        fragment = "#" + fragment
    if target == page and fragment:
        return fragment
    return relative_path(target, folder) + fragment


def relative_path(target: str, folder: str) -> str:
    """posixpath.relpath for two paths under the site root, without its getcwd() per call."""
    if not target or ".." in target or ".." in folder or "/" in (target[0], folder[:1]):
        return posixpath.relpath(target, folder)
    to = [part for part in target.split("/") if part and part != "."]
    start = [part for part in folder.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


# The theme's words inside converted Markdown. Markdown is converted once per text and
# cached with no theme words in it (as the heading anchors' label, markup.AnchorProcessor):
# a footnote's back link carries only its note's number as its title, a coach's note an
# empty label. Each page fills them in its own language (a page's `safe`, body_words).
BACKLINK = re.compile(r'(<a class="footnote-backref" href="[^"]*" title=")(\d+)(">)&#8617;')
# The back link's arrow points back to the start of the line: ↩ left to right, ↪ right to
# left (neither is mirrored by the Unicode bidi algorithm: it has no Bidi_Mirrored glyph).
BACK_ARROWS = {"ltr": "&#8617;", "rtl": "&#8618;"}
COACH_LABEL = f'<p class="{COACH_LABEL_CLASS}"></p>'
# A link to the site's search or safety page in converted Markdown (load.SITE_PAGES): the
# pages of the guides are in folders, so it starts with ../; one into a guide's folder
# (../../guide/safety.html) has a folder name before the file's.
SITE_PAGE_LINK = re.compile(r'(<a href="(?:\.\./)+)(safety\.html|search\.html)(?=[#"])')
# An admonition the coach gave no title (markup.ThemeTitledAdmonition): its type, its title.
UNTITLED = re.compile(r'(<div class="admonition ([^" ]+)[^"]*">\s*<p class="admonition-title">)'
                      r'(</p>)')


def body_words(messages: Messages, own_pages: bool = False) -> Callable[[str], Markup]:
    """Return `safe` for a page in one language: it marks HTML from our own Markdown
    conversion as safe (the one place we do so) with the theme's words in it, from the
    page's catalog (catalogs.BODY_TEXTS): a footnote back link's title ("Back to the text
    of note 1") and its arrow (BACK_ARROWS, by the language's direction), a coach's
    note's label ("For the coach") and the title of an admonition the coach gave none
    ("Warning" for `!!! warning`: catalogs.ADMONITION_TITLES, else its type capitalized, as
    Python-Markdown's admonition extension writes it). The words are escaped: a site's
    `messages:` may hold any text. When the language has search and safety pages of its own
    (`own_pages`: it is one of page_languages), a link the coach wrote to the site's
    (../safety.html) leads to the language's (../safety.fr.html: language_page).
    """
    backlink = messages.gettext(BODY_TEXTS["backlink"])
    arrow = BACK_ARROWS[i18n.direction(messages.language)]
    label = f'<p class="{COACH_LABEL_CLASS}">{escape(messages.gettext(BODY_TEXTS["coach"]))}</p>'

    def titled(match: re.Match[str]) -> str:
        title = ADMONITION_TITLES.get(match[2])
        words = messages.gettext(title) if title else match[2].capitalize()
        return f"{match[1]}{escape(words)}{match[3]}"

    def safe_in_language(html: str) -> Markup:
        if 'class="footnote-backref"' in html:
            html = BACKLINK.sub(
                lambda m: f"{m[1]}{escape(backlink % {'num': m[2]})}{m[3]}{arrow}", html)
        if 'class="admonition-title"></p>' in html:
            html = UNTITLED.sub(titled, html)
        if own_pages and ('safety.html' in html or 'search.html' in html):
            html = SITE_PAGE_LINK.sub(
                lambda m: f"{m[1]}{language_page(m[2], messages.language, (messages.language,))}",
                html)
        return Markup(html.replace(COACH_LABEL, label))

    return safe_in_language


# Staying safe online: what the site keeps on the reader's device, how to erase it, help lines.
SAFETY_PAGE = "safety.html"
SEARCH_PAGE = "search.html"


def page_languages(site: Site) -> tuple[str, ...]:
    """Return the languages of the site's guides other than the site's own, sorted: each
    has its own search and safety pages (language_page), so a reader of a French guide on
    an English site finds how to stay safe in French."""
    own = site.settings.language
    return tuple(sorted({guide.language for guide in site.guides} - {own}))


def language_page(name: str, language: str, languages: tuple[str, ...]) -> str:
    """Return the path of a page made from every guide (SEARCH_PAGE, SAFETY_PAGE) in a
    language: its own (safety.fr.html) for one of `languages` (page_languages), else the
    site's (safety.html)."""
    if language not in languages:
        return name
    return f"{name.removesuffix('.html')}.{language}.html"


# An outbound link in a guide's safety note, as our Markdown conversion writes it.
LINK = re.compile(r'<a href="((?:https?|mailto|tel):[^"]+)"[^>]*>(.*?)</a>', re.DOTALL)


def safety_links(site: Site) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """Return the outbound links of each guide's safety note: ((guide title, its language,
    ((text, url), ...)), ...), so the Staying safe online page lists them beside site.yaml's
    help lines.

    Links are read from the note's HTML as our Markdown conversion writes it (`<a href="...">`);
    links within the site are left out, as they are relative to the guide's folder.
    """
    found = []
    for guide in site.guides:
        links = tuple(dict.fromkeys(
            (html.unescape(re.sub(r"<[^>]+>", "", text)), html.unescape(url))
            for url, text in LINK.findall(guide.safety_note_html)))
        if links:
            found.append((guide.title, guide.language, links))
    return tuple(found)


def page_jobs(site: Site) -> Iterator[PageJob]:
    """List every page of the site with its template and context, in a stable order.

    The pages made from every guide see each guide without the texts of its own pages
    (model.Guide.without_bodies), on every site: a large build holds no more in memory.
    """
    guides = tuple(guide.without_bodies() for guide in site.guides)
    yield PageJob("index.html", "home.html", {"guides": guides})
    yield PageJob("404.html", "404.html", {"guides": guides})
    help_lines = safety_links(site)
    languages = page_languages(site)
    for language in (site.settings.language, *languages):
        yield PageJob(language_page(SEARCH_PAGE, language, languages), "search.html",
                      {"guides": guides, "language": language})
        yield PageJob(language_page(SAFETY_PAGE, language, languages), "safety.html",
                      {"guides": guides, "guide_help": help_lines, "language": language},
                      "site.yaml")
    translated = translation_groups(site)
    for guide in site.guides:
        # A translated guide's pages link to its translations: they depend on every guide.
        yield from guide_jobs(guide, None if guide.slug in translated else guide.slug)


def guide_jobs(guide: Guide, depends: str | None) -> Iterator[PageJob]:
    """List the pages made from one guide (page_jobs), in a stable order; `depends` is the
    PageJob.guide of each: the guide's slug, or None when the pages depend on every guide.

    A build that holds its guides without their bodies (Guide.without_bodies) lists a
    guide's pages again from its full record where they are rendered (build.RenderWork).
    """
    yield PageJob(guide.path, "guide.html", {"guide": guide}, guide.source, depends)
    steps = guide.steps
    for index, step in enumerate(steps):
        yield PageJob(step.path, "step.html", {
            "guide": guide,
            "step": step,
            "previous": steps[index - 1] if index > 0 else None,
            "next": steps[index + 1] if index + 1 < len(steps) else None,
            "worksheets": guide.worksheets_for(step),
        }, step.source, depends)
    for worksheet in guide.worksheets:
        yield PageJob(worksheet.path, "worksheet.html", {
            "guide": guide,
            "worksheet": worksheet,
            "step": step_of(guide, worksheet),
        }, worksheet.source, depends)
    if guide.worksheets:
        yield PageJob(guide.packet_path, "packet.html", {"guide": guide},
                      f"{guide.slug}/worksheets/", depends)
        yield PageJob(guide.answers_path, "answers.html", {"guide": guide},
                      f"{guide.slug}/worksheets/", depends)


def answer_structure(guide: Guide) -> list[dict[str, Any]]:
    """Describe each worksheet's prompts for the My answers page's script (my-answers.js).

    Shape: [{"name": the worksheet's answers key "<guide>/<worksheet>" (answers.js), "slug",
    "title", "prompts": [{"title", "kind", and by kind: "answer": the saved answer's name
    (lines, short, scale), "items": [[name, label, the write-in's name or ""]] (checklist),
    "low", "high", "labels": [low label, high label] (scale), "columns": [...] and "cells":
    [[name of each column's cell] of each row] (table)}]}]. The names are the model's
    (model.Answer, made once by worksheet.answer_names): the ones the reader's answers are
    saved under.
    """
    sheets = []
    for worksheet in guide.worksheets:
        prompts = []
        for prompt in worksheet.prompts:
            field = prompt.field
            entry: dict[str, Any] = {"title": prompt.title, "kind": field.kind}
            if field.kind == "checklist":
                entry["items"] = [[item.answer.name, item.label,
                                   item.write_in.name if item.write_in else ""]
                                  for item in field.items]
            elif field.kind == "table":
                entry.update(columns=list(field.columns),
                             cells=[[cell.name for cell in row] for row in field.cells])
            else:
                entry["answer"] = field.answer.name
                if field.kind == "scale":
                    entry.update(low=field.low, high=field.high,
                                 labels=[field.low_label, field.high_label])
            prompts.append(entry)
        sheets.append({"name": worksheet.answers, "slug": worksheet.slug,
                       "title": worksheet.title, "prompts": prompts})
    return sheets


def answer_names_part(guide: Guide) -> tuple[tuple[str, str], ...]:
    """Return one guide's entries of assets/answer-names.js (answer_names_script): for each
    worksheet, its answers key and its entry, encoded as json.dumps writes it there."""
    return tuple((worksheet.answers, json.dumps(
        {"g": guide.title, "t": worksheet.title,
         "p": [[answer.name for answer in prompt.field.answers] for prompt in worksheet.prompts]},
        ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        for worksheet in guide.worksheets)


def answer_names_script(site: Site,
                        parts: dict[str, tuple[tuple[str, str], ...]] | None = None) -> bytes:
    """Return assets/answer-names.js: every worksheet of the site, for answers-backup.js
    (Export all's titles, Import's merge prompt by prompt). A script, so it loads from
    file:// too, on first use. `parts` has guides' entries already encoded
    (answer_names_part), by slug.

    Shape: `window.GUIDEBOOK_WORKSHEETS={"<guide>/<worksheet>" (its answers key): {"g": the
    guide's title, "t": the worksheet's, "p": [[the names of a prompt's answers], ... of each
    prompt]}};` with the names of model.Field.answers (made once by worksheet.answer_names),
    the keys in order as json.dumps(sort_keys=True) writes them.
    """
    entries = dict(entry for guide in site.guides for entry in (
        parts[guide.slug] if parts is not None and guide.slug in parts
        else answer_names_part(guide)))
    body = ",".join(json.dumps(key, ensure_ascii=False) + ":" + entries[key]
                    for key in sorted(entries))
    return b"window.GUIDEBOOK_WORKSHEETS={" + body.encode() + b"};\n"


def translation_groups(site: Site) -> dict[str, tuple[Guide, ...]]:
    """Return each translated guide's group: itself and its translations, by language.

    Guides are linked by `translation_of:` in either direction, and through each other (a
    German and a Spanish translation of one English guide are translations of each other).
    Returns {guide slug: guides of its group}, only for guides that have a translation.
    """
    by_slug = {guide.slug: guide for guide in site.guides}
    parent = {slug: slug for slug in by_slug}

    def root(slug: str) -> str:
        while parent[slug] != slug:
            slug = parent[slug]
        return slug

    for guide in site.guides:
        if guide.translation_of in by_slug:
            parent[root(guide.slug)] = root(guide.translation_of)
    groups: dict[str, list[Guide]] = {}
    for guide in site.guides:
        groups.setdefault(root(guide.slug), []).append(guide)
    return {guide.slug: tuple(sorted(group, key=lambda g: (g.language.lower(), g.slug)))
            for group in groups.values() if len(group) > 1 for guide in group}


def counterpart(job: PageJob, other: Guide) -> str:
    """Return the page of a translated guide that matches a page of the original: the guide,
    the step of the same number, the worksheet of the same file name (else at the same
    place), the packet, the My answers page; else the translation's guide page."""
    guide: Guide = job.context["guide"]
    if job.template == "step.html":
        number = job.context["step"].number
        return next((s.path for s in other.steps if s.number == number), other.path)
    if job.template == "worksheet.html":
        slug = job.context["worksheet"].slug
        same = next((w.path for w in other.worksheets if w.slug == slug), "")
        if same:
            return same
        index = guide.worksheets.index(job.context["worksheet"])
        return (other.worksheets[index].path if len(other.worksheets) == len(guide.worksheets)
                else other.path)
    if job.template == "packet.html" and other.worksheets:
        return other.packet_path
    if job.template == "answers.html" and other.worksheets:
        return other.answers_path
    return other.path


def language_name(language: str) -> str:
    """Return a language's name in itself (Unicode CLDR, through Babel): "de" -> "Deutsch"."""
    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name(
            language.replace("-", "_")) or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


def step_of(guide: Guide, worksheet: Worksheet) -> Step | None:
    for step in guide.steps:
        if step.number == worksheet.step:
            return step
    return None


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every HTML template of the environment now (Jinja compiles a page's parents
    and includes only when the page renders); one that cannot be compiled is left to the
    page that uses it, which reports it with its line."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):
            continue


class Renderer:
    """Render pages of one site with one template environment."""

    def __init__(self, site: Site, env: jinja2.Environment):
        self.site = site
        self.env = env
        self.catalogs: Catalogs = getattr(env, "guidebook_catalogs", None) or Catalogs(())
        self._messages: dict[str, Messages] = {}
        self.groups = translation_groups(site)
        self.languages = page_languages(site)  # with search and safety pages of their own

    def prepare(self, jobs: Iterable[PageJob]) -> None:
        """Compile the templates of these pages, and the other templates they may extend,
        include or import, and read their languages' catalogs now, so that worker processes
        forked afterwards share them instead of each doing it.

        Raises jinja2.TemplateError for a page's own template; another template that cannot
        be compiled is left to the page that uses it (which reports it with its line).
        """
        templates, languages = set(), {self.site.settings.language}
        for job in jobs:
            templates.add(job.template)
            guide = job.context.get("guide")
            if guide is not None:
                languages.add(guide.language)
            if "language" in job.context:
                languages.add(job.context["language"])
        for name in sorted(templates):
            self.env.get_template(name)
        compile_templates(self.env)
        for language in sorted(languages):
            self.messages(language)

    def alternates(self, job: PageJob, url: Callable[[str], str]) -> tuple[dict[str, Any], ...]:
        """Return the page in every language of its guide's group, its own included:
        {lang, name, href (absolute with base_url, else relative), current}."""
        guide = job.context.get("guide")
        group = self.groups.get(guide.slug, ()) if guide is not None else ()
        base = self.site.settings.base_url
        found = []
        for other in group:
            # By slug: the page's guide may be the full one of a guide the site holds slim.
            current = other.slug == guide.slug
            path = job.path if current else counterpart(job, other)
            found.append({"lang": other.language, "name": language_name(other.language),
                          "href": base + path.removesuffix("index.html") if base else url(path),
                          "current": current})
        return tuple(found)

    def messages(self, language: str) -> Messages:
        """Return the strings of a page language: its catalog and the site's overrides."""
        known = self._messages.get(language)
        if known is None:
            known = self._messages[language] = self.catalogs.messages(
                language, self.catalogs.overrides(self.site.settings, language))
        return known

    def render(self, job: PageJob) -> bytes:
        """Render one page to bytes."""
        return self.render_with(job, self.context(job))

    def context(self, job: PageJob) -> dict[str, Any]:
        """Return what the page's template sees (the page cache keys pages by it)."""
        page = job.path

        base_url = self.site.settings.base_url

        def url(target: str) -> str:
            # A host serves 404.html at any missing address, at any depth: relative links
            # would break there, so with a known base_url its links are absolute.
            if page == "404.html" and base_url:
                return base_url + target
            return relative_url(page, target)

        guide = job.context.get("guide")
        language = (guide.language if guide is not None else
                    job.context.get("language", self.site.settings.language))
        context = {
            "site": self.site.settings,
            "lang": language,
            "dir": i18n.direction(language),
            "paper": i18n.paper(language, self.site.settings.paper),
            **page_functions(self.messages(language)),
            "safe": body_words(self.messages(language), language in self.languages),
            # The site's own words (its title and tagline) joined in the site's language.
            "site_gettext": page_functions(self.messages(self.site.settings.language))["_"],
            "alternates": self.alternates(job, url),
            "page": page,
            "source": job.source,
            "root": url("index.html")[: -len("index.html")],
            # site.yaml's footer is written from the top folder: its links lead there.
            "footer_html": rebased(self.site.settings.footer_html,
                                   url("index.html")[: -len("index.html")]),
            "url": url,
            # The search and safety pages in the page's language (language_page).
            "search_page": language_page(SEARCH_PAGE, language, self.languages),
            "safety_page": language_page(SAFETY_PAGE, language, self.languages),
            "anchored": anchored,
            "canonical": (self.site.settings.base_url + page.removesuffix("index.html"))
            if self.site.settings.base_url else "",
            **job.context,
        }
        if job.template == "answers.html" and guide is not None:
            # Made when the page renders, not each time the pages are listed (page_jobs).
            context["sheets"] = answer_structure(guide)
        return context

    def render_with(self, job: PageJob, context: dict[str, Any]) -> bytes:
        """Render one page from its context.

        Raises jinja2.TemplateError for a mistake in a template, TemplateMistake (one too)
        when a template's expression fails (e.g. a TypeError), anything else for a bug.
        """
        try:
            return self.env.get_template(job.template).render(context).encode("utf-8")
        except jinja2.TemplateError:
            raise
        except Exception as exc:
            if made_by_template(exc):
                raise TemplateMistake(exc) from exc
            raise

def search_index(site: Site, memo: dict[str, tuple[Guide, bytes]] | None = None,
                 messages: Callable[[str], Messages] | None = None,
                 forms: dict[tuple[str, str], tuple[str, ...]] | None = None,
                 parts: dict[str, bytes] | None = None) -> list[bytes]:
    """Return the search index as a script, so it loads from file:// too (no fetch), in the
    parts it is joined from: the index of a large site is tens of megabytes, and the writer
    writes the parts one after the other (SiteWriter.put_parts).

    `parts` has guides' entries already encoded (search_part), by slug; `memo` (serve's
    BuildCache.search) keeps each guide's encoded entries by slug, so a rebuild encodes
    again only the guides that changed (a new Guide object); `messages` gives a language's
    strings (Renderer.messages) for the kinds of page and search.js; `forms` each word's
    forms (i18n.search_words; serve's BuildCache.words keeps them between rebuilds, else
    they are kept for this index only).
    """
    chunks: list[bytes] = []
    forms = {} if forms is None else forms
    for guide in site.guides:
        part = parts.get(guide.slug) if parts is not None else None
        known = memo.get(guide.slug) if memo is not None and part is None else None
        if known is not None and known[0] is guide:
            part = known[1]
        if part is None:
            part = search_part(guide, messages(guide.language) if messages else None, forms)
        if memo is not None:
            memo[guide.slug] = (guide, part)
        chunks += [b",", part] if chunks else [part]
    return [b"window.GUIDEBOOK_SEARCH=[", *chunks, b"];\n", b"window.GUIDEBOOK_SEARCH_TEXT=",
            script_texts(site, messages, SEARCH_TEXTS), b";\n"]


# A guide's part of the files made from every guide (guide_part): its encoded search entries
# (search_part) and its entries of the answer names (answer_names_part).
GuidePart = tuple[bytes, tuple[tuple[str, str], ...]]


def guide_part(guide: Guide, messages: Messages | None = None,
               forms: dict[tuple[str, str], tuple[str, ...]] | None = None) -> GuidePart:
    """Return one guide's part of the search index and of the answer names (GuidePart)."""
    return search_part(guide, messages, forms), answer_names_part(guide)


def search_part(guide: Guide, messages: Messages | None = None,
                forms: dict[tuple[str, str], tuple[str, ...]] | None = None) -> bytes:
    """Return one guide's search entries (search_entries) encoded for the index: joined with
    commas, each one exactly as json.dumps writes it in the list of all entries."""
    return ",".join(json.dumps(entry, ensure_ascii=False, sort_keys=True,
                               separators=(",", ":"))
                    for entry in search_entries(guide, messages, forms)).encode()


def script_texts(site: Site, messages: Callable[[str], Messages] | None,
                 table: dict[str, tuple[str, dict[str, str]]]) -> bytes:
    """Return a script's words in every language of the site's pages, as JSON by language.

    The script takes those of its page's `lang`. They come in a file the script loads on
    first use (the search index, worksheet-text.js) rather than in every page, which keeps
    pages light; the words are the catalogs', never the script's own.
    """
    languages = sorted({site.settings.language, *(g.language for g in site.guides)})
    texts = {}
    for language in languages:
        gettext = messages(language).gettext if messages else str
        texts[language] = {key: gettext(message) % values
                           for key, (message, values) in table.items()}
    return json.dumps(texts, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def search_entries(guide: Guide, messages: Messages | None = None,
                   forms: dict[tuple[str, str], tuple[str, ...]] | None = None
                   ) -> list[dict[str, str]]:
    """Return the search entries of one guide: itself, its steps, worksheets and reading.

    The kinds of page ("Step", ...) are in the guide's language (`messages`); `forms` is
    the memo of words' forms shared by the guides of one index (i18n.search_words).
    """
    _ = messages.gettext if messages is not None else str
    language = guide.language
    entries = []
    # "l": the guide's language, "d": its direction when right to left; search.js marks a
    # result shown on a page in another language with them (WCAG 3.1.2 Language of Parts).
    marks = {"l": language, **({"d": "rtl"} if i18n.direction(language) == "rtl" else {})}

    def add(title: str, path: str, kind: str, summary: str, text: str, full: str) -> None:
        # "w": every word of the page and its stem in the guide's language (i18n.search_words)
        entries.append({"t": title, "u": path, "k": kind, "g": guide.title, "s": summary,
                        "x": text, "w": search_words(f"{title} {summary} {full}", language,
                                                      forms), **marks})

    add(guide.title, guide.path, _("Guide"), guide.summary, excerpt(guide.text), guide.text)
    for step in guide.steps:
        title = _("Step %(num)s: %(title)s") % {"num": step.number, "title": step.title}
        add(title, step.path, _("Step"), step.summary, excerpt(step.text), step.text)
    for ws in guide.worksheets:
        prompts = " ".join(p.title for p in ws.prompts)
        add(ws.title, ws.path, _("Worksheet"), ws.summary, prompts, prompts)
    if guide.reading:
        for item in guide.reading.items:
            add(item.title, f"{guide.path}#reading", _("Reading"), item.publisher, "", "")
    return entries


def excerpt(text: str, words: int = 400) -> str:
    """Return the first words of a text, enough to find a page by what it says."""
    return " ".join(text.split()[:words])


def extra_files(site: Site, search_memo: dict[str, tuple[Guide, bytes]] | None = None,
                messages: Callable[[str], Messages] | None = None,
                forms: dict[tuple[str, str], tuple[str, ...]] | None = None,
                parts: dict[str, GuidePart] | None = None) -> Iterator[tuple[str, list[bytes]]]:
    """Yield the files that are not pages, each as the parts it is joined from: the search
    index (see search_index for `search_memo`, `messages` and `forms`), the worksheets'
    answer names (answer_names_script), the words of the worksheet scripts, the accent
    colours' stylesheet, sitemap, robots.txt and QR codes. `parts` has guides' parts of
    the first two already made (guide_part), by slug."""
    yield "assets/search-index.js", search_index(
        site, search_memo, messages, forms,
        {slug: part[0] for slug, part in parts.items()} if parts is not None else None)
    yield "assets/answer-names.js", [answer_names_script(
        site, {slug: part[1] for slug, part in parts.items()} if parts is not None else None)]
    # The words of the page's language (its <html lang>), else of the site's language.
    yield "assets/worksheet-text.js", [
        b"window.GUIDEBOOK_WORKSHEET_TEXT=(all=>all[document.documentElement.lang]||all["
        + json.dumps(site.settings.language).encode() + b"])("
        + script_texts(site, messages, WORKSHEET_TEXTS) + b");\n"]
    if site.settings.accent_css:
        yield "assets/css/accent.css", [site.settings.accent_css.encode()]
    base = site.settings.base_url
    if base and site.settings.print_link:
        for guide in site.guides:
            for worksheet in guide.worksheets:
                yield worksheet.qr_path, [qr_svg(base + worksheet.path)]
    if not base:
        yield "robots.txt", [b"User-agent: *\nAllow: /\n"]
        return
    groups = translation_groups(site)
    body = f"  <url><loc>{escape_xml(base)}</loc></url>\n"
    for job in page_jobs(site):
        if job.path in ("index.html", "404.html") or job.template in (
                "search.html", "answers.html"):  # a search, the reader's own page: noindex
            continue
        guide = job.context.get("guide")
        # A translated page lists itself in every language (hreflang, as in its <head>).
        links = ""
        for other in groups.get(guide.slug, ()) if guide is not None else ():
            path = job.path if other is guide else counterpart(job, other)
            links += (f'<xhtml:link rel="alternate" hreflang="{escape_xml(other.language)}" '
                      f'href="{escape_xml(base + path.removesuffix("index.html"))}"/>')
        body += (f"  <url><loc>{escape_xml(base + job.path.removesuffix('index.html'))}</loc>"
                 f"{links}</url>\n")
    namespace = (' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if groups else "")
    yield "sitemap.xml", [(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespace}>\n'
        f"{body}</urlset>\n"
    ).encode()]
    yield "robots.txt", [f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()]


def qr_svg(address: str) -> bytes:
    """Return a QR code (ISO/IEC 18004, made by segno) of an address as SVG bytes.

    Black on white with the standard four-module quiet zone, medium error correction (a
    printed code survives a fold or a smudge), no fixed size: the stylesheet sizes it.
    The same address always gives the same bytes.
    """
    import segno  # only sites with a base_url print QR codes

    svg = io.BytesIO()
    segno.make_qr(address, error="m").save(svg, kind="svg", xmldecl=False, omitsize=True,
                                           border=4, svgclass=None, lineclass=None)
    return svg.getvalue()


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
