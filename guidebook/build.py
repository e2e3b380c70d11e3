"""The build, start to finish: load and check content, render pages, write the site."""

from __future__ import annotations

import functools
import gc
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import markup, parallel, render, theme
from .cache import (
    ConversionStore,
    PageKeys,
    cache_dir,
    code_digest,
    files_digest,
    forget_manifest,
    load_manifest,
    save_manifest,
)
from .errors import ContentError, Problem, Problems, project_path
from .frontmatter import find_too_deep
from .load import IGNORED, Loader
from .model import Site
from .output import check_output
from .pdf import pdf_files, pdf_jobs, turn_on_pdf
from .render import PageJob, Renderer, environment, extra_files, page_jobs
from .template_errors import TemplateMistake, check_encodings, explain, template_frame
from .write import Placed, SiteWriter, build_lock, repair_interrupted_swap

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_PAGES = 200
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
    site: Site | None = None


def check(config: Config, loader: Loader | None = None) -> tuple[Site, Loader, Problems]:
    """Load and check the content; raise ContentError on errors (and warnings if strict)."""
    loader = loader or Loader(config.content)
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
        check_encodings(config.overrides, problems)
    check_letter_case(output_origins(config, site, loader), problems)
    problems.raise_if_errors(config.strict)
    return site, loader, problems


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
        named = (problems.shown(where) if kind == "content" else where
                 or f"the page {other} that Guidebook makes")
        message = (f"this file and {named} have names that differ only in letter case "
                   f"({path}, {other} in the site): Windows, macOS and many web hosts see "
                   "one file, so one would overwrite the other")
        hint = "rename one of them (lowercase names are safest in web addresses)"
        kind, where = origins[path]
        if kind == "content":
            problems.add(where, 0, message, hint)
        else:
            problems.extend([Problem(where or path, 0, 0, message, hint)])


def render_files(config: Config, site: Site, loader: Loader,
                 serve: bool = False) -> Iterator[tuple[str, bytes]]:
    """Yield every file of the site: pages, assets and content files copied as they are.

    Pages whose key is unchanged since the last call with this loader are not rendered
    again (serve rebuilds with one loader): their bytes are kept on the loader.
    """
    env = cached_environment(config)
    renderer = Renderer(site, env, serve=serve)
    keys = page_keys(config, site, loader, serve)
    if render.SEARCH_MEMO is None:
        render.SEARCH_MEMO = {}  # rebuilds encode only the guides that changed
    known: dict[str, tuple[str | None, bytes]] = getattr(loader, "rendered", {})
    fresh: dict[str, tuple[str | None, bytes]] = {}
    for job in page_jobs(site):
        context = renderer.context(job)
        key = keys.key(job.path, job.template, context) if keys else None
        hit = known.get(job.path)
        data = hit[1] if key is not None and hit is not None and hit[0] == key else (
            renderer.render_with(job, context))
        fresh[job.path] = (key, data)
        yield job.path, data
    loader.rendered = fresh  # type: ignore[attr-defined]
    yield from extra_files(site)
    yield from theme_assets(config)
    for rel in loader.static:
        yield rel, (config.content / rel).read_bytes()


_CODE: list[str] = []


def page_keys(config: Config, site: Site, loader: Loader, serve: bool) -> PageKeys | None:
    """Key pages by code, templates, settings and the content files they are made from."""
    if not config.cache or not getattr(loader, "digests", None):
        return None
    if not _CODE:
        _CODE.append(code_digest())
    base = (f"{_CODE[0]}\0{markup.FINGERPRINT}\0"
            f"{files_digest([config.templates, config.overrides])}\0{serve}")
    return PageKeys(site, base, loader.digests)


def conversion_store(config: Config) -> ConversionStore | None:
    """Open the persistent cache of converted Markdown for this output folder."""
    if not config.cache:
        return None
    return ConversionStore(cache_dir(config.output) / "markdown.sqlite",
                           fingerprint=markup.FINGERPRINT)


def make_loader(config: Config) -> Loader:
    """Make a Loader that keeps converted Markdown and loaded guides in the persistent cache.

    `serve` may use it too: its first build is then as fast as a warm one.
    """
    loader = Loader(config.content, conversion_store(config))
    if config.cache:
        loader.folders = ConversionStore(cache_dir(config.output) / "markdown.sqlite", "guides")
        if not _CODE:
            _CODE.append(code_digest())
        loader.folder_salt = f"{_CODE[0]} {markup.FINGERPRINT} {Problems(config.content).prefix}"
    return loader


def stores(loader: Loader) -> list[ConversionStore]:
    """Return the loader's persistent tables."""
    return [s for s in (loader.converter.cache, loader.folders) if isinstance(s, ConversionStore)]


_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


def cached_environment(config: Config) -> jinja2.Environment:
    """Reuse one Jinja environment between rebuilds (serve), so templates compile once.

    Jinja's auto_reload recompiles a template whose file changed; adding or removing an
    override template changes the key, and so makes a new environment.
    """
    overrides = config.overrides
    names = (tuple(sorted(p.relative_to(overrides).as_posix() for p in overrides.rglob("*")))
             if overrides.is_dir() else None)
    key = (config.templates.resolve(), overrides.resolve(), names)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        _ENVIRONMENTS.clear()
        env = _ENVIRONMENTS[key] = environment(config.templates, config.overrides)
    return env


# What rcssmin leaves: a leading zero (0.5rem is .5rem) and quotes around an attribute value
# that is a CSS identifier ([type="checkbox"] is [type=checkbox]; CSS Selectors 4, 6.1).
_CSS_ZERO = re.compile(r"(?<![\w.#-])0\.(\d)")
_CSS_QUOTED = re.compile(r"""\[([\w-]+)([~|^$*]?=)"([A-Za-z_][\w-]*)"\]""")


def minify_asset(path: Path) -> bytes:
    """Return a stylesheet or script without comments and spaces; other files as they are."""
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


def theme_assets(config: Config) -> Iterator[tuple[str, bytes]]:
    """Yield the theme's assets, minified, with the coach's replacements and custom.css."""
    for rel, path in theme.theme_files(config.templates, config.overrides).items():
        yield rel, minify_asset(path)


def render_site(config: Config, site: Site, loader: Loader,
                serve: bool = False) -> dict[str, bytes]:
    """Render the whole site into memory, turning template errors into problems."""
    try:
        return dict(render_files(config, site, loader, serve))
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None


def pdf_pages(config: Config, site: Site) -> dict[str, bytes]:
    """Render the pages PDFs are made from: worksheets and packets with PDF form fields.

    Returns {page path: HTML bytes}; these pages are never written. Raises ContentError on a
    template error.
    """
    renderer = Renderer(site, cached_environment(config))
    wanted = {job.page for job in pdf_jobs(site)}
    try:
        return {job.path: renderer.render_with(job, {**renderer.context(job), "pdf_form": True})
                for job in page_jobs(site) if job.path in wanted}
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None


def build(config: Config, progress: Progress | None = None) -> Result:
    """Build content into the output folder atomically; the old site stays on any error.

    Markdown is converted in parallel when the cache is cold, pages are rendered in
    parallel on large sites and streamed to the writer (never all held in memory), and
    pages whose inputs did not change are linked from the current site, not rendered.
    """
    started = time.perf_counter()
    check_output(config.output, config.content, config.templates, config.force)
    if not os.path.lexists(config.output):
        with build_lock(config.output):  # a swap cut short: its complete site comes back
            repair_interrupted_swap(config.output)
    loader = make_loader(config)
    try:
        convert_in_parallel(config, loader, progress)
        site, loader, problems = check(config, loader)
        for store in stores(loader):
            store.flush()  # now, so that what it held in memory can go
            store.memory = {}
        site = turn_on_pdf(site, config.pdf)
        folder = cache_dir(config.output)
        with build_lock(config.output):
            manifest = load_manifest(folder, config.output) if config.cache else {}
            trash = folder / "trash" if config.cache else None
            with SiteWriter(config.output, manifest, trash, config.force) as writer:
                if site.settings.pdf:
                    files = render_site(config, site, loader)
                    files.update(pdf_files(site, files.get, pdf_pages(config, site)))
                    writer.put_all(sorted(files.items()))
                else:
                    write_files(config, site, loader, writer, progress)
                if config.cache:
                    forget_manifest(folder)
                writer.commit()
            if config.cache:
                save_manifest(folder, config.output, writer.entries)
        # Conversions are pruned only after a load that used every one of them: a guide
        # replayed from the cache does not say which conversions it was made from.
        replayed = getattr(loader.folders, "hits", 0) > 0
        for store in stores(loader):
            store.flush(prune=store is loader.folders or not replayed)
    finally:
        for store in stores(loader):
            store.close()
    pages = sum(1 for name in writer.entries if name.endswith(".html"))
    return Result(pages, len(writer.entries), writer.written, time.perf_counter() - started,
                  problems.warnings, site)


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


def convert_in_parallel(config: Config, loader: Loader, progress: Progress | None) -> None:
    """Fill the cache using every core, when it is cold and the site is large.

    Workers load groups of guides with the same code as the real load and write what they
    converted and loaded to the persistent cache themselves (sending it back would cost a
    second copy in memory), returning the keys of the conversions they used; the real load,
    which follows, then replays every guide.
    """
    store = loader.converter.cache
    if not isinstance(store, ConversionStore) or not config.content.is_dir():
        return
    folders = sorted(p.name for p in config.content.iterdir()
                     if p.is_dir() and not IGNORED.search(p.name))
    pages = sum(1 for name in folders for _ in (config.content / name).rglob("*.md"))
    workers = worker_count(pages)
    if workers < 2 or len(folders) < 2:
        return
    # Load three guides here (first, middle, last): if at most one of them had changed (an
    # edit touches one guide), the rest is most likely cached and loads faster here.
    sample = {folders[0], folders[len(folders) // 2], folders[-1]}
    loader.load(only=sample, checks=False)
    if len(sample) - loader.replayed < min(2, len(sample)):
        return
    work = ConvertWork(config, tuple(name for name in folders if name not in sample))
    done = 0
    for _, (used, count) in parallel.run(parallel.process_context(), workers, convert_guides,
                                         work, parallel.chunks(len(work.folders), workers * 4)):
        store.used.update(used)
        done += count
        if progress:
            progress("Converting guides", done, len(work.folders))


def convert_guides(work: ConvertWork, bounds: tuple[int, int]) -> tuple[list[str], int]:
    """In a worker: load some guides into the cache; return the conversions they used.

    The checks across the whole site run once, in the real load: not in every task.
    """
    loader = make_loader(work.config)
    try:
        loader.load(only=set(work.folders[bounds[0]:bounds[1]]), checks=False)
        for store in stores(loader):
            store.flush()
        return sorted(loader.converter.cache.used), bounds[1] - bounds[0]
    finally:
        for store in stores(loader):
            store.close()


def write_files(config: Config, site: Site, loader: Loader, writer: SiteWriter,
                progress: Progress | None) -> None:
    """Render every page that changed into the writer, in parallel on large sites."""
    env = cached_environment(config)
    renderer = Renderer(site, env)
    keys = page_keys(config, site, loader, serve=False)
    todo: list[tuple[PageJob, str | None]] = []
    for job in page_jobs(site):
        key = keys.key(job.path, job.template, renderer.context(job)) if keys else None
        if not writer.reuse(job.path, key):
            todo.append((job, key))
    workers = worker_count(len(todo))
    # Templates do not change during a build: check them once, here, rather than with a stat
    # of the template's file on every get_template (pages include and import several).
    if env.cache is not None:
        for name, template in list(env.cache.items()):
            if not template.is_up_to_date:
                del env.cache[name]
    reload, env.auto_reload = env.auto_reload, False
    try:
        if workers < 2:
            for number, (job, key) in enumerate(todo, start=1):
                writer.put(job.path, renderer.render(job), key)
                if progress and number % 50 == 0:
                    progress("Rendering pages", number, len(todo))
        else:
            work = RenderWork(config, site, writer.share(), tuple(todo))
            done = 0
            # Objects forked workers inherit stay shared while nothing writes to them; the
            # collector would (it marks every object it visits), so it leaves them alone.
            gc.freeze()
            for _, (part, count, problem) in parallel.run(
                    parallel.process_context(), workers, render_pages, work,
                    parallel.chunks(len(todo), workers * 4)):
                if problem is not None:
                    raise ContentError([problem])
                writer.merge(part)
                done += count
                if progress:
                    progress("Rendering pages", done, len(todo))
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None
    finally:
        env.auto_reload = reload
        gc.unfreeze()
    # The search index and sitemap depend on every guide: keyed by all of them.
    extras = keys.key("", "extra_files", {"site": site}) if keys else None
    previous = [rel for rel, entry in writer.manifest.items()
                if extras is not None and entry.key == extras]
    if previous and all(writer.can_reuse(rel, extras) for rel in previous):
        for rel in previous:
            writer.reuse(rel, extras)
    else:
        try:
            for rel, data in extra_files(site):
                writer.put(rel, data, extras)
        except jinja2.TemplateError as exc:
            raise ContentError([template_problem(exc, config)]) from None
    for rel, data in theme_assets(config):
        writer.put(rel, data)
    for rel in loader.static:
        writer.put(rel, (config.content / rel).read_bytes())


@dataclass
class RenderWork:
    """What a worker needs to render pages: the build's settings, the site, a writer into
    the new site's folder, and the pages to render with their keys (tasks are (start, end)
    of `todo`). The worker makes its own template environment, once."""

    config: Config
    site: Site
    writer: SiteWriter
    todo: tuple[tuple[PageJob, str | None], ...]

    @functools.cached_property
    def renderer(self) -> Renderer:
        env = environment(self.config.templates, self.config.overrides)
        env.auto_reload = False  # the templates do not change during a build
        return Renderer(self.site, env)


def render_pages(work: RenderWork, bounds: tuple[int, int]
                 ) -> tuple[Placed, int, Problem | None]:
    """In a worker: render some pages straight into the new site.

    Returns what it placed there (for SiteWriter.merge), the number of pages, and the
    Problem of a template error or None.
    """
    writer = work.writer.share()
    try:
        for job, key in work.todo[bounds[0]:bounds[1]]:
            writer.put(job.path, work.renderer.render(job), key)
    except jinja2.TemplateError as exc:
        return writer.placed(), 0, template_problem(exc, work.config)
    return writer.placed(), bounds[1] - bounds[0], None


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
        shown = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    source = ""
    if name and line:
        try:
            source = path.read_text(encoding="utf-8").splitlines()[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            source = ""
    message = f"template error: {exc.message or exc}"
    hint = "fix the template; a misspelt variable or a missing {% end... %} is the usual cause"
    if isinstance(exc, TemplateMistake):
        words, hint = explain(failed)
        message = f"template error: {words}"
    elif isinstance(exc, jinja2.UndefinedError):
        hint = "this name is not defined for this page: check its spelling in the template"
    elif isinstance(exc, jinja2.TemplateNotFound):
        hint = f"create the template, or check its name; templates are read from {config.templates}"
    col = len(source) - len(source.lstrip()) + 1 if source.strip() else 0  # like content's
    return Problem(shown, line, col, message, hint, source_line=source)
