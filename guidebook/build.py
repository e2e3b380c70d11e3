"""The build, start to finish: load and check content, render pages, write the site."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import time
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import markup, parallel, theme
from .cache import (
    BuildCache,
    GuideChanged,
    GuideRecords,
    PageKeys,
    code_digest,
    file_stamps,
    files_digest,
    keep_parts,
)
from .catalogs import check_languages, template_entries
from .errors import ContentError, Problem, Problems, path_text, project_path
from .frontmatter import find_too_deep
from .load import IGNORED, Loader
from .model import Guide, Site
from .offline import (
    MANIFEST,
    WORKER,
    hex_digests,
    service_worker,
    theme_colours,
    web_manifest,
    worker_source,
)
from .output import check_output
from .pdf import pdf_files, pdf_jobs, turn_on_pdf
from .render import (
    GuidePart,
    PageJob,
    Renderer,
    compile_templates,
    environment,
    extra_files,
    guide_jobs,
    guide_part,
    page_jobs,
)
from .template_errors import TemplateMistake, check_encodings, explain, template_frame
from .write import MemoryWriter, Placed, SiteWriter, build_lock, repair_interrupted_swap

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_PAGES = 200
SEARCH_GUIDES = 125  # guides whose search entries one task encodes, at most about
Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class Config:
    """Where things are; passed in explicitly so tests can point at temporary folders."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    output: Path = Path("site")
    strict: bool = False
    pdf: bool = False  # also make PDFs of the worksheets (site.yaml `pdf: true` does too)
    cache: bool = True  # keep converted Markdown and a manifest in .cache/ beside the output
    force: bool = False  # build into a folder that holds files Guidebook did not write
    edition: str = "reader"  # markup.EDITIONS: "coach" keeps the coach's notes (site-coach/)

    @property
    def overrides(self) -> Path:
        """A coach's own templates, used in place of the theme's ones of the same name."""
        return self.content / "_templates"

    @property
    def assets(self) -> Path:
        return self.templates / "assets"


@dataclass
class Result:
    pages: int = 0
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    site: Site | None = None  # on a build rendered by workers, its guides without bodies


def check(config: Config, loader: Loader | None = None,
          cache: BuildCache | None = None) -> tuple[Site, Loader, Problems]:
    """Load and check the content and the templates; raise ContentError on errors (and
    warnings if strict). Returns the site, the loader (its links, static files and file
    digests) and the problems (warnings only). `serve` passes its cache, which keeps the
    template environment and the templates' message ids between rebuilds."""
    loader = loader or Loader(config.content, edition=config.edition)
    try:
        site, problems = loader.load()
    except RecursionError:  # Markdown nested hundreds of levels deep: name the file instead
        raise ContentError(find_too_deep(config.content)) from None
    if not config.templates.is_dir():
        problems.extend([Problem(project_path(config.templates), 0, 0, "the templates folder "
                                 "does not exist", "pass --templates with the folder that "
                                 "holds base.html")])
    else:
        theme.check_overrides(config.templates, config.overrides, problems)
        theme.check_other_hosts(config.overrides, problems)
        check_encodings(config.overrides, problems)
        try:
            env, used = used_messages(config, cache)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):
            # Reported with its file and line elsewhere (check_encodings, rendering).
            used = None
        if used is not None:
            check_languages(site, env.guidebook_catalogs, used,  # type: ignore[attr-defined]
                            problems, project_path(config.templates))
    check_letter_case(output_origins(config, site, loader), problems)
    problems.raise_if_errors(config.strict)
    return site, loader, problems


def used_messages(config: Config, cache: BuildCache | None
                  ) -> tuple[jinja2.Environment, dict[str, str | None]]:
    """Return the template environment and every message id its templates use
    (catalogs.template_entries: parses every template).

    A build's cache keeps them on disk by the code and the templates' files (their names
    and bytes: cache.files_digest), so a build whose templates did not change does not parse
    them again; serve's keeps them in memory while no template file changed (by name, size
    and modification time), so a save of a content file does not. Raises
    jinja2.TemplateError, UnicodeDecodeError or OSError for a template that cannot be read.
    """
    if cache is None:
        env = environment(config.templates, config.overrides, reload=False)
        return env, template_entries(env)
    if not cache.serve:
        env = template_environment(config, cache)
        store = cache.template_messages
        if store is None:
            return env, template_entries(env)
        key = f"{cache.code}\0{files_digest([config.templates, config.overrides])}"
        used = store.get(key)
        if used is None:
            used = store[key] = template_entries(env)
        return env, used
    env = template_environment(config, cache)
    stamp = (id(env), *file_stamps([config.templates, config.overrides]))
    used = cache.messages.get(stamp)
    if used is None:
        cache.messages.clear()
        used = cache.messages[stamp] = template_entries(env)
    return env, used


def output_origins(config: Config, site: Site, loader: Loader) -> dict[str, tuple[str, str]]:
    """Map every file the site will have to where it comes from.

    Values are ("content", path in the content folder), ("templates", path of a theme
    file) or ("guidebook", "") for files made from several inputs (search index, sitemap).
    """
    origins: dict[str, tuple[str, str]] = {}
    for job in page_jobs(site):
        origins[job.path] = ("content", job.source) if job.source else ("guidebook", "")
    if config.pdf or site.settings.pdf:
        for pdf in pdf_jobs(site):
            origins[pdf.path] = ("content", pdf.source)
    for name in ("assets/search-index.js", "robots.txt", "sitemap.xml"):
        origins[name] = ("guidebook", "")
    for rel, path in theme.theme_files(config.templates, config.overrides).items():
        origins[rel] = ("templates", project_path(path))
    for rel in loader.static:
        origins[rel] = ("content", rel)
    return origins


def check_letter_case(origins: dict[str, tuple[str, str]], problems: Problems) -> None:
    """Report files of the site whose names differ only in letter case, naming both sources.

    Linux keeps `photo.png` and `Photo.png` apart; the default file systems of Windows and
    macOS, and many web hosts, see one file, so one would overwrite the other.
    """
    first: dict[str, str] = {}
    for path in sorted(origins):
        other = first.setdefault(path.casefold(), path)
        if other == path:
            continue
        kind, where = origins[other]
        named = (problems.named(where) if kind == "content" else path_text(where) if where
                 else f"the page {path_text(other)} that Guidebook makes")
        message = (f"this file and {named} have names that differ only in letter case "
                   f"({path_text(path)}, {path_text(other)} in the site): Windows, macOS and "
                   "many web hosts see one file, so one would overwrite the other")
        hint = "rename one of them (lowercase names are safest in web addresses)"
        kind, where = origins[path]
        if kind == "content":
            problems.add(where, 0, message, hint)
        else:
            problems.extend([Problem(where or path, 0, 0, message, hint)])


def build(config: Config, progress: Progress | None = None,
          cache: BuildCache | None = None) -> Result:
    """Build content into the output folder atomically; the old site stays on any error.

    The stages (docs/architecture.md): check where the site goes; load and check the
    content, converting Markdown on every core when the cache is cold; render each page
    whose key changed, in parallel on large sites, and the rest of the site's files into a
    new folder beside the output; swap it in. `cache` is the one the command line made (a
    new one when None); the build closes it. Raises ContentError, with nothing written, for
    any mistake in the content, the templates or the output folder.
    """
    started = time.perf_counter()
    cache = cache or BuildCache(config.output, enabled=config.cache)
    try:
        prepare_output(config)
        pages = content_pages(config.content)
        loader = make_loader(config, cache, pages)
        convert_in_parallel(config, cache, loader, progress, pages)
        site, loader, problems = check(config, loader, cache)
        cache.release_memory()  # the pages need the loaded site, not the conversions
        site = turn_on_pdf(site, config.pdf)
        with build_lock(config.output):
            writer = write_site(config, site, loader, cache, progress)
        cache.finish()
    finally:
        cache.close()
    written = sum(1 for name in writer.entries if name.endswith(".html"))
    return Result(written, len(writer.entries), writer.written, time.perf_counter() - started,
                  problems.warnings, site)


def prepare_output(config: Config) -> None:
    """Refuse an output folder that holds the coach's files (output.check_output, raises
    ContentError), and put a complete site back if a swap was cut short."""
    check_output(config.output, config.content, config.templates, config.force,
                 config.edition)
    if not os.path.lexists(config.output):
        with build_lock(config.output):
            repair_interrupted_swap(config.output)


def write_site(config: Config, site: Site, loader: Loader, cache: BuildCache,
               progress: Progress | None) -> SiteWriter:
    """Write every file of the site into a new folder and swap it in (hold the lock).

    With PDFs the site is rendered in memory first (the PDFs are made from its pages);
    otherwise pages stream into the new folder. Returns the writer (its manifest, counts).
    """
    with SiteWriter(config.output, cache.manifest(), cache.trash(), config.force) as writer:
        if site.settings.pdf:
            files = render_site(config, site, loader, cache)
            words = Renderer(site, template_environment(config, cache)).messages
            files.update(pdf_files(site, files.get, pdf_pages(config, site, cache), words))
            writer.put_all(sorted(files.items()))
        else:
            write_files(config, site, loader, cache, writer, progress)
        write_offline(config, site, writer)
        cache.forget_manifest()
        writer.commit()
    cache.save_manifest(writer.entries)
    return writer


def content_pages(content: Path) -> int:
    """Count the Markdown files of the guide folders: about the number of pages to build."""
    if not content.is_dir():
        return 0
    return sum(1 for folder in content.iterdir() if folder.is_dir()
               and not IGNORED.search(folder.name) for _ in folder.rglob("*.md"))


def make_loader(config: Config, cache: BuildCache, pages: int = 0) -> Loader:
    """Make a Loader that keeps converted Markdown and loaded guides in the cache.

    Guides loaded by another version of the code, Markdown or content folder path are not
    replayed (the salt of their stamps). A build of about `pages` pages that renders on
    several processes holds its guides without their bodies (Guide.without_bodies): the
    processes that render a guide's pages read its full record from the cache.
    """
    salt = loader_salt(config, cache.code) if cache.enabled else ""
    # PDFs are made from pages rendered here (pdf_pages): they need the full guides.
    slim = cache.enabled and not cache.serve and not config.pdf and worker_count(pages) > 1
    return Loader(config.content, cache.conversions, cache.guides, salt, config.edition,
                  slim)


def page_keys(config: Config, site: Site, loader: Loader, cache: BuildCache) -> PageKeys | None:
    """Key pages by code, templates, settings and the content files they are made from;
    None when the cache is off (every page is rendered)."""
    if not cache.enabled or not loader.digests:
        return None
    base = "\0".join([cache.code, markup.FINGERPRINT, repr(site.settings),
                      files_digest([config.templates, config.overrides])])
    return PageKeys(base, loader.digests)


def loader_salt(config: Config, code: str) -> str:
    """Return the salt of the stamps of a build's guide records: the code's hash
    (cache.code_digest), the Markdown fingerprint, the content folder and the edition."""
    return f"{code} {markup.FINGERPRINT} {Problems(config.content).prefix} {config.edition}"


def load_again(config: Config, slug: str, stamp: tuple) -> Guide:
    """Load one guide folder again, whole, where its pages are rendered: its record is not
    in the cache (a cache that cannot be written only costs time) or was replaced.

    Raises GuideChanged when a file of the folder changed since the build loaded it with
    `stamp`: its pages would not be what the build checked.
    """
    loader = Loader(config.content, None, {}, loader_salt(config, code_digest()),
                    config.edition)
    loader.load(only={slug}, checks=False)
    record = loader.folders.get(slug)
    if record is None or record[0] != stamp:
        raise GuideChanged(slug)
    return record[1]


def changed_problem(config: Config, slug: str) -> Problem:
    """Describe a guide whose files changed while the site was being built (GuideChanged)."""
    problems = Problems(config.content)
    problems.add(f"{slug}/", 0, "a file of this guide changed while the site was being built, "
                 "so its pages would not be what was checked", "build again")
    return problems.items[0]


def full_guide(config: Config, records: GuideRecords | None, guide: Guide) -> Guide:
    """Return the guide with its bodies: itself when the build holds it whole, else its
    record from the cache, else the guide loaded again (load_again: raises GuideChanged when
    a file of it changed since the build loaded it)."""
    if records is None or guide.slug not in records:
        return guide
    full = records.guide(guide.slug)
    if full is None:
        full = load_again(config, guide.slug, records.stamps[guide.slug])
    return full


def template_environment(config: Config, cache: BuildCache) -> jinja2.Environment:
    """Return the Jinja environment for the templates: one per build, kept in its cache (so
    templates compile once: build.render_into, convert_in_parallel); serve keeps one in its
    cache between rebuilds.

    serve's environment recompiles a template whose file changed (Jinja's auto_reload);
    adding or removing an override template changes the key, and so makes a new one.
    """
    if not cache.serve:
        env = cache.environments.get(("build",))
        if env is None:
            env = cache.environments[("build",)] = environment(
                config.templates, config.overrides, reload=False)
        return env
    overrides = config.overrides
    names = (tuple(sorted(p.relative_to(overrides).as_posix() for p in overrides.rglob("*")))
             if overrides.is_dir() else None)
    key = (config.templates.resolve(), overrides.resolve(), names)
    env = cache.environments.get(key)
    if env is None:
        cache.environments.clear()
        env = cache.environments[key] = environment(config.templates, config.overrides)
    return env


def render_site(config: Config, site: Site, loader: Loader,
                cache: BuildCache) -> dict[str, bytes]:
    """Render the whole site into memory: {path: bytes} (serve, check, PDFs), by the same
    path as a build (write_files). In serve, pages whose key is unchanged since the last
    rebuild are not rendered again: the cache keeps their bytes. Raises ContentError for a
    template error."""
    writer = MemoryWriter(cache.pages)
    write_files(config, site, loader, cache, writer, None)
    if cache.serve:
        cache.remember_pages(writer.rendered())
    return writer.files


# What rcssmin leaves: a leading zero (0.5rem is .5rem) and quotes around an attribute value
# that is a CSS identifier ([type="checkbox"] is [type=checkbox]; CSS Selectors 4, 6.1).
_CSS_ZERO = re.compile(r"(?<![\w.#-])0\.(\d)")
_CSS_QUOTED = re.compile(r"""\[([\w-]+)([~|^$*]?=)"([A-Za-z_][\w-]*)"\]""")


def pdf_pages(config: Config, site: Site, cache: BuildCache) -> dict[str, bytes]:
    """Render the pages PDFs are made from: worksheets and packets with PDF form fields.

    Returns {page path: HTML bytes}; these pages are never written. Raises ContentError on a
    template error.
    """
    renderer = Renderer(site, template_environment(config, cache))
    wanted = {job.page for job in pdf_jobs(site)}
    try:
        return {job.path: renderer.render_with(job, {**renderer.context(job), "pdf_form": True})
                for job in page_jobs(site) if job.path in wanted}
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None


def write_offline(config: Config, site: Site, writer: SiteWriter) -> None:
    """Write the web app manifest, then the service worker that lists every file written.

    Last, because the worker carries a hash of each file of the site (offline.py). `serve`
    never calls this: a coach editing the site should never see an offline copy.
    """
    # The page colours come from site.css: the coach's replacement of it, if there is one.
    stylesheet = theme.theme_files(config.templates, config.overrides).get("assets/css/site.css")
    css = stylesheet.read_text(encoding="utf-8") if stylesheet is not None else ""
    writer.put(MANIFEST, web_manifest(site.settings, theme_colours(css)))
    from rjsmin import jsmin
    source = jsmin(worker_source(config.templates, config.overrides))
    writer.put(WORKER, service_worker(dict(hex_digests(writer.entries)), source))


def minify_asset(path: Path) -> bytes:
    """Return a stylesheet or script without comments and spaces (rcssmin, rjsmin); other
    files as they are."""
    # Every page loads these: the readable sources stay in templates/assets.
    if path.suffix == ".css":
        from rcssmin import cssmin
        css = _CSS_QUOTED.sub(r"[\1\2\3]", _CSS_ZERO.sub(r".\1", cssmin(
            path.read_text(encoding="utf-8"))))
        return css.encode("utf-8")
    if path.suffix == ".js":
        from rjsmin import jsmin
        return jsmin(path.read_text(encoding="utf-8")).encode("utf-8")
    return path.read_bytes()


COACH_ASSETS = ("assets/css/coach.css",)  # the coach's edition's own: not the reader's


def theme_assets(config: Config) -> Iterator[tuple[str, bytes]]:
    """Yield the theme's assets, minified, with the coach's replacements and custom.css;
    the coach's edition's own stylesheet only in that edition."""
    for rel, path in theme.theme_files(config.templates, config.overrides).items():
        if config.edition == "coach" or rel not in COACH_ASSETS:
            yield rel, minify_asset(path)


def worker_count(pages: int) -> int:
    """Return how many processes to use for this many pages (1: do it here).

    GUIDEBOOK_JOBS=N in the environment sets the number for sites large enough to share.
    """
    if pages < PARALLEL_PAGES:
        return 1
    wanted = os.environ.get("GUIDEBOOK_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, min(parallel.cpu_count(), pages // 100))


@dataclass(frozen=True)
class ConvertWork:
    """What a worker needs to load guides into the persistent cache: the build's settings
    and the guide folders, split into tasks by (start, end) of `folders`."""

    config: Config
    folders: tuple[str, ...]


def convert_in_parallel(config: Config, cache: BuildCache, loader: Loader,
                        progress: Progress | None, pages: int | None = None) -> None:
    """Fill the cache using every core, when it is cold and the site is large.

    Workers load groups of guides with the same code as the real load and write what they
    converted and loaded to the persistent cache themselves (sending it back would cost a
    second copy in memory), returning the keys of the conversions they used; the real load,
    which follows, then replays every guide.
    """
    if cache.conversions is None or not config.content.is_dir():
        return
    folders = sorted(p.name for p in config.content.iterdir()
                     if p.is_dir() and not IGNORED.search(p.name))
    if pages is None:
        pages = content_pages(config.content)
    workers = worker_count(pages)
    if workers < 2 or len(folders) < 2:
        return
    # Look at three guides (first, middle, last): if at most one of them changed (an edit
    # touches one guide), the rest is most likely cached and loads faster here.
    sample = {folders[0], folders[len(folders) // 2], folders[-1]}
    if len(sample) - loader.replayable(sample) < min(2, len(sample)):
        return
    work = ConvertWork(config, tuple(folders))
    done = 0
    compiled = False
    for _, (used, count) in parallel.run(parallel.process_context(), workers, convert_guides,
                                         work, parallel.chunks(len(work.folders), workers * 4)):
        cache.conversions.mark_used(used)
        if not compiled:  # the workers are busy: compile the templates meanwhile
            compiled = True
            with contextlib.suppress(jinja2.TemplateError, UnicodeDecodeError, OSError):
                compile_templates(template_environment(config, cache))
        done += count
        if progress:
            progress("Converting guides", done, len(work.folders))


def convert_guides(work: ConvertWork, bounds: tuple[int, int]) -> tuple[list[str], int]:
    """In a worker: load some guides into the cache; return the conversions they used.

    The checks across the whole site run once, in the real load: not in every task.
    """
    cache = BuildCache(work.config.output)
    try:
        loader = make_loader(work.config, cache)
        loader.load(only=set(work.folders[bounds[0]:bounds[1]]), checks=False)
        cache.flush()
        return sorted(cache.conversions.used if cache.conversions else ()), bounds[1] - bounds[0]
    finally:
        cache.close()


def write_files(config: Config, site: Site, loader: Loader, cache: BuildCache,
                writer: SiteWriter | MemoryWriter, progress: Progress | None) -> None:
    """Render every page that changed into the writer, in parallel on large sites, with the
    guides' search entries the cache does not have; then the search index and sitemap, the
    theme's assets and the guides' static files.

    The one render path: a SiteWriter (build) writes a new folder, a MemoryWriter (serve,
    check, PDFs) keeps the files in memory. Raises ContentError for a template error.
    """
    keys = page_keys(config, site, loader, cache)
    todo: list[tuple[PageJob, str | None]] = []
    for job in page_jobs(site):
        key = keys.key(job.path, job.template, job.guide) if keys else None
        if not writer.reuse(job.path, key):
            todo.append((job, key))
    # The search index and sitemap depend on every guide: keyed by all of them.
    extras = keys.key("", "extra_files", None) if keys else None
    previous = writer.keyed(extras)
    reused = bool(previous) and all(writer.can_reuse(rel, extras) for rel in previous)
    search = None if reused else SearchParts(site, keys, cache.search_parts)
    env = template_environment(config, cache)
    records = GuideRecords(config.output, loader.stamps) if loader.stamps else None
    try:
        encoded = render_into(config, site, todo, search.missing if search else (), writer,
                              progress, env, records,
                              search.keys if search and search.store is not None else None,
                              cache.words)
        if search is None:
            for rel in previous:
                writer.reuse(rel, extras)
        else:
            by_slug = {guide.slug: guide for guide in site.guides}
            parts = search.found(encoded, lambda slug: guide_part(
                full_guide(config, records, by_slug[slug])))
            for rel, chunks in extra_files(site, cache.search, Renderer(site, env).messages,
                                           cache.words, parts):
                writer.put_parts(rel, chunks, extras)
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None
    except GuideChanged as changed:  # making a part the cache lost (SearchParts.found)
        raise ContentError([changed_problem(config, str(changed))]) from None
    finally:
        if records is not None:
            records.close()
    for rel, data in theme_assets(config):
        writer.put(rel, data)
    for rel in loader.static:
        writer.put(rel, (config.content / rel).read_bytes())


class SearchParts:
    """Each guide's part of the search index and the answer names (render.guide_part), by
    guide slug: those the cache keeps, and the guides whose parts are made while the pages
    render.

    A part is keyed like a page made from its guide (PageKeys: the code, templates,
    settings and the guide's files), so an edit makes one guide's part again.
    """

    def __init__(self, site: Site, keys: PageKeys | None,
                 store: MutableMapping[str, GuidePart] | None):
        self.store = store if keys is not None else None
        self.keys: dict[str, str] = {}
        self.known: dict[str, GuidePart] = {}
        missing = []
        for guide in site.guides:
            if keys is not None and self.store is not None:
                key = self.keys[guide.slug] = keys.key(guide.path, "search", guide.slug)
                hit = self.store.get(key)
                if hit is not None:
                    self.known[guide.slug] = hit
                    continue
            missing.append(guide.slug)
        self.missing = tuple(missing)

    def found(self, encoded: dict[str, GuidePart | None],
              make: Callable[[str], GuidePart]) -> dict[str, GuidePart]:
        """Keep the newly made parts in the cache; return every guide's part by slug.

        A part given as None is one a worker wrote to the cache itself (render_pages): it is
        read from there, or made with `make(slug)` if the cache could not keep it.
        """
        parts = dict(self.known)
        for slug, part in encoded.items():
            if part is None:
                key = self.keys.get(slug)
                part = self.store.get(key) if self.store is not None and key else None
                if part is None:
                    part = make(slug)
            elif self.store is not None:
                self.store[self.keys[slug]] = part
            parts[slug] = part
        return parts


def render_into(config: Config, site: Site, todo: list[tuple[PageJob, str | None]],
                search: tuple[str, ...], writer: SiteWriter | MemoryWriter,
                progress: Progress | None, env: jinja2.Environment,
                records: GuideRecords | None = None, part_keys: dict[str, str] | None = None,
                forms: dict[tuple[str, str], tuple[str, ...]] | None = None
                ) -> dict[str, GuidePart | None]:
    """Render pages with their keys into the writer, and make the parts of the search index
    and answer names of the guides named in `search` (slugs): here (with `env`), or on
    several processes that place the pages themselves and send back what they placed, and
    write the parts to the cache under `part_keys` (by slug) when given. `records` has the
    full guides of those the site holds without their bodies; `forms`, each word's forms
    in the search index (serve's BuildCache.words), kept between rebuilds when the work is
    done here. Returns {slug: GuidePart, or None for a part in the cache}."""
    workers = worker_count(len(todo))
    work = RenderWork(config, site, writer.share(), tuple(todo), search, env, records,
                      part_keys if workers > 1 else None, forms if workers < 2 else None)
    # The search entries first. A task stems each word of its guides once (slow), so not
    # too few guides per task; not too many either: a task holds its guides' entries.
    parts = max(1, workers, len(search) // SEARCH_GUIDES)
    tasks = ([("search", *bounds) for bounds in parallel.chunks(len(search), parts)
              if search] + [("pages", *bounds) for bounds in
                            parallel.chunks(len(todo), max(1, workers) * 4) if todo])
    encoded: dict[str, GuidePart | None] = {}
    if workers < 2:
        for task in tasks:
            part, _, problem, entries = render_pages(work, task, progress)
            writer.merge(part)
            encoded.update(entries)
            if problem is not None:
                raise ContentError([problem])
        return encoded
    context = parallel.process_context()
    if context.get_start_method() == "fork":
        work.renderer.prepare(job for job, _ in todo)  # compiled once, for every worker
    done = 0
    # Objects forked workers inherit stay shared while nothing writes to them; the collector
    # would (it marks every object it visits), so it leaves them alone meanwhile.
    gc.freeze()
    try:
        for _, (part, count, problem, entries) in parallel.run(
                context, workers, render_pages, work, tasks):
            if problem is not None:
                raise ContentError([problem])
            writer.merge(part)
            encoded.update(entries)
            done += count
            if progress and count:
                progress("Rendering pages", done, len(todo))
    finally:
        gc.unfreeze()
    return encoded


@dataclass
class RenderWork:
    """What rendering needs, here or in a worker: the build's settings, the site, a writer
    into the new site's folder, the pages with their keys and the guides whose search
    entries to encode (tasks are ("pages", start, end) of `todo` or ("search", start, end)
    of `search`). The template environment is made once, where the work runs."""

    config: Config
    site: Site
    writer: SiteWriter | MemoryWriter
    todo: tuple[tuple[PageJob, str | None], ...]
    search: tuple[str, ...] = ()
    env: jinja2.Environment | None = None  # the parent's; not sent to a spawned worker
    records: GuideRecords | None = None  # the full guides of those `site` holds slim
    part_keys: dict[str, str] | None = None  # workers write guides' parts to the cache
    forms: dict[tuple[str, str], tuple[str, ...]] | None = None  # serve's, kept (search_words)
    # The last guide's pages listed from its full record: ((slug, PageJob.guide), by path).
    last_full: tuple[tuple[str, str | None], dict[str, PageJob]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def full(self, guide: Guide) -> Guide:
        """Return the guide with its bodies (full_guide)."""
        return full_guide(self.config, self.records, guide)

    def page(self, job: PageJob) -> PageJob:
        """Return the page to render: as it is, or, for a guide `site` holds without its
        bodies, the same page listed from the guide's full record (render.guide_jobs). The
        last guide's pages are kept, as a task's pages come guide by guide."""
        guide = job.context.get("guide")
        if self.records is None or guide is None or guide.slug not in self.records:
            return job
        if self.last_full is None or self.last_full[0] != (guide.slug, job.guide):
            full = self.full(guide)
            self.last_full = ((guide.slug, job.guide), {
                page.path: page for page in guide_jobs(full, job.guide)})
        return self.last_full[1][job.path]

    def __getstate__(self) -> dict:
        """Pickle for a spawned worker: without the environment (it makes its own)."""
        state = dict(self.__dict__)
        state["env"] = None
        state.pop("renderer", None)
        state["last_full"] = None
        return state

    @functools.cached_property
    def renderer(self) -> Renderer:
        env = self.env or environment(self.config.templates, self.config.overrides,
                                      reload=False)
        return Renderer(self.site, env)


def render_pages(work: RenderWork, task: tuple[str, int, int], progress: Progress | None = None
                 ) -> tuple[Placed, int, Problem | None, dict[str, GuidePart | None]]:
    """Render some pages straight into the new site, or make some guides' parts of the
    search index and the answer names (render.guide_part), in a worker or here.

    Returns what it placed there (for SiteWriter.merge), the number of pages, the Problem
    of a template error or of a changed guide record, or None, and the parts by guide slug.
    """
    kind, start, end = task
    writer = work.writer.share()
    try:
        if kind == "search":
            wanted = set(work.search[start:end])
            # Shared by this task's guides (or serve's, kept between rebuilds).
            forms = work.forms if work.forms is not None else {}
            parts = {guide.slug: guide_part(work.full(guide), work.renderer.messages(
                guide.language), forms) for guide in work.site.guides if guide.slug in wanted}
            if work.part_keys is None:
                return writer.placed(), 0, None, parts
            # Tens of megabytes on a large site: to the cache, not through the parent.
            keep_parts(work.config.output, {work.part_keys[slug]: part
                                            for slug, part in parts.items()})
            return writer.placed(), 0, None, dict.fromkeys(parts)
        for number, (job, key) in enumerate(work.todo[start:end], start=1):
            writer.put(job.path, work.renderer.render(work.page(job)), key)
            if progress and number % 50 == 0:
                progress("Rendering pages", number, end - start)
    except jinja2.TemplateError as exc:
        return writer.placed(), 0, template_problem(exc, work.config), {}
    except GuideChanged as changed:
        return writer.placed(), 0, changed_problem(work.config, str(changed)), {}
    return writer.placed(), end - start, None, {}


UNCLOSED = re.compile(r"The innermost block that needs to be closed is '(\w+)'")
TAG = re.compile(r"\{%[-+]?\s*(\w+)")
BLOCK_TAGS = {"if", "for", "block", "macro", "call", "filter", "with", "trans", "autoescape",
              "raw"}


def unclosed_tag(path: Path, before: int, kind: str) -> tuple[int, str] | None:
    """Return (line, text) of the innermost `{% kind %}` still open at line `before`, or None.

    Walks the template's tags in order with a stack of the block tags Jinja pairs with an
    `{% end... %}` (the names from Jinja's own grammar); a `{% set %}` without `=` opens one.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    stack: list[tuple[str, int]] = []
    for number, text in enumerate(lines[:before], start=1):
        for match in TAG.finditer(text):
            word = match.group(1)
            if word in BLOCK_TAGS:
                stack.append((word, number))
            elif word.startswith("end") and stack and stack[-1][0] == word[3:]:
                stack.pop()
    for word, number in reversed(stack):
        if word == kind:
            return number, lines[number - 1]
    return None


def template_problem(exc: jinja2.TemplateError, config: Config) -> Problem:
    """Describe a template error with the template's file, line, the line itself and a hint.

    Syntax errors carry their own place; an error while rendering (TemplateMistake, or
    Jinja's own, like an undefined name) is placed at the innermost template frame.
    """
    name, line = "", 0
    failed: BaseException = exc.original if isinstance(exc, TemplateMistake) else exc
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename or exc.name or "", exc.lineno
    else:
        name, line = template_frame(failed)
    path = Path(name) if name else config.templates
    try:
        shown = path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = path.as_posix()
    source = ""
    if name and line:
        try:
            source = path.read_text(encoding="utf-8").splitlines()[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            source = ""
    message = f"template error: {exc.message or exc}"
    hint = "fix the template; a misspelt variable or a missing {% end... %} is the usual cause"
    unclosed = UNCLOSED.search(str(exc.message or "")) if isinstance(
        exc, jinja2.TemplateSyntaxError) else None
    opened = unclosed and name and line and unclosed_tag(path, line, unclosed.group(1))
    if opened:  # Jinja notices where the block should have ended: name where it began
        line, source = opened
        tag = unclosed.group(1)
        message = f"template error: this {{% {tag} %}} is never closed"
        hint = (f"add {{% end{tag} %}} where its part ends (Jinja noticed it missing at line "
                f"{exc.lineno})")
    elif isinstance(exc, TemplateMistake):
        words, hint = explain(failed)
        message = f"template error: {words}"
    elif isinstance(exc, jinja2.UndefinedError):
        hint = "this name is not defined for this page: check its spelling in the template"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f'template error: there is no template "{exc.name}"'
        hint = ("check its name, or create it in "
                f"{path_text(project_path(config.overrides) + '/')}: templates are read from "
                f"there first, then from {path_text(project_path(config.templates))}")
        if not (config.templates / "base.html").is_file():  # --templates content/_templates
            hint = (f"{path_text(project_path(config.templates))} is not a theme (it has no "
                    "base.html): pass --templates with the folder that holds the theme, or "
                    "leave --templates out for templates/ (your own files in "
                    f"{path_text('content/_templates/')} are used from there)")
    col = len(source) - len(source.lstrip()) + 1 if source.strip() else 0  # like content's
    return Problem(shown, line, col, message, hint, source_line=source)
