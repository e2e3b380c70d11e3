"""Write a rendered site atomically: build beside the output folder, then swap it in.

The new site is written to a hidden folder next to `site/`. Files whose bytes did not
change are hard-linked from the old site instead of written again. When everything is in
place the two folders are exchanged in one step (renameat2 RENAME_EXCHANGE on Linux), so
`site/` is always a complete site, even if the build is killed halfway.

Where the system cannot exchange two folders (Windows, macOS, an old C library, a file
system without it) the swap takes two renames, and a kill between them is repaired: the
complete new site is first renamed `.site.ready-<pid>`, then `site/` is parked as
`.site.old-<pid>` and the ready one takes its name. The next build (or `serve`), holding
the lock, puts a complete site back under `site/` if it finds none (the ready one, else the
parked one) before removing what an interrupted build left behind.

On Windows a folder cannot be renamed, nor a file replaced, while another program (an
editor, a viewer, a virus scanner, Dropbox or OneDrive syncing) has a file in it open. Such
holds usually pass within moments, so each rename is tried again with growing pauses
(RENAME_PAUSES, about 3 s in all). If the hold outlasts them the build stops with one
message naming the folder or file (SiteHeld): the old site is put back in place first, and
the next build, once the program lets go, finishes the job.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from .cache import Entry, cache_dir, digest, load_manifest
from .errors import ContentError, Problem, path_text, project_path
from .output import RECORD, carry, clashes, foreign_files, read_record, record_bytes

RENAME_EXCHANGE = 2
AT_FDCWD = -100
# Seconds to wait before each new attempt at a rename that another program's open file
# refused (PermissionError): doubling, 3.15 s in all, then the build gives up (SiteHeld).
RENAME_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
HELD_MESSAGE = ("another program has this {what} open, so Guidebook could not {verb} it (it "
                "tried for a few seconds): an editor, a file viewer, a virus scanner, or "
                "Dropbox or OneDrive syncing it")
HELD_HINT = ("close the file or the program that has it open (or wait until the sync is done), "
             "then build again; {outcome}")


class SiteHeld(ContentError):
    """A rename or replace of the site that another program's open file kept refusing.

    Carries one problem naming the folder or file; `whole` says whether the output folder
    still holds a complete site (the old one). When it does not, the next build puts the
    site back (repair_interrupted_swap).
    """

    def __init__(self, problems: list[Problem], whole: bool = True):
        super().__init__(problems)
        self.whole = whole


def held(error: PermissionError, output: Path, whole: bool, file: bool = False) -> SiteHeld:
    """Return the SiteHeld error for a rename of `error.filename` that kept failing.

    `output` is the site's folder; `file`: a file of the site was being replaced (serve),
    rather than a folder renamed.
    """
    where = project_path(error.filename or output)
    site = path_text(project_path(output) + "/")
    outcome = (f"{site} still holds the site as it was" if whole else
               f"that build puts the site back in {site}")
    message = HELD_MESSAGE.format(what="file" if file else "folder (or a file in it)",
                                  verb="replace" if file else "rename")
    return SiteHeld([Problem(where, 0, 0, message, HELD_HINT.format(outcome=outcome))],
                    whole)


@functools.cache
def renameat2() -> Callable[..., int] | None:
    """Return Linux's renameat2(2) from the C library, or None where there is none.

    Looked up on first use, never at import: it exists on Linux with glibc 2.28 or later
    (and musl 1.2.2); on Windows and macOS, and with older C libraries, the swap falls back
    to two renames (SiteWriter.commit).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; return False where the system cannot.

    Raises OSError for a failure other than "not supported" (ENOSYS, EINVAL, EOPNOTSUPP).
    """
    func = renameat2()
    if func is None:
        return False
    result = func(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def rename(source: Path, target: Path, pauses: tuple[float, ...] | None = None) -> None:
    """os.rename, tried again after each of `pauses` (seconds; RENAME_PAUSES when None)
    while it raises PermissionError (Windows: another program has a file open); raises the
    last PermissionError."""
    retried(os.rename, source, target, pauses)


def retried(move: Callable[[Path, Path], None], source: Path, target: Path,
            pauses: tuple[float, ...] | None = None) -> None:
    """Call move(source, target) (os.rename, os.replace), again after each pause (seconds;
    RENAME_PAUSES when None) while it raises PermissionError; raise the last PermissionError
    when the pauses run out."""
    for pause in RENAME_PAUSES if pauses is None else pauses:
        try:
            move(source, target)
            return
        except PermissionError:
            time.sleep(pause)
    move(source, target)


WORK_KINDS = ("new", "ready", "old")  # a build's hidden folders beside the output folder


def work_dirs(output: Path) -> tuple[Path, Path, Path]:
    """Return where a new build is written, where it waits complete, and where the old one
    is parked during a swap of two renames: `.site.new-<pid>`, `.site.ready-<pid>`,
    `.site.old-<pid>` beside `site/`."""
    pid = os.getpid()
    new, ready, old = (output.parent / f".{output.name}.{kind}-{pid}" for kind in WORK_KINDS)
    return new, ready, old


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock so two builds never swap the same folder at once.

    The lock is the file `.site.lock` beside the output folder, held with filelock's
    FileLock: the system's own lock (flock on Linux and macOS, msvcrt.locking on Windows),
    which the system releases when a killed build's process ends.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(output.parent / f".{output.name}.lock"):
        yield


def work_folders(output: Path, kind: str) -> list[Path]:
    """Return the hidden folders of one kind that builds left beside `output`, oldest first."""
    found = [path for path in output.parent.glob(f".{output.name}.{kind}-*")
             if path.name.rpartition("-")[2].isdigit() and path.is_dir()]
    return sorted(found, key=lambda path: path.stat().st_mtime_ns)


def repair_interrupted_swap(output: Path) -> Path | None:
    """Put a complete site back under `output` if a swap of two renames was cut short.

    Call with the lock held. A missing output folder with a `.site.ready-*` beside it was
    killed between parking the old site and renaming the ready one: the ready one is whole
    and newer. With only a `.site.old-*`, the old site is put back. Returns the folder put
    back, or None.
    Raises SiteHeld when another program keeps the folder from being renamed.
    """
    if os.path.lexists(output):
        return None
    for kind in ("ready", "old"):
        candidates = work_folders(output, kind)
        if candidates:
            try:
                rename(candidates[-1], output)
            except PermissionError as error:
                raise held(error, output, whole=False) from None
            return candidates[-1]
    return None


def clean_leftovers(output: Path) -> None:
    """Repair an interrupted swap, then remove the folders of interrupted builds.

    Call with the lock held: no other build is using them.
    """
    repair_interrupted_swap(output)
    for kind in WORK_KINDS:
        for path in work_folders(output, kind):
            shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class Placed:
    """The files a writer placed: their manifest entries (SiteWriter) or (key, bytes)
    (MemoryWriter) by path, how many written and reused."""

    entries: dict[str, Any]
    written: int
    reused: int


class MemoryWriter:
    """Collect a rendered site in memory, for serve, check and PDFs: `files` {path: bytes}.

    It takes what SiteWriter takes (put, reuse, share, merge), so one render path serves
    both. `known` is {path: (key, bytes)} of the last rendering (serve's BuildCache.pages):
    a page whose key is unchanged is reused from it, the very same bytes, without rendering.
    """

    def __init__(self, known: dict[str, tuple[str | None, bytes]] | None = None):
        self.known = known or {}
        self.files: dict[str, bytes] = {}
        self.keys: dict[str, str | None] = {}
        self.written = 0
        self.reused = 0

    def can_reuse(self, rel: str, key: str | None) -> bool:
        hit = self.known.get(rel)
        return key is not None and hit is not None and hit[0] == key

    def reuse(self, rel: str, key: str | None) -> bool:
        if not self.can_reuse(rel, key):
            return False
        self.files[rel] = self.known[rel][1]
        self.keys[rel] = key
        self.reused += 1
        return True

    def keyed(self, key: str | None) -> list[str]:
        return [rel for rel, (known, _) in self.known.items()
                if key is not None and known == key]

    def put(self, rel: str, data: bytes, key: str | None = None) -> None:
        self.files[rel] = data
        self.keys[rel] = key
        self.written += 1

    def put_parts(self, rel: str, parts: Sequence[bytes], key: str | None = None) -> None:
        """Place a file given in parts (SiteWriter.put_parts), joined."""
        self.put(rel, b"".join(parts), key)

    def share(self) -> MemoryWriter:
        return MemoryWriter()  # a worker renders what the parent could not reuse

    def placed(self) -> Placed:
        return Placed({rel: (self.keys[rel], data) for rel, data in self.files.items()},
                      self.written, self.reused)

    def merge(self, part: Placed) -> None:
        for rel, (key, data) in part.entries.items():
            self.files[rel] = data
            self.keys[rel] = key
        self.written += part.written
        self.reused += part.reused

    def rendered(self) -> dict[str, tuple[str | None, bytes]]:
        """Return {path: (key, bytes)} of the keyed files, for the next rendering's `known`."""
        return {rel: (key, self.files[rel]) for rel, key in self.keys.items()
                if key is not None}


class SiteWriter:
    """Write files into a fresh folder, reusing unchanged files of the current site.

    With a manifest of the current site (cache.Entry by path: the hash, size, inode and
    modification time of each file we wrote), an unchanged file is recognised by its hash
    without reading the old file, and a page whose key is unchanged is linked without being
    rendered at all. A file in the site that is not the one the manifest describes (edited
    or replaced by hand) is never trusted: it is compared by content, or written again.
    """

    def __init__(self, output: Path, manifest: dict[str, Entry] | None = None,
                 trash: Path | None = None, force: bool = False):
        self.output = output
        self.force = force  # the coach said a file of theirs may be replaced by the site's
        self.trash = trash
        self.new, self.ready, self.old = work_dirs(output)
        self.written = 0
        self.reused = 0
        self.manifest = manifest or {}
        self.entries: dict[str, Entry] = {}  # the manifest of the new site
        self._dirs: set[Path] = set()

    def share(self) -> SiteWriter:
        """Return a writer into the same new folder, with the same manifest and no counts
        (for a worker process; its counts come back through merge())."""
        part = SiteWriter(self.output, self.manifest, self.trash)
        part.new, part.ready, part.old = self.new, self.ready, self.old
        return part

    def placed(self) -> Placed:
        """Return what this writer placed in the new folder (a worker sends it back)."""
        return Placed(self.entries, self.written, self.reused)

    def keyed(self, key: str | None) -> list[str]:
        """Return the files the last site wrote with this key (the manifest's)."""
        return [rel for rel, entry in self.manifest.items()
                if key is not None and entry.key == key]

    def merge(self, part: Placed) -> None:
        """Add what a shared writer placed in the new folder to this one's manifest."""
        self.entries.update(part.entries)
        self.written += part.written
        self.reused += part.reused

    def __enter__(self) -> SiteWriter:
        clean_leftovers(self.output)
        self.new.mkdir(parents=True)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            shutil.rmtree(self.new, ignore_errors=True)

    def _parent(self, target: Path) -> None:
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)

    def _current(self, rel: str, entry: Entry | None) -> os.stat_result | None:
        """Return the stat of the current site's file if it is the one the entry describes."""
        if entry is None:
            return None
        try:
            info = os.stat(self.output / rel)
        except OSError:
            return None
        if (info.st_size, info.st_mtime_ns, info.st_ino) != (entry.size, entry.mtime_ns,
                                                             entry.inode):
            return None
        return info

    def can_reuse(self, rel: str, key: str | None) -> bool:
        """Say whether reuse() would link this file (its key and the file are unchanged)."""
        entry = self.manifest.get(rel)
        return (key is not None and entry is not None and entry.key == key
                and self._current(rel, entry) is not None)

    def reuse(self, rel: str, key: str | None) -> bool:
        """Link the current site's file for a page whose key is unchanged; False if we cannot."""
        entry = self.manifest.get(rel)
        if key is None or entry is None or entry.key != key:
            return False
        if self._current(rel, entry) is None:
            return False
        target = self.new / rel
        self._parent(target)
        try:
            os.link(self.output / rel, target)
        except OSError:
            return False
        self.entries[rel] = entry
        self.reused += 1
        return True

    def put(self, rel: str, data: bytes, key: str | None = None) -> None:
        """Place one file in the new site."""
        self.put_parts(rel, (data,), key)

    def put_parts(self, rel: str, parts: Sequence[bytes], key: str | None = None) -> None:
        """Place one file given as the parts it is joined from, never joining them in memory
        (the search index of a large site is tens of megabytes)."""
        target = self.new / rel
        self._parent(target)
        current = self.output / rel
        hasher = hashlib.sha1(usedforsecurity=False)
        for part in parts:
            hasher.update(part)
        hashed = hasher.digest()  # as digest() of the joined bytes
        size = sum(len(part) for part in parts)
        entry = self.manifest.get(rel)
        try:
            if entry is not None:
                same = (entry.digest == hashed and entry.size == size
                        and self._current(rel, entry) is not None)
            else:  # no manifest (first build, or the cache was removed): compare contents
                same = (current.stat().st_size == size
                        and digest(current.read_bytes()) == hashed)
            if same:
                os.link(current, target)
                info = os.stat(target)
                self.entries[rel] = Entry(key, hashed, info.st_size, info.st_mtime_ns,
                                          info.st_ino)
                self.reused += 1
                return
        except OSError:
            pass
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            for part in parts:
                view = memoryview(part)
                while view:
                    view = view[os.write(handle, view):]
            info = os.fstat(handle)
        finally:
            os.close(handle)
        self.entries[rel] = Entry(key, hashed, size, info.st_mtime_ns, info.st_ino)
        self.written += 1

    def put_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for rel, data in files:
            self.put(rel, data)

    def commit(self) -> None:
        """Carry the coach's files over, swap the new site in, then remove the old one.

        One atomic exchange where the system has one; otherwise two renames, the first of
        which marks the new site complete (see the module's docstring for the repair).
        Raises ContentError, before anything is swapped, when a file Guidebook did not
        write has the name of a file of the new site (unless the writer was forced), and
        SiteHeld when another program's open file keeps a folder from being renamed (the
        old site put back first, when it can be).
        """
        (self.new / RECORD).write_bytes(record_bytes(self.entries))
        if self.output.is_dir():
            ours = read_record(self.output, self.manifest) or frozenset()
            foreign = foreign_files(self.output, ours)
            if not self.force and (problems := clashes(foreign, self.entries, self.output)):
                raise ContentError(problems)
            carry(self.output, self.new, [rel for rel in foreign if rel not in self.entries])
        try:
            if not os.path.lexists(self.output):
                rename(self.new, self.output)
            elif exchange(self.new, self.output):
                self.discard(self.new)
            else:
                self.swap_by_renames()
        except PermissionError as error:
            raise held(error, self.output, os.path.isdir(self.output)) from None

    def swap_by_renames(self) -> None:
        """Swap the new site in with three renames (module docstring). A rename another
        program keeps refusing raises PermissionError with the old site back in place (or,
        if even that is refused, parked for the next build's repair)."""
        rename(self.new, self.ready)
        try:
            rename(self.output, self.old)
        except PermissionError:
            shutil.rmtree(self.ready, ignore_errors=True)  # the old site never moved
            raise
        try:
            rename(self.ready, self.output)
        except PermissionError:
            try:
                rename(self.old, self.output)
            except PermissionError:
                pass  # site/ is missing: the next build puts .site.ready-* back
            else:
                shutil.rmtree(self.ready, ignore_errors=True)
            raise
        self.discard(self.old)

    def discard(self, folder: Path) -> None:
        """Remove the old site: in the background when there is a trash folder for it.

        Removing thousands of files takes longer than the rest of a warm build, and the
        site is already complete; the trash folder is outside the output's parent's
        `.site.*` names. What earlier removals have not finished yet (builds in quick
        succession, a busy disk) goes with this one, in the background too.
        """
        if self.trash is None:
            shutil.rmtree(folder, ignore_errors=True)
            return
        try:
            self.trash.mkdir(parents=True, exist_ok=True)
            leftovers = sorted(self.trash.iterdir())
            parked = self.trash / f"{folder.name}-{time.time_ns()}"
            rename(folder, parked, pauses=())  # held: removed here instead, as it can be
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return
        shell = shutil.which("sh") if os.name == "posix" else None
        if shell is None:  # Windows: no POSIX shell to hand the removal to
            for path in [*leftovers, parked]:
                shutil.rmtree(path, ignore_errors=True)
            return
        # The shell starts rm in the background and exits at once: nothing to wait for. A
        # leftover an earlier rm is still removing is removed by both (rm -f: no error).
        try:
            subprocess.run([shell, "-c", 'rm -rf -- "$@" &', "rm", str(parked),
                            *map(str, leftovers)], check=False,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            for path in [*leftovers, parked]:
                shutil.rmtree(path, ignore_errors=True)


def update_in_place(output: Path, files: Iterable[tuple[str, bytes]],
                    keep: set[str], force: bool = False) -> tuple[int, int]:
    """Write only changed files into an existing site, each atomically (for `serve`).

    `files` is (relative path, bytes) pairs; `keep` every file of the site (the written
    ones and those left as they are, such as PDFs). Files the last build wrote (its record,
    see output.py) that are not in `keep` are removed; files Guidebook did not write are
    never touched. Returns (files written, files removed). Raises ContentError, before
    writing anything, if a page would replace a file Guidebook did not write (unless
    `force`), and SiteHeld if another program keeps a file from being replaced (the files
    before it are written; the next rebuild writes the rest).
    """
    # The cache's manifest only stands in for a missing record: read it only then, not on
    # every save (unpickling a large site's manifest would cost every rebuild).
    ours = read_record(output)
    if ours is None:
        ours = read_record(output, load_manifest(cache_dir(output), output)) or frozenset()
    files = list(files)
    if not force:
        names = {rel for rel, _ in files if rel not in ours}
        foreign = [rel for rel in sorted(names) if (output / rel).exists()]
        if problems := clashes(foreign, names, output):
            raise ContentError(problems)
    written = 0
    for rel, data in files:
        target = output / rel
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_bytes(data)
        try:
            retried(os.replace, temporary, target)
        except PermissionError as error:
            temporary.unlink(missing_ok=True)
            error.filename = str(target)
            raise held(error, output, whole=True, file=True) from None
        written += 1
    removed = 0
    for rel in sorted(ours - keep, reverse=True):
        try:
            (output / rel).unlink()
        except OSError:
            continue
        removed += 1
        folder = (output / rel).parent
        while folder != output:  # folders the removed pages leave empty go too
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    if ours != keep or not (output / RECORD).exists():
        (output / RECORD).write_bytes(record_bytes(keep))
    return written, removed
