"""Render a Site with Jinja2 into `{relative path: bytes}`, every internal link relative."""

from __future__ import annotations

import io
import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import __version__, i18n
from .markup import slug
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
    env.globals["safe"] = safe
    env.globals["column_ids"] = column_ids
    # True only in the worksheet and packet pages that PDFs are made from (form fields).
    env.globals["pdf_form"] = False
    return env


def column_ids(columns: tuple[str, ...]) -> list[str]:
    """Return an id for each column of a table prompt, from its heading (markup.slug),
    unique within the table: a repeated heading's id gets -2, -3... (PDF field names)."""
    ids: list[str] = []
    for column in columns:
        ident = base = slug(column)
        number = 1
        while ident in ids:
            number += 1
            ident = f"{base}-{number}"
        ids.append(ident)
    return ids


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


def safe(html: str) -> Markup:
    """Mark HTML from our own Markdown conversion as safe: the one place we do so."""
    return Markup(html)


def page_jobs(site: Site) -> Iterator[PageJob]:
    """List every page of the site with its template and context, in a stable order."""
    yield PageJob("index.html", "home.html", {"guides": site.guides})
    yield PageJob("404.html", "404.html", {"guides": site.guides})
    yield PageJob("search.html", "search.html", {"guides": site.guides})
    for guide in site.guides:
        yield PageJob(guide.path, "guide.html", {"guide": guide}, guide.source, guide.slug)
        steps = guide.steps
        for index, step in enumerate(steps):
            yield PageJob(step.path, "step.html", {
                "guide": guide,
                "step": step,
                "previous": steps[index - 1] if index > 0 else None,
                "next": steps[index + 1] if index + 1 < len(steps) else None,
                "worksheets": guide.worksheets_for(step),
            }, step.source, guide.slug)
        for worksheet in guide.worksheets:
            yield PageJob(worksheet.path, "worksheet.html", {
                "guide": guide,
                "worksheet": worksheet,
                "step": step_of(guide, worksheet),
            }, worksheet.source, guide.slug)
        if guide.worksheets:
            yield PageJob(guide.packet_path, "packet.html", {"guide": guide},
                          f"{guide.slug}/worksheets/", guide.slug)


def step_of(guide: Guide, worksheet: Worksheet) -> Step | None:
    for step in guide.steps:
        if step.number == worksheet.step:
            return step
    return None


class Renderer:
    """Render pages of one site with one template environment."""

    def __init__(self, site: Site, env: jinja2.Environment):
        self.site = site
        self.env = env

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
        language = guide.language if guide is not None else self.site.settings.language
        context = {
            "site": self.site.settings,
            "lang": language,
            "dir": i18n.direction(language),
            "paper": i18n.paper(language, self.site.settings.paper),
            "page": page,
            "source": job.source,
            "root": url("index.html")[: -len("index.html")],
            "url": url,
            "canonical": (self.site.settings.base_url + page.removesuffix("index.html"))
            if self.site.settings.base_url else "",
            **job.context,
        }
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

def search_index(site: Site, memo: dict[str, tuple[Guide, bytes]] | None = None) -> bytes:
    """Return the search index as a script, so it loads from file:// too (no fetch).

    `memo` (serve's BuildCache.search) keeps each guide's encoded entries by slug, so a
    rebuild encodes again only the guides that changed (a new Guide object).
    """
    parts = []
    for guide in site.guides:
        known = memo.get(guide.slug) if memo is not None else None
        if known is not None and known[0] is guide:
            parts.append(known[1])
            continue
        # Encoded one entry at a time and joined, this is exactly json.dumps(all entries).
        part = ",".join(json.dumps(entry, ensure_ascii=False, sort_keys=True,
                                   separators=(",", ":"))
                        for entry in search_entries(guide)).encode()
        if memo is not None:
            memo[guide.slug] = (guide, part)
        parts.append(part)
    return b"window.GUIDEBOOK_SEARCH=[" + b",".join(parts) + b"];\n"


def search_entries(guide: Guide) -> list[dict[str, str]]:
    """Return the search entries of one guide: itself, its steps, worksheets and reading."""
    entries = []
    entries.append({"t": guide.title, "u": guide.path, "k": "Guide", "g": guide.title,
                    "s": guide.summary, "x": excerpt(guide.text)})
    for step in guide.steps:
        entries.append({"t": f"Step {step.number}: {step.title}", "u": step.path,
                        "k": "Step", "g": guide.title, "s": step.summary,
                        "x": excerpt(step.text)})
    for ws in guide.worksheets:
        entries.append({"t": ws.title, "u": ws.path, "k": "Worksheet", "g": guide.title,
                        "s": ws.summary, "x": " ".join(p.title for p in ws.prompts)})
    if guide.reading:
        for item in guide.reading.items:
            entries.append({"t": item.title, "u": f"{guide.path}#reading",
                            "k": "Reading", "g": guide.title, "s": item.publisher,
                            "x": ""})
    return entries


def excerpt(text: str, words: int = 400) -> str:
    """Return the first words of a text, enough to find a page by what it says."""
    return " ".join(text.split()[:words])


def extra_files(site: Site, search_memo: dict[str, tuple[Guide, bytes]] | None = None
                ) -> Iterator[tuple[str, bytes]]:
    """Yield the files that are not pages: the search index (see search_index for
    `search_memo`), the accent colours' stylesheet, sitemap, robots.txt and QR codes."""
    yield "assets/search-index.js", search_index(site, search_memo)
    if site.settings.accent_css:
        yield "assets/css/accent.css", site.settings.accent_css.encode()
    base = site.settings.base_url
    if base and site.settings.print_link:
        for guide in site.guides:
            for worksheet in guide.worksheets:
                yield worksheet.qr_path, qr_svg(base + worksheet.path)
    if not base:
        yield "robots.txt", b"User-agent: *\nAllow: /\n"
        return
    urls = [base]
    for job in page_jobs(site):
        if job.path not in ("index.html", "404.html", "search.html"):
            urls.append(base + job.path.removesuffix("index.html"))
    body = "".join(f"  <url><loc>{escape_xml(u)}</loc></url>\n" for u in urls)
    yield "sitemap.xml", (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    ).encode()
    yield "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()


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
