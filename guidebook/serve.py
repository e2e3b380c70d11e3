"""`python build.py serve`: build, serve the site, rebuild on every change, reload the browser.

Three parts work together:

- a watcher thread (watchfiles: inotify, no polling) waits for changes in the content and
  templates folders, lets an editor's save settle, and rebuilds with one long-lived Loader so
  its caches make the rebuild cheap; only files whose bytes changed are written;
- tornado's IOLoop (the main thread) serves files from the output folder, never outside it,
  and adds to each HTML page, on the way out only: the reload script, a badge naming the
  source file, and after a failed build the error page or a banner;
- livereload's websocket handler tells the browser to reload once a rebuild has finished.

A rebuild never stops the server: content errors, template errors and unexpected exceptions
are all caught, shown in the browser and printed, and the next save tries again.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import os
import re
import socket
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta
import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher as LiveReloadWatcher
from tornado import httpserver, ioloop, netutil, web
from tornado.websocket import WebSocketHandler

from .build import (
    Config,
    check,
    convert_in_parallel,
    make_loader,
    render_site,
    template_environment,
)
from .cache import BuildCache
from .catalogs import TEMPLATE_SUFFIXES
from .errors import ContentError, Problem
from .offline import WORKER, retiring_worker
from .output import check_output
from .pdf import pdf_jobs
from .render import compile_templates, environment, page_jobs
from .write import build_lock, clean_leftovers, update_in_place

DEV_PREFIX = "__guidebook__"
DEV_ASSETS = Path(__file__).resolve().parent / "devassets"
# watchfiles reports a batch once no new change came for one step (so 1-2 steps after the
# last event); editors finish a save within a few milliseconds (and a save caught halfway,
# a file missing or empty, waits until it is back, up to SETTLE_SECONDS). Every step of it
# adds to save-to-page.
STEP_MS = 10
# A file that vanished or is empty is usually an editor halfway through a save (delete and
# recreate, or truncate and write): wait for it to be back, at most this long (a file really
# deleted or emptied is then built so; a loaded computer can pause the editor a long while).
SETTLE_SECONDS = 2.0
SETTLE_POLL_SECONDS = 0.01
EDITOR_DEBRIS = re.compile(
    r"(^4913$|^#.*#$|~$|\.sw[a-p]$|\.swx$|\.tmp$|\.bak$|\.kate-swp$|___jb_(tmp|old)___$)"
)
PAGE_SUFFIXES = ("", ".html", ".htm")
DEV_ASSET_NAME = re.compile(r"^[a-z0-9-]+\.(css|js)$")


@dataclass(frozen=True)
class PageInfo:
    """Where a page came from: its content file (empty for generated pages) and template."""

    source: str
    template: str


@dataclass(frozen=True)
class State:
    """The outcome of the last rebuild, read by request handlers on another thread."""

    ok: bool = True
    problems: tuple[Problem, ...] = ()
    crash: str = ""  # the traceback of an unexpected error
    pages: dict[str, PageInfo] = field(default_factory=dict)  # from the last good build
    failed: frozenset[str] = frozenset()  # content files with errors, relative to content/
    everywhere: bool = False  # an error no single page owns (site.yaml, the site's code)
    # The page templates that use a template with an error (by extends, include or import):
    # their pages show the error page, the others the last good build.
    broken_templates: frozenset[str] = frozenset()
    content: Path = Path("content")

    def shows_error(self, page: str) -> bool:
        """Say whether a page is replaced by the error page (else it gets a banner)."""
        if self.ok:
            return False
        if self.everywhere:
            return True
        info = self.pages.get(page)
        if info is not None and info.template in self.broken_templates:
            return True
        if info is None or not info.source:
            return False
        if info.source.endswith("/"):  # the packet: made from every worksheet of a guide
            return any(path.startswith(info.source) for path in self.failed)
        # A page whose file was deleted or renamed is out of date too.
        return info.source in self.failed or not (self.content / info.source).exists()

    def same_outcome(self, other: State) -> bool:
        return (self.ok, self.problems, self.crash) == (other.ok, other.problems, other.crash)


@dataclass
class Outcome:
    """What one rebuild did, for the console and for deciding whether to reload."""

    state: State
    message: str
    reload: bool


def folder_id(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def same_bytes(old: bytes | None, new: bytes) -> bool:
    return old is new or old == new


def shown_path(path: Path, folder: bool = False) -> str:
    """Return a path as the coach would type it: relative to here when inside here, with the
    system's separator (and one at the end for a `folder`: site/, site\\ on Windows)."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    return os.path.join(shown, "") if folder else shown


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Rebuilder:
    """Rebuild the site into the output folder and remember how the last rebuild went."""

    def __init__(self, config: Config, cache: BuildCache):
        self.config = config
        # One cache and one loader for the whole session, so what they keep lasts; the cache
        # keeps converted Markdown on disk too (beside the output): the next serve starts warm.
        self.cache = cache
        self.loader = make_loader(config, cache)
        self.lock = threading.Lock()
        # The last files written. Comparing with them (by identity first: unchanged pages
        # may come back as the very same bytes from the render cache) is cheaper than
        # hashing every file or reading it back from disk.
        self.files: dict[str, bytes] = {}
        self.output_id: tuple[int, int] | None = None  # which folder they were written to
        self.state = State()
        self.built = False

    def rebuild(self, files_moved: bool = True) -> Outcome:
        """Load, check, render and write what changed; never raise.

        files_moved says a file may have been added, removed or renamed (not only edited),
        so which content file each page comes from must be worked out again.
        """
        with self.lock:
            previous = self.state
            started = time.perf_counter()
            try:
                outcome = self.build_once(started, files_moved)
            except ContentError as exc:
                outcome = self.failure(exc.problems, "", started)
            except Exception:  # noqa: BLE001 - the server must outlive any bug
                outcome = self.failure([], traceback.format_exc(), started)
            if not outcome.state.ok:
                outcome.reload = not outcome.state.same_outcome(previous)
            elif not previous.ok:
                outcome.reload = True
            self.state = outcome.state
            self.save_cache()
            return outcome

    def save_cache(self, close: bool = False) -> None:
        """Write new conversions to the persistent cache; a cache that fails costs only time."""
        try:
            self.cache.flush()
            if close:
                self.cache.close()
        except Exception:  # noqa: BLE001
            print(traceback.format_exc().rstrip(), file=sys.stderr, flush=True)

    def warm_up(self) -> None:
        """Convert a cold site's Markdown on every core (forks: call before any thread)."""
        try:
            convert_in_parallel(self.config, self.cache, self.loader, None)
        except Exception:  # noqa: BLE001 - only a head start; the first build does the rest
            print(traceback.format_exc().rstrip(), file=sys.stderr, flush=True)

    def build_once(self, started: float, files_moved: bool) -> Outcome:
        config = self.config
        site, _, problems = check(config, self.loader, self.cache)
        files = render_site(config, site, self.loader, self.cache)
        previous = self.files
        replaced = folder_id(config.output) != self.output_id
        if replaced:
            previous = {}  # the folder was removed or replaced: compare with the disk again
        changed = [(rel, data) for rel, data in files.items()
                   if not same_bytes(previous.get(rel), data)]
        keep = set(files)
        if site.settings.pdf:
            # PDFs take seconds each, too slow for every save: `python build.py` makes them,
            # and serve keeps the ones already in the output folder (they may be out of date).
            keep.update(job.path for job in pdf_jobs(site))
        with build_lock(config.output):
            clean_leftovers(config.output)  # a build killed mid-swap: its site comes back
            config.output.mkdir(parents=True, exist_ok=True)
            written, removed = update_in_place(config.output, changed, keep=keep,
                                               force=config.force)
        pages = self.state.pages
        if files_moved or not pages or files.keys() != previous.keys():
            pages = {job.path: PageInfo(job.source, job.template) for job in page_jobs(site)}
        self.files = files
        self.output_id = folder_id(config.output)
        ms = (time.perf_counter() - started) * 1000
        first = not self.built
        self.built = True
        if first:
            # A large site's first build renders in worker processes: compile the templates
            # here now, so the first save does not (about 0.1 s).
            compile_templates(template_environment(config, self.cache))
        changed_pages = sum(1 for rel, _ in changed if rel.endswith(".html"))
        if first:
            message = f"Built {plural(len(pages), 'page')} in {ms:.0f} ms"
            if site.settings.pdf:
                message += (" (PDFs are made by `python build.py`, not on every save: the "
                            f"ones in {os.path.join(config.output, '')} are served as they are)")
        else:
            parts = [plural(changed_pages, "page") + " changed"] if changed_pages else []
            if len(changed) > changed_pages:
                parts.append(plural(len(changed) - changed_pages, "other file") + " changed")
            if replaced:
                parts = [plural(written, "file")
                         + f" written into a new {os.path.join(config.output, '')}"]
            if removed:
                parts.append(plural(removed, "file") + " removed")
            message = f"Rebuilt in {ms:.0f} ms ({', '.join(parts) or 'no changes'})"
        if problems.warnings:  # the warnings, then the summary: "no errors, 2 warnings"
            message = "\n".join(p.format() for p in problems.warnings) + (
                f"\n{message}: no errors, {plural(len(problems.warnings), 'warning')}.")
        state = State(ok=True, problems=tuple(problems.warnings), pages=pages)
        return Outcome(state, message, reload=bool(written or removed or first))

    def failure(self, problems: list[Problem], crash: str, started: float) -> Outcome:
        ms = (time.perf_counter() - started) * 1000
        pages = self.state.pages
        errors = [p for p in problems if p.is_error] or list(problems)
        failed = frozenset(self.content_relative(p.path) for p in errors)
        sources = {info.source for info in pages.values() if info.source}
        # A template with an error spoils only the pages made with it (or with a template
        # that uses it); the others keep their last good build, with a banner.
        templates = {path: self.template_name(path) for path in (p.path for p in errors)}
        broken = {name for name in templates.values() if name}
        users = templates_using(broken, {info.template for info in pages.values()},
                                self.config) if broken else frozenset()
        owned = {self.content_relative(path) for path, name in templates.items() if name}
        everywhere = bool(crash) or not pages or users is None or any(
            path not in sources and path not in owned for path in failed)
        state = State(ok=False, problems=tuple(problems), crash=crash, pages=pages,
                      failed=failed, everywhere=everywhere, broken_templates=users or frozenset(),
                      content=self.config.content)
        if crash:
            message = (f"{crash.rstrip()}\nThe rebuild hit an unexpected error after {ms:.0f} "
                       "ms (most likely a bug in Guidebook, not a mistake in your content). "
                       "Still serving the last good build; the next change tries again.")
        else:
            count = sum(1 for p in problems if p.is_error)
            still = ("Still serving the last good build" if self.built else
                     "The browser shows these problems")
            message = "\n".join(p.format() for p in problems) + (
                f"\nThe build failed ({plural(count, 'error')}) in {ms:.0f} ms. {still}; fix "
                "the file and save, and the site comes back.")
        return Outcome(state, message, reload=False)

    def template_name(self, path: str) -> str:
        """Return the template a problem's file is (its name, as in {% extends %}), or ""."""
        try:
            full = (Path.cwd() / path).resolve()
        except OSError:
            return ""
        for folder in (self.config.overrides, self.config.templates):
            try:
                name = full.relative_to(folder.resolve()).as_posix()
            except (ValueError, OSError):
                continue
            return name if name.endswith(TEMPLATE_SUFFIXES) else ""
        return ""

    def content_relative(self, path: str) -> str:
        """Return a problem's path relative to the content folder, as page sources are."""
        # Problems name files relative to content/, to here, or in full: accept all three.
        try:
            return (Path.cwd() / path).resolve().relative_to(
                self.config.content.resolve()).as_posix()
        except (ValueError, OSError):
            return path


def templates_using(broken: set[str], page_templates: set[str],
                    config: Config) -> frozenset[str] | None:
    """Return the page templates that are, or use, one of the `broken` templates, through
    {% extends %}, {% include %}, {% import %} and {% from %} (jinja2.meta), or None when
    that cannot be told (a template named by a variable): then every page is spoilt.

    A template that does not parse (the broken one itself) names nothing it uses.
    """
    env = environment(config.templates, config.overrides, reload=False)
    uses: dict[str, set[str] | None] = {}

    def used_by(name: str) -> set[str] | None:
        if name not in uses:
            uses[name] = set()  # a cycle ends here
            try:
                source = env.loader.get_source(env, name)[0] if env.loader else ""
                found = set(jinja2.meta.find_referenced_templates(env.parse(source)))
            except (jinja2.TemplateError, OSError, UnicodeDecodeError):
                found = set()
            if None in found:
                uses[name] = None
                return None
            named: set[str] = {name}
            for other in found:
                deeper = used_by(other)
                if deeper is None:
                    uses[name] = None
                    return None
                named |= deeper
            uses[name] = named
        return uses[name]

    spoilt = set()
    for template in page_templates:
        names = used_by(template)
        if names is None:
            return None
        if names & broken:
            spoilt.add(template)
    return frozenset(spoilt)


class WatchStarted:
    """The stop event given to watchfiles.watch, which polls it every step once its watch is
    set up (watchfiles 1.x): the first poll sets `ready`, so serve's first build starts only
    once a save during it would be seen (setting `ready` as the generator was made was too
    early: the generator does nothing until it is first iterated)."""

    def __init__(self, stopping: threading.Event, ready: threading.Event):
        self.stopping = stopping
        self.ready = ready

    def is_set(self) -> bool:
        """Say whether the watch should stop (watchfiles' stop_event protocol)."""
        self.ready.set()
        return self.stopping.is_set()


class ChangeWatcher(threading.Thread):
    """Wait for changes to content and templates, rebuild, then ask browsers to reload."""

    def __init__(self, config: Config, rebuilder: Rebuilder, on_rebuilt):
        super().__init__(name="guidebook-watcher", daemon=True)
        self.config = config
        self.rebuilder = rebuilder
        self.on_rebuilt = on_rebuilt
        self.stopping = threading.Event()
        self.output = config.output.resolve()
        self.ready = threading.Event()
        wanted = sorted({config.content.resolve(), config.templates.resolve()})
        # The folders to watch, without one nested in another.
        self.roots = [p for p in wanted if not any(o != p and o in p.parents for o in wanted)]
        # What symlinks in the content point at, outside it: watched too (linked_targets).
        self.linked: tuple[frozenset[Path], frozenset[Path]] = (frozenset(), frozenset())
        self.resync = False  # set when the watch restarts because the links changed

    def wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Say whether a change matters: not editor debris, hidden files or our output."""
        target = Path(path)
        if target == self.output or self.output in target.parents:
            return False
        if EDITOR_DEBRIS.search(target.name):
            return False
        folders, files = self.linked
        if target in files:
            return True
        for root in (*self.roots, *folders):
            if target == root:
                return True
            if root in target.parents:
                return not any(part.startswith(".")
                               for part in target.relative_to(root).parts)
        return False

    def run(self) -> None:
        while not self.stopping.is_set():
            roots = self.roots
            present = [p for p in roots if p.is_dir()]
            self.linked = linked_targets(self.config.content)
            try:
                self.watch(roots, present)
            except Exception:  # noqa: BLE001 - keep watching whatever goes wrong
                print(traceback.format_exc().rstrip(), file=sys.stderr, flush=True)
                print("The file watcher hit an error; watching again in a second.",
                      file=sys.stderr, flush=True)
                self.stopping.wait(1)

    def watch(self, roots: list[Path], present: list[Path]) -> None:
        """Watch until a watched folder appears or disappears (then watch again)."""
        if not present:
            self.ready.set()
            while not self.stopping.wait(0.5):
                if any(p.is_dir() for p in roots):
                    self.rebuild()
                    return
            return
        # Symlinked files and folders are watched where they really are (the system's file
        # events name the real file, not the link).
        folders, files = self.linked
        paths = [*present, *sorted(p for p in folders | files
                                   if not any(r in p.parents for r in present))]
        # Time out every half second so a missing folder that comes back is noticed.
        # The generator sets the watch up on its first step only: `ready` once it polls.
        changes_seen = watchfiles.watch(*paths, watch_filter=self.wanted, step=STEP_MS,
                                        stop_event=WatchStarted(self.stopping, self.ready),
                                        rust_timeout=500, yield_on_timeout=True,
                                        raise_interrupt=False)
        # Watching again after a change to the links: a save while the watch was being set
        # up would be missed, so the first report (at most half a second on) rebuilds.
        resync, self.resync = self.resync, False
        for changes in changes_seen:
            if [p for p in roots if p.is_dir()] != present:
                self.rebuild()
                return
            if changes or resync:
                resync = False
                self.settle(changes)
                self.rebuild(any(kind != watchfiles.Change.modified for kind, _ in changes))
                # A link added, removed or pointed elsewhere, or a linked file replaced (an
                # editor's save-by-rename): watch again, the new targets.
                if (any(kind != watchfiles.Change.modified and Path(path) in files
                        for kind, path in changes)
                        or linked_targets(self.config.content) != self.linked):
                    self.resync = True
                    return

    def settle(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        """Wait while a changed file is missing or empty (the editor may not be done saving)
        until it is back, at most SETTLE_SECONDS in all."""
        deadline = time.monotonic() + SETTLE_SECONDS
        for _, path in sorted(changes):
            while True:
                try:
                    if os.stat(path).st_size > 0:
                        break
                except OSError:
                    pass
                if time.monotonic() >= deadline or self.stopping.wait(SETTLE_POLL_SECONDS):
                    return

    def rebuild(self, files_moved: bool = True) -> None:
        self.on_rebuilt(self.rebuilder.rebuild(files_moved))


def linked_targets(content: Path) -> tuple[frozenset[Path], frozenset[Path]]:
    """Return where the symlinks in the content folder point, outside it: (folders, files).

    Resolved (real) paths, as file events name them. Links inside linked folders count
    too; each real folder is walked once, so a link back up ends the walk there.
    """
    folders: set[Path] = set()
    files: set[Path] = set()
    try:
        root = content.resolve()
    except OSError:
        return frozenset(), frozenset()
    seen: set[tuple[int, int]] = set()
    for where, dirs, names in os.walk(content, followlinks=True):
        try:
            info = os.stat(where)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in [*dirs, *names]:
            path = Path(where, name)
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # a broken link: the loader reports the file
            if target != root and root not in target.parents:
                (folders if target.is_dir() else files).add(target)
    return frozenset(folders), frozenset(files)


class ReloadSocket(LiveReloadHandler):
    """livereload's websocket, accepting only pages served by this server.

    A page listens for reloads only once its `info` message has arrived (livereload's
    handshake), a moment after it loaded: a rebuild that finished in between would never
    reach it. The message names the build the page was served from (devassets/reloaded.js);
    if a rebuild that reloads browsers has been announced since, the page is reloaded now.
    """

    def initialize(self, server: DevServer) -> None:
        self.server = server

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)  # the handshake; `info` makes this page a waiter
        try:
            info = json.loads(message)
            build = info["plugins"]["guidebook"]["build"]
        except (ValueError, TypeError, KeyError):
            return  # not the page's info (a hello), or a page from elsewhere
        if info.get("command") == "info" and build != str(self.server.builds):
            self.send_message({"command": "reload", "path": "*", "liveCSS": None,
                               "liveImg": True})



def bind_problem(error: OSError, host: str, port: int) -> str:
    """Return the message for a server that cannot listen on host:port, by the error's
    errno (POSIX and Windows alike): the port is taken (EADDRINUSE), needs an
    administrator (EACCES: ports below 1024), or the host is no address of this computer
    (EADDRNOTAVAIL, or a name that resolves to none: socket.gaierror)."""
    where = f"Cannot serve on {host}:{port}"
    if error.errno == errno.EADDRINUSE:
        return (f"{where}: another server is using this port (another serve, perhaps): "
                "pick another with --port, e.g. "
                f"--port {port + 1 if 0 < port < 65535 else 8001}.")
    if error.errno == errno.EACCES:
        return (f"{where}: this system lets only an administrator use a port below 1024: "
                "pick one above it with --port, e.g. --port 8000.")
    if error.errno == errno.EADDRNOTAVAIL or isinstance(error, socket.gaierror):
        return (f'{where}: "{host}" is not an address of this computer: leave --host out '
                "to serve to this computer only, or give one of its own addresses "
                "(--host 0.0.0.0 serves on all of them, for a phone on the same network).")
    return f"{where}: {error.strerror or error}."

class DevServer:
    """Everything `serve` needs: the rebuilder, the watcher and the tornado application."""

    def __init__(self, config: Config, cache: BuildCache, host: str, port: int):
        self.config = config
        self.host = host
        self.port = port
        self.rebuilder = Rebuilder(config, cache)
        self.loop: ioloop.IOLoop | None = None
        # How many rebuilds have asked browsers to reload: each page served names the count
        # read before its bytes were (ReloadSocket reloads a page that missed one).
        self.builds = 0
        self.builds_lock = threading.Lock()

    @property
    def state(self) -> State:
        return self.rebuilder.state

    # -- serving files -------------------------------------------------------------------

    def locate(self, path: str) -> Path | None:
        """Map a URL path to a file inside the output folder, or None (never outside it)."""
        if "\x00" in path or any(part.startswith(".") for part in path.split("/") if part):
            return None
        root = self.config.output.resolve()
        try:
            target = (root / path).resolve()
        except (OSError, ValueError, RuntimeError):
            return None
        if target != root and root not in target.parents:
            return None  # ../, %2e%2e, an absolute path or a symlink pointing out
        return target

    def decorate(self, page: str, data: bytes, build: int) -> bytes:
        """Add the dev stylesheet, banner, source badge and reload script to a page.

        build is self.builds as read before the page's bytes were (ReloadSocket).
        """
        text = data.decode("utf-8", errors="replace")
        state = self.state
        text = insert(text, r"</head\s*>", dev_head(), before=True)
        if not state.ok:
            text = insert(text, r"<body\b[^>]*>", banner(state), before=False)
        text = insert(text, r"</body\s*>", source_badge(self.config, state.pages.get(page))
                      + reload_script(self.port, build), before=True, last=True)
        return text.encode("utf-8")

    def error_page(self, page: str) -> bytes:
        build = self.builds  # before the state it shows
        state = self.state
        info = state.pages.get(page)
        # The problems of the file this page comes from first: that is what the coach edits.
        own = info.source if info is not None else ""
        problems = sorted(state.problems, key=lambda p: (
            not own or self.rebuilder.content_relative(p.path) != own))
        return (render_error_page(state, self.config, info, problems)
                .replace("</body>", reload_script(self.port, build) + "</body>").encode("utf-8"))

    # -- running -------------------------------------------------------------------------

    def application(self) -> web.Application:
        LiveReloadHandler.watcher = LiveReloadWatcher()  # its reload_waiters logs through it
        return web.Application([
            (r"/livereload", ReloadSocket, {"server": self}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (rf"/{DEV_PREFIX}/problems", ProblemsHandler, {"server": self}),
            (rf"/{DEV_PREFIX}/(.*)", DevAssetHandler, {"server": self}),
            (rf"/{re.escape(WORKER)}", RetiringWorkerHandler, {"server": self}),
            (r"/(.*)", SiteHandler, {"server": self}),
        ], log_function=lambda handler: None)  # the console shows rebuilds, not requests

    def announce(self, outcome: Outcome) -> None:
        """Print what a rebuild did and, if the browser should show it, reload it."""
        stream = sys.stdout if outcome.state.ok else sys.stderr
        if outcome.reload:
            with self.builds_lock:
                self.builds += 1
        print(outcome.message, file=stream, flush=True)
        if outcome.reload and self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters)

    def run(self, open_browser: bool) -> int:
        """Serve until interrupted; return the exit code (1 when the address cannot be
        used: bind_problem says why)."""
        self.loop = ioloop.IOLoop.current()
        try:
            sockets = netutil.bind_sockets(self.port, address=self.host)
        except OSError as exc:
            print(bind_problem(exc, self.host, self.port), file=sys.stderr)
            return 1
        self.port = sockets[0].getsockname()[1]
        self.rebuilder.warm_up()
        server = httpserver.HTTPServer(self.application())
        server.add_sockets(sockets)
        watcher = ChangeWatcher(self.config, self.rebuilder, self.announce)
        watcher.start()
        watcher.ready.wait(10)  # start watching first, so a save during the build counts
        self.announce(self.rebuilder.rebuild())
        shown = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{self.port}/"
        print(f"Serving {shown_path(self.config.output, folder=True)} at {url} and rebuilding "
              "on every change to " + " and ".join(shown_path(p, folder=True) for p in
                                                   (self.config.content, self.config.templates))
              + ". Press Ctrl+C to stop.", flush=True)
        if self.host in ("", "0.0.0.0", "::"):
            print("Warning: other computers on your network can open this server.",
                  file=sys.stderr, flush=True)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        try:
            self.loop.start()
        except KeyboardInterrupt:
            # What serve leaves is a preview (no offline copy, PDFs as they were): the one
            # moment to say so is when the coach may go and publish it.
            print(f"\nStopped. {shown_path(self.config.output, folder=True)} holds serve's "
                  "preview, without the offline copy: run `python build.py` before you publish "
                  "it.", flush=True)
        finally:
            watcher.stopping.set()
            server.stop()
            with self.rebuilder.lock:
                self.rebuilder.save_cache(close=True)
        return 0


class SiteHandler(web.RequestHandler):
    """Serve the output folder: pages decorated for the coach, 404.html for what is missing."""

    def initialize(self, server: DevServer) -> None:
        self.server = server

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> None:
        return None

    def get(self, path: str) -> None:
        self.respond(path)

    def head(self, path: str) -> None:
        self.respond(path)

    def respond(self, path: str) -> None:
        server = self.server
        build = server.builds  # before anything of the page is read
        target = server.locate(path)
        if target is not None and target.is_dir():
            if path and not path.endswith("/"):
                # Relative links in the page need the address to end with a slash.
                query = f"?{self.request.query}" if self.request.query else ""
                self.redirect(self.request.path + "/" + query, permanent=False)
                return
            target = target / "index.html"
        root = server.config.output.resolve()
        if target is not None and target.is_file():
            page = target.relative_to(root).as_posix()
            if page.endswith((".html", ".htm")) and server.state.shows_error(page):
                self.send(server.error_page(page), "text/html; charset=utf-8", 500)
                return
            self.send_file(target, page, build)
            return
        if target is not None and not server.state.ok and Path(path).suffix in PAGE_SUFFIXES:
            # A page that is not built yet, probably the one the coach is writing.
            self.send(server.error_page(""), "text/html; charset=utf-8", 500)
            return
        missing = root / "404.html"
        if missing.is_file():
            self.send(server.decorate("404.html", missing.read_bytes(), build),
                      "text/html; charset=utf-8", 404)
        else:
            self.send(b"Not found\n", "text/plain; charset=utf-8", 404)

    def send_file(self, target: Path, page: str, build: int) -> None:
        try:
            data = target.read_bytes()
        except OSError:  # removed by a rebuild a moment ago
            self.send(b"Not found\n", "text/plain; charset=utf-8", 404)
            return
        kind = content_type(target.name)
        if kind.startswith("text/html"):
            data = self.server.decorate(page, data, build)
        self.send(data, kind, 200)

    def send(self, data: bytes, kind: str, status: int) -> None:
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(data)))
        if self.request.method != "HEAD":
            self.write(data)
        self.finish()


class ProblemsHandler(SiteHandler):
    """Show the problems of the last build (the banner links here)."""

    def get(self) -> None:  # type: ignore[override]
        self.send(self.server.error_page(""), "text/html; charset=utf-8", 200)

    def head(self) -> None:  # type: ignore[override]
        self.get()


class RetiringWorkerHandler(SiteHandler):
    """Answer /sw.js with a worker that removes itself: serve never keeps pages offline."""

    def get(self) -> None:  # type: ignore[override]
        self.send(retiring_worker(), "text/javascript; charset=utf-8", 200)

    def head(self) -> None:  # type: ignore[override]
        self.get()


class DevAssetHandler(SiteHandler):
    """Serve the dev server's own stylesheet and scripts: only these names, nothing else."""

    def respond(self, path: str) -> None:
        target = DEV_ASSETS / path
        if DEV_ASSET_NAME.match(path) and target.is_file():
            self.send(target.read_bytes(), content_type(path), 200)
        else:
            self.send(b"Not found\n", "text/plain; charset=utf-8", 404)


def content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        kind = "text/javascript"
    if kind.startswith("text/") or kind in ("image/svg+xml", "application/json",
                                            "application/xml"):
        kind += "; charset=utf-8"
    return kind


def insert(text: str, pattern: str, addition: str, *, before: bool, last: bool = False) -> str:
    """Insert text before or after the first (or last) match of a tag; append if missing."""
    matches = list(re.finditer(pattern, text, re.IGNORECASE))
    if not matches:
        return text + addition
    match = matches[-1] if last else matches[0]
    at = match.start() if before else match.end()
    return text[:at] + addition + text[at:]


def dev_head() -> str:
    # The meta tells site.js not to register the offline worker (offline.py).
    return (f'<link rel="stylesheet" href="/{DEV_PREFIX}/dev.css">\n'
            '<meta name="guidebook-serve" content="no offline copy">\n')


def reload_script(port: int, build: int) -> str:
    # External scripts (not inline), so the page's CSP (script-src 'self') allows them; the
    # plugin that names the page's build first, as livereload.js looks for it when it starts.
    return (f'<script src="/{DEV_PREFIX}/reloaded.js" data-build="{build}"></script>\n'
            f'<script src="/livereload.js?port={port}"></script>\n')


def banner(state: State) -> str:
    count = sum(1 for p in state.problems if p.is_error) or len(state.problems)
    what = "an unexpected error" if state.crash else plural(count, "problem")
    return (f'<div class="gb-dev-banner" role="alert"><strong>The last build failed</strong> '
            f"({what}). This page is from the last good build. "
            f'<a href="/{DEV_PREFIX}/problems">See what went wrong</a></div>\n')


def source_badge(config: Config, info: PageInfo | None) -> str:
    """Name the content file a page came from (and its template), for the coach only."""
    if info is None:
        return ""
    if info.source:
        where = f"<code>{html.escape(shown_path(config.content / info.source))}</code>"
    else:
        where = "made by Guidebook"
    return (f'<aside class="gb-dev-source" aria-label="Source of this page">Source: {where} '
            f"&middot; template <code>{html.escape(info.template)}</code></aside>\n")


def render_error_page(state: State, config: Config, info: PageInfo | None,
                      problems: list[Problem]) -> str:
    """Return the page that stands in for a page that could not be rebuilt."""
    esc = html.escape
    if state.ok:
        heading = "No problems"
        intro = "<p>The last build succeeded.</p>"
        body = "\n".join(problem_html(p) for p in state.problems)  # its warnings
    elif state.crash:
        heading = "The rebuild hit an unexpected error"
        intro = ("<p>This is most likely a bug in Guidebook (or trouble with the disk), not a "
                 "mistake in your content. The site keeps the last good build; the next change "
                 "you save tries again. The details:</p>")
        body = f'<pre class="gb-traceback">{esc(state.crash)}</pre>'
    else:
        errors = [p for p in state.problems if p.is_error]
        heading = "The site could not be rebuilt"
        intro = (f"<p>Guidebook found {plural(len(errors) or len(state.problems), 'problem')}"
                 ". Fix the file and save it: this page reloads by itself and the site comes "
                 "back." + (f" Until then <code>{esc(shown_path(config.output, True))}</code> "
                            "keeps the last good build." if state.pages else "") + "</p>")
        body = "\n".join(problem_html(p) for p in problems)
    this_page = ""
    if info is not None and info.source:
        this_page = (f'<p class="gb-this-page">You were looking at the page made from '
                     f"<code>{esc(shown_path(config.content / info.source))}</code>.</p>")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; \
style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'">
<title>{esc(heading)} - Guidebook</title>
{dev_head()}</head>
<body class="gb-dev-error">
<main>
<h1>{esc(heading)}</h1>
{intro}
{body}
{this_page}
<p class="gb-back"><a href="/">Go to the home page</a></p>
</main>
</body>
</html>
"""


def problem_html(problem: Problem) -> str:
    """Describe one problem: where, what, the offending line, how to fix it."""
    esc = html.escape
    kind = "warning" if not problem.is_error else "error"
    message, hint = problem.text()
    parts = [f'<section class="gb-problem gb-{kind}">',
             f'<h2><code>{esc(problem.location())}</code></h2>',
             f'<p class="gb-message">{"Warning: " if kind == "warning" else ""}'
             f"{esc(message)}</p>"]
    if problem.source_line.strip():
        number = str(problem.line)
        quoted = f"{number} | {problem.source_line.rstrip()}"
        if problem.col:
            quoted += "\n" + " " * (len(number) + 2 + problem.col) + "^"
        parts.append(f'<pre class="gb-source">{esc(quoted)}</pre>')
    if hint:
        parts.append(f'<p class="gb-hint"><strong>How to fix it:</strong> '
                     f"{esc(hint)}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def serve(config: Config, cache: BuildCache | None = None, host: str = "127.0.0.1",
          port: int = 8000, open_browser: bool = False) -> int:
    """Build, serve and rebuild on every change until Ctrl+C; return the exit code.

    `cache` is the one the command line made for serving (BuildCache(serve=True)); a new
    one when None. Raises ContentError, before anything is read or written, if the output
    folder could replace files the coach owns (output.check_output).
    """
    check_output(config.output, config.content, config.templates, config.force,
                 config.edition)
    cache = cache or BuildCache(config.output, enabled=config.cache, serve=True)
    return DevServer(config, cache, host, port).run(open_browser)
