"""What the build keeps between runs, so that unchanged content is not worked on again.

Two things live in `.cache/guidebook/<output name>/` beside the output folder:

- `markdown.sqlite`: converted Markdown, keyed by a hash of the text, its source path and
  everything else that can change the HTML (markup.FINGERPRINT: our version, Python-Markdown's,
  the extensions and their settings, the source of markup.py). A changed input is a new key,
  so a stale entry can never be served; old entries are pruned.
- `manifest.pickle`: for every file of the last site written, its page key, size, hash and
  the file's inode and modification time. A page whose key (a hash of the code, templates,
  settings and the content it is made from) is unchanged, and whose file in the site is the
  one we wrote, is linked into the new site without rendering it again. Any other file is
  compared by hash with the manifest instead of reading the old file back.

Deleting the folder is always safe: the next build is a cold one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .markup import FINGERPRINT
from .model import Guide

PACKAGE = Path(__file__).resolve().parent
MANIFEST_VERSION = 1


def cache_dir(output: Path) -> Path:
    """Return the cache folder of a build that writes to `output`."""
    return output.parent / ".cache" / "guidebook" / (output.name or "site")


def digest(data: bytes) -> bytes:
    """Hash file contents (not for security: to notice a change)."""
    return hashlib.sha1(data, usedforsecurity=False).digest()


class ConversionStore(MutableMapping[str, Any]):
    """A dict backed by a sqlite table: read on demand, written in one transaction.

    One holds converted Markdown (table "converted"); another the loaded guides (table
    "guides": load.Loader.folders), keyed by folder name and checked by a stamp of its files.
    """

    def __init__(self, path: Path, table: str = "converted", fingerprint: str = "",
                 keep_reads: bool = True):
        self.path = path
        self.table = table
        # Whether an entry read from the database stays in memory for the next read. A
        # build reads each guide record once: keeping them would hold the whole site twice.
        self.keep_reads = keep_reads
        # Entries made under another fingerprint (another Markdown, say) can never be used
        # again: the whole table is dropped when it changes, rather than left to grow.
        self.fingerprint = fingerprint
        self.memory: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.used: set[str] = set()
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self.hits = 0  # entries found in the database (a replayed guide, a cached conversion)

    def db(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                           check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} "
                                 "(key TEXT PRIMARY KEY, value BLOB NOT NULL)")
                if self.fingerprint:
                    self.check_fingerprint(self._db)
            except (OSError, sqlite3.Error):
                # A cache we cannot open (read-only disk, corrupt file) only costs time.
                self._broken = True
                self._db = None
        return self._db

    def check_fingerprint(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS fingerprints (name TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM fingerprints WHERE name = ?",
                         (self.table,)).fetchone()
        if row is None or row[0] != self.fingerprint:
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"DELETE FROM {self.table}")
            db.execute("INSERT OR REPLACE INTO fingerprints VALUES (?, ?)",
                       (self.table, self.fingerprint))
            db.execute("COMMIT")

    def __getitem__(self, key: str) -> Any:
        self.used.add(key)
        hit = self.memory.get(key)
        if hit is not None:
            return hit
        db = self.db()
        if db is not None:
            try:
                row = db.execute(f"SELECT value FROM {self.table} WHERE key = ?",
                                 (key,)).fetchone()
                if row is not None:
                    value = pickle.loads(row[0])
                    if self.keep_reads:
                        self.memory[key] = value
                    self.hits += 1
                    return value
            except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError,
                    TypeError):
                pass  # an unreadable entry is converted again
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.memory[key] = value
        self.new[key] = value

    def __delitem__(self, key: str) -> None:
        self.memory.pop(key, None)
        self.new.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.memory)

    def __len__(self) -> int:
        return len(self.memory)

    def flush(self, prune: bool = False) -> None:
        """Write new conversions; with prune, drop entries this load did not use."""
        db = self.db()
        if db is None:
            self.new.clear()
            return
        try:
            db.execute("BEGIN")
            db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)",
                           ((k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
                            for k, v in self.new.items()))
            if prune and self.used:
                total = db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]
                if total > 2 * len(self.used) + 100:
                    db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                    db.execute("DELETE FROM used")
                    db.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                                   ((k,) for k in self.used))
                    db.execute(f"DELETE FROM {self.table} WHERE key NOT IN "
                               "(SELECT key FROM used)")
            db.execute("COMMIT")
            self.new.clear()
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def release(self) -> None:
        """Write what is new, then forget what is held in memory (it is read again on use)."""
        self.flush()
        self.memory = {}

    def mark_used(self, keys: Iterable[str]) -> None:
        """Count entries another process used as used here (so pruning keeps them)."""
        self.used.update(keys)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


@dataclass(frozen=True)
class Entry:
    """What the manifest remembers about one file of the site."""

    key: str | None  # the page key it was rendered for; None for files that are not pages
    digest: bytes
    size: int
    mtime_ns: int
    inode: int


def load_manifest(folder: Path, output: Path) -> dict[str, Entry]:
    """Return the manifest of the last site written to `output`, or {} if there is none."""
    try:
        with open(folder / "manifest.pickle", "rb") as handle:
            data = pickle.load(handle)
        if (data.get("version") != MANIFEST_VERSION
                or data.get("output") != str(output.resolve())):
            return {}
        return data["files"]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, KeyError, TypeError,
            ValueError):
        return {}


def save_manifest(folder: Path, output: Path, files: dict[str, Entry]) -> None:
    """Write the manifest atomically (a torn manifest would only cost a cold build)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".manifest.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump({"version": MANIFEST_VERSION, "output": str(output.resolve()),
                         "files": files}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / "manifest.pickle")
    except OSError:
        pass


def forget_manifest(folder: Path) -> None:
    """Remove the manifest (before swapping in a site it does not describe)."""
    with contextlib.suppress(OSError):
        (folder / "manifest.pickle").unlink()


def files_digest(folders: list[Path], suffix: str = "") -> str:
    """Hash the names and contents of every file under some folders, in a stable order."""
    hasher = hashlib.sha1(usedforsecurity=False)
    for folder in folders:
        hasher.update(f"\0folder {folder}\0".encode())
        if not folder.is_dir():
            continue
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if not name.endswith(suffix):
                    continue
                path = Path(root, name)
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                hasher.update(path.relative_to(folder).as_posix().encode("utf-8",
                                                                          "surrogateescape"))
                hasher.update(b"\0")
                hasher.update(digest(data))
    return hasher.hexdigest()


def file_stamps(folders: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Return (path, size, modification time in ns) of every file under some folders, in a
    stable order: a cheap stamp that changes when a file is saved, added or removed."""
    stamps = []
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                stamps.append((path, info.st_size, info.st_mtime_ns))
    return tuple(stamps)


def code_digest() -> str:
    """Hash our own source and the versions of the libraries that shape a page."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ("jinja2", "markupsafe", "pyyaml", "snowballstemmer", "babel"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} ?")
    # Every file of the package (its code, and any data a page is made with).
    parts = [FINGERPRINT, *versions, f"python {sys.version}", files_digest([PACKAGE])]
    return hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


class PageKeys:
    """Key each page by what its job declares it is made from; an unchanged key means the
    same bytes.

    A key hashes `base` (the code, the Markdown fingerprint, the templates, the settings,
    serve or build), the page's path and template, and the files it depends on: those of
    its guide (render.PageJob.guide), or of every guide when it names none (the home page,
    the search index). Relies on render.page_jobs putting nothing else in a page's context
    (tests/test_incremental.py checks it).
    """

    def __init__(self, base: str, file_digests: dict[str, bytes]):
        self.base = base
        by_guide: dict[str, list[tuple[str, bytes]]] = {}
        everything = hashlib.sha1(usedforsecurity=False)
        for rel in sorted(file_digests):
            by_guide.setdefault(rel.split("/", 1)[0], []).append((rel, file_digests[rel]))
            everything.update(rel.encode("utf-8", "surrogateescape") + b"\0"
                              + file_digests[rel])
        self.guides: dict[str, str] = {}
        for slug, files in by_guide.items():
            hasher = hashlib.sha1(usedforsecurity=False)
            for rel, value in files:
                hasher.update(rel.encode("utf-8", "surrogateescape") + b"\0" + value)
            self.guides[slug] = hasher.hexdigest()
        self.all = everything.hexdigest()

    def key(self, path: str, template: str, guide: str | None) -> str:
        """Return the key of the page at `path` made with `template` from `guide`'s files
        (a guide's folder name), or from every file when `guide` is None."""
        inputs = self.all if guide is None else "guide " + self.guides.get(guide, "")
        hasher = hashlib.sha1(usedforsecurity=False)
        for part in (self.base, path, template, inputs):
            hasher.update(part.encode("utf-8", "surrogatepass"))
            hasher.update(b"\0")
        return hasher.hexdigest()


class BuildCache:
    """Everything Guidebook keeps between builds, and between the rebuilds of one `serve`.

    Made once by the command line (cli.py) and passed down; nothing else keeps state.

    - On disk, in cache_dir(output): `markdown.sqlite`, with converted Markdown (table
      "converted", keyed by the text and everything that shapes its HTML) and each guide
      folder's load record (table "guides", replayed while the folder's stamp is unchanged),
      each guide's part of the search index and the answer names (table "search", keyed
      like its pages), the message ids the templates use (table "messages", keyed by the
      code and the templates' files), and the
      manifest of the last site written (`manifest.pickle`).
    - In memory, for `serve` (made with serve=True): the template environment (compiled
      templates, recompiled when their file changes) and the message ids its templates
      use, the last rendered pages with their keys, and each guide's encoded search
      entries and each word's forms in them.

    `enabled=False` (`check`, or Config(cache=False)) keeps nothing on disk.
    Invariant: a key or stamp that matches means the same output; deleting the folder is
    always safe (the next build is a cold one).
    """

    def __init__(self, output: Path, enabled: bool = True, serve: bool = False):
        self.output = output
        self.folder = cache_dir(output)
        self.enabled = enabled
        self.serve = serve
        database = self.folder / "markdown.sqlite"
        self.conversions: ConversionStore | None = (
            ConversionStore(database, "converted", fingerprint=FINGERPRINT) if enabled else None)
        self.guides: ConversionStore | None = (
            ConversionStore(database, "guides", keep_reads=serve) if enabled else None)
        # Each guide's part of the search index and the answer names (build.SearchParts),
        # keyed like its pages.
        self.search_parts: ConversionStore | None = (
            ConversionStore(database, "search", keep_reads=serve) if enabled else None)
        # The message ids the templates use (with plural ids), by the code and the templates'
        # digest: finding them parses every template (about 50 ms), on every build otherwise.
        self.template_messages: ConversionStore | None = (
            ConversionStore(database, "messages", keep_reads=serve) if enabled else None)
        self.environments: dict[tuple, Any] = {}  # jinja2.Environment by its templates
        # serve: the message ids the templates use (with plural ids), by a stamp of the templates
        self.messages: dict[tuple, dict[str, str | None]] = {}
        self.pages: dict[str, tuple[str | None, bytes]] = {}  # serve: path -> (key, bytes)
        self.search: dict[str, tuple[Guide, bytes]] | None = {} if serve else None
        # serve: each word's forms in the search index, by (language, word) (search_words)
        self.words: dict[tuple[str, str], tuple[str, ...]] | None = {} if serve else None

    @functools.cached_property
    def code(self) -> str:
        """The hash of our code and the libraries that shape a page (code_digest)."""
        return code_digest()

    def stores(self) -> list[ConversionStore]:
        """Return the persistent tables in use."""
        return [store for store in (self.conversions, self.guides, self.search_parts,
                                    self.template_messages) if store is not None]

    def remember_pages(self, pages: dict[str, tuple[str | None, bytes]]) -> None:
        """Keep the pages of the last rebuild, by path: (key, bytes) (serve)."""
        self.pages = pages

    def release_memory(self) -> None:
        """Write what is new to disk and drop it from memory (after loading, before
        rendering: the pages need the loaded site, not the conversions)."""
        for store in self.stores():
            store.release()

    def finish(self) -> None:
        """Write what is new; prune what the last load did not use.

        Guide records and guides' search entries are always pruned to those just used (the
        search entries only when the search index was made again); conversions only after a
        load that converted or read every one of them (a replayed guide does not say which
        conversions it was made from).
        """
        replayed = self.guides is not None and self.guides.hits > 0
        for store in self.stores():
            store.flush(prune=store is not self.conversions or not replayed)

    def flush(self) -> None:
        """Write what is new (serve, after each rebuild)."""
        for store in self.stores():
            store.flush()

    def close(self) -> None:
        for store in self.stores():
            store.close()

    def manifest(self) -> dict[str, Entry]:
        """Return the manifest of the last site written to the output folder, or {}."""
        return load_manifest(self.folder, self.output) if self.enabled else {}

    def forget_manifest(self) -> None:
        """Remove the manifest before swapping in a site it does not describe."""
        if self.enabled:
            forget_manifest(self.folder)

    def save_manifest(self, files: dict[str, Entry]) -> None:
        if self.enabled:
            save_manifest(self.folder, self.output, files)

    def trash(self) -> Path | None:
        """Return where old sites are removed in the background, or None (remove them now)."""
        return self.folder / "trash" if self.enabled else None


def keep_parts(output: Path, parts: dict[str, Any]) -> None:
    """Write guides' parts of the search index and answer names (build.SearchParts), by
    key, into the cache of the build that writes to `output` (table "search"): how a worker
    hands them over without sending them back through the parent's memory."""
    store = ConversionStore(cache_dir(output) / "markdown.sqlite", "search", keep_reads=False)
    try:
        store.update(parts)
        store.flush()
    finally:
        store.close()


class GuideChanged(Exception):
    """Raised where a guide's pages are rendered when a file of the guide changed after the
    build loaded it (build.load_again): its pages would not be what was checked."""


class GuideRecords:
    """The full guides of a build whose loader kept them without their bodies
    (model.Guide.without_bodies): read one at a time from the cache's table "guides" by the
    process that renders their pages.

    `stamps` maps each such guide's folder name to the stamp of the record the build loaded.
    Picklable: a worker process opens the database itself, on first use.
    """

    def __init__(self, output: Path, stamps: dict[str, tuple]):
        self.output = output
        self.stamps = stamps
        self._store: ConversionStore | None = None
        self._pid = 0

    def __getstate__(self) -> dict:
        return {"output": self.output, "stamps": self.stamps, "_store": None, "_pid": 0}

    def __contains__(self, slug: str) -> bool:
        return slug in self.stamps

    def guide(self, slug: str) -> Guide | None:
        """Return the full guide of folder `slug` from its record, or None when the record is
        missing, unreadable (a cache that cannot be written or read) or has another stamp
        than the one the build loaded (another build replaced it): then load it again."""
        if self._store is None or self._pid != os.getpid():  # a forked copy opens its own
            self._store = ConversionStore(cache_dir(self.output) / "markdown.sqlite", "guides",
                                          keep_reads=False)
            self._pid = os.getpid()
        record = self._store.get(slug)
        if record is None or record[0] != self.stamps.get(slug):
            return None
        return record[1]

    def close(self) -> None:
        if self._store is not None and self._pid == os.getpid():
            self._store.close()
        self._store = None
