"""The build, start to finish: load and check content, render pages, write the site."""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .errors import ContentError, Problem, Problems, project_path
from .load import Loader
from .model import Site
from .render import Renderer, environment
from .write import SiteWriter, build_lock


@dataclass
class Config:
    """Where things are; passed in explicitly so tests can point at temporary folders."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    output: Path = Path("site")
    strict: bool = False

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
    site, problems = loader.load()
    if not config.templates.is_dir():
        problems.extend([Problem(project_path(config.templates), 0, 0, "the templates folder "
                                 "does not exist", "pass --templates with the folder that "
                                 "holds base.html")])
    problems.raise_if_errors(config.strict)
    return site, loader, problems


def render_files(config: Config, site: Site, loader: Loader,
                 serve: bool = False) -> Iterator[tuple[str, bytes]]:
    """Yield every file of the site: pages, assets and content files copied as they are."""
    env = cached_environment(config)
    renderer = Renderer(site, env, serve=serve)
    yield from renderer.render_all()
    yield from asset_files(config.assets, "assets")
    for rel in loader.static:
        yield rel, (config.content / rel).read_bytes()


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


def asset_files(folder: Path, prefix: str) -> Iterator[tuple[str, bytes]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes()


def render_site(config: Config, site: Site, loader: Loader,
                serve: bool = False) -> dict[str, bytes]:
    """Render the whole site into memory, turning template errors into problems."""
    try:
        return dict(render_files(config, site, loader, serve))
    except jinja2.TemplateError as exc:
        raise ContentError([template_problem(exc, config)]) from None


def build(config: Config) -> Result:
    """Build content into the output folder atomically; the old site stays on any error."""
    started = time.perf_counter()
    site, loader, problems = check(config)
    files = render_site(config, site, loader)
    with build_lock(config.output), SiteWriter(config.output) as writer:
        writer.put_all(sorted(files.items()))
        writer.commit()
    pages = sum(1 for name in files if name.endswith(".html"))
    return Result(pages, len(files), writer.written, time.perf_counter() - started,
                  problems.warnings, site)


def template_problem(exc: jinja2.TemplateError, config: Config) -> Problem:
    """Describe a template error with the template's file and line."""
    name, line = "", 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename or exc.name or "", exc.lineno
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".svg", ".xml", ".txt")):
                name, line = frame.filename, frame.lineno or 0
                break
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
    if isinstance(exc, jinja2.UndefinedError):
        hint = "this name is not defined for this page: check its spelling in the template"
    elif isinstance(exc, jinja2.TemplateNotFound):
        hint = f"create the template, or check its name; templates are read from {config.templates}"
    return Problem(shown, line, 0, message, hint, source_line=source)
