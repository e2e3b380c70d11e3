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
import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any

from .markup import FINGERPRINT
from .model import Guide, Page, Reading, Settings, Site

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

    def __init__(self, path: Path, table: str = "converted", fingerprint: str = ""):
        self.path = path
        self.table = table
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

    def detach(self) -> None:
        """In a forked worker: leave the parent's connection alone; open our own on use."""
        if self._db is not None:
            self._inherited = self._db  # kept, never used: closing it here would be unsafe
        self._db = None

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


def code_digest() -> str:
    """Hash our own source and the versions of the libraries that shape a page."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ("jinja2", "markupsafe", "pyyaml"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} ?")
    parts = [FINGERPRINT, *versions, f"python {sys.version}", files_digest([PACKAGE], ".py")]
    return hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


class PageKeys:
    """Key each page by everything it is rendered from, so an unchanged key means the same bytes.

    The key hashes the code, the templates, the settings and the pages' context; content
    objects in the context stand for the files they were read from (a guide, a step or a
    worksheet by the hash of all the files of its guide; a list of guides by all of them).
    A context holding anything this does not know how to describe gets no key, and the page
    is always rendered.
    """

    def __init__(self, site: Site, base: str, file_digests: dict[str, bytes]):
        self.site = site
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
        self.memo: dict[int, tuple[Any, str | None]] = {}

    def describe(self, value: Any) -> str | None:
        """Return a text that changes whenever the value's rendering could, or None."""
        if value is None or isinstance(value, (str, int, float, bool)):
            return repr(value)
        if isinstance(value, (tuple, Guide)):
            # The same guides and lists of them appear in many pages' contexts.
            known = self.memo.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            described = self.describe_new(value)
            self.memo[id(value)] = (value, described)
            return described
        return self.describe_new(value)

    def describe_new(self, value: Any) -> str | None:
        if isinstance(value, Guide):
            known = self.guides.get(value.slug)
            return None if known is None else "guide " + known
        if isinstance(value, Settings):
            return repr(value)
        if isinstance(value, Site):
            return "site " + self.all + repr(value.settings)
        if isinstance(value, (Page, Reading)) or (is_dataclass(value)
                                                 and hasattr(value, "source")):
            source = getattr(value, "source", "") or ""
            guide = self.guides.get(source.split("/", 1)[0])
            if guide is None:
                return None
            kind = "reading" if isinstance(value, Reading) else type(value).__name__
            return f"{kind} {source} {guide}"
        if isinstance(value, (tuple, list)):
            parts = []
            for item in value:
                part = self.describe(item)
                if part is None:
                    return None
                parts.append(part)
            return "[" + ",".join(parts) + "]"
        if isinstance(value, dict):
            parts = []
            for name in sorted(value, key=str) if len(value) > 1 else value:
                part = self.describe(value[name])
                if part is None:
                    return None
                parts.append(f"{name!r}:{part}")
            return "{" + ",".join(parts) + "}"
        if callable(value) and getattr(value, "__module__", "").startswith("guidebook"):
            # Our own helpers (url(), ...) are covered by the code hash and the page path.
            return "function " + getattr(value, "__qualname__", "")
        return None

    def key(self, path: str, template: str, context: dict[str, Any]) -> str | None:
        """Return the page's key, or None if it must be rendered anyway."""
        description = self.describe(context)
        if description is None:
            return None
        hasher = hashlib.sha1(usedforsecurity=False)
        for part in (self.base, path, template, description):
            hasher.update(part.encode("utf-8", "surrogatepass"))
            hasher.update(b"\0")
        return hasher.hexdigest()
