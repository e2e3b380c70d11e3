"""Write a rendered site atomically: build beside the output folder, then swap it in.

The new site is written to a hidden folder next to `site/`. Files whose bytes did not
change are hard-linked from the old site instead of written again. When everything is in
place the two folders are exchanged in one step (renameat2 RENAME_EXCHANGE on Linux), so
`site/` is always a complete site, even if the build is killed halfway. Leftovers of an
interrupted build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from .cache import Entry, cache_dir, digest, load_manifest
from .errors import ContentError
from .output import RECORD, carry, clashes, foreign_files, read_record, record_bytes

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _renameat2():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; return False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def work_dirs(output: Path) -> tuple[Path, Path]:
    """Return the folder a new build is written to, and where the old one is parked."""
    pid = os.getpid()
    return (output.parent / f".{output.name}.new-{pid}",
            output.parent / f".{output.name}.old-{pid}")


@contextmanager
def build_lock(output: Path):
    """Hold an exclusive lock so two builds never swap the same folder at once."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_leftovers(output: Path) -> None:
    """Remove the folders of builds that were interrupted (we hold the lock)."""
    for path in output.parent.glob(f".{output.name}.*-*"):
        if path.is_dir() and (".new-" in path.name or ".old-" in path.name):
            shutil.rmtree(path, ignore_errors=True)


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
        self.new, self.old = work_dirs(output)
        self.written = 0
        self.reused = 0
        self.manifest = manifest or {}
        self.entries: dict[str, Entry] = {}  # the manifest of the new site
        self._dirs: set[Path] = set()

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
        target = self.new / rel
        self._parent(target)
        current = self.output / rel
        hashed = digest(data)
        entry = self.manifest.get(rel)
        try:
            if entry is not None:
                same = (entry.digest == hashed and entry.size == len(data)
                        and self._current(rel, entry) is not None)
            else:  # no manifest (first build, or the cache was removed): compare contents
                same = (current.stat().st_size == len(data)
                        and current.read_bytes() == data)
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
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            info = os.fstat(handle)
        finally:
            os.close(handle)
        self.entries[rel] = Entry(key, hashed, len(data), info.st_mtime_ns, info.st_ino)
        self.written += 1

    def put_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for rel, data in files:
            self.put(rel, data)

    def commit(self) -> None:
        """Carry the coach's files over, swap the new site in, then remove the old one.

        Raises ContentError, before anything is swapped, when a file Guidebook did not
        write has the name of a file of the new site (unless the writer was forced).
        """
        (self.new / RECORD).write_bytes(record_bytes(self.entries))
        if self.output.is_dir():
            ours = read_record(self.output, self.manifest) or frozenset()
            foreign = foreign_files(self.output, ours)
            if not self.force and (problems := clashes(foreign, self.entries, self.output)):
                raise ContentError(problems)
            carry(self.output, self.new, [rel for rel in foreign if rel not in self.entries])
        if self.output.exists():
            if not exchange(self.new, self.output):
                os.rename(self.output, self.old)
                os.rename(self.new, self.output)
                shutil.rmtree(self.old, ignore_errors=True)
                return
            self.discard(self.new)
        else:
            os.rename(self.new, self.output)

    def discard(self, folder: Path) -> None:
        """Remove the old site: in the background when there is a trash folder for it.

        Removing thousands of files takes longer than the rest of a warm build, and the
        site is already complete; the trash folder is outside the output's parent's
        `.site.*` names, and what a removal left behind goes with the next build's.
        """
        if self.trash is None:
            shutil.rmtree(folder, ignore_errors=True)
            return
        try:
            self.trash.mkdir(parents=True, exist_ok=True)
            for leftover in self.trash.iterdir():  # removals that did not finish
                shutil.rmtree(leftover, ignore_errors=True)
            parked = self.trash / f"{folder.name}-{time.time_ns()}"
            os.rename(folder, parked)
            # The shell starts rm in the background and exits at once: nothing to wait for.
            subprocess.run(["sh", "-c", 'rm -rf -- "$0" &', str(parked)], check=False,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)


def update_in_place(output: Path, files: Iterable[tuple[str, bytes]],
                    keep: set[str], force: bool = False) -> tuple[int, int]:
    """Write only changed files into an existing site, each atomically (for `serve`).

    `files` is (relative path, bytes) pairs; `keep` every file of the site (the written
    ones and those left as they are, such as PDFs). Files the last build wrote (its record,
    see output.py) that are not in `keep` are removed; files Guidebook did not write are
    never touched. Returns (files written, files removed). Raises ContentError, before
    writing anything, if a page would replace a file Guidebook did not write (unless
    `force`).
    """
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
        os.replace(temporary, target)
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
