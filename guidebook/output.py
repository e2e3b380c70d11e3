"""The output folder's rules: where a site may be built, and which files in it are ours.

A build replaces the output folder as a whole (write.py), so a wrong `--output` would
replace whatever is there. Three rules keep a coach's files safe:

1. `check_output` refuses, before anything is read or written, an output folder that is,
   contains or lies inside the content or templates folder, or that is or contains the
   project folder (the content folder's parent, and the folder Guidebook runs from).
2. It also refuses a folder that holds files Guidebook did not write (not empty, and no
   record of an earlier build), naming a few of them, unless the coach passes `--force`.
3. Every build writes a record of the files it wrote (`RECORD`, like Sphinx's `.buildinfo`),
   and only those are ever replaced or removed: anything else in the folder (a deploy
   checkout's `.git/`, `CNAME`, `.nojekyll`, a file put there by hand) is carried into each
   new site and survives every build and the atomic swap.

The record lives in the output folder itself, so removing `.cache/` never makes a coach's
own site look foreign. Sites written before the record existed are recognised by the
cache's manifest of the last build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from .cache import cache_dir, load_manifest
from .errors import ContentError, Problem, path_text, project_path

RECORD = ".guidebook-files"
RECORD_HEADER = ("# The files Guidebook wrote into this folder. Guidebook replaces and removes\n"
                 "# only these; anything else here is kept on every build.\n")
FORCE_HINT = ("choose an empty folder (or one Guidebook built before), or pass --force to "
              "build into it anyway: its files are kept, except any with the same name as a "
              "file of the site")
OWN_FOLDER_HINT = "give --output a folder of its own, for example site (the default)"
COACH_MARK = b'class="coach-edition"'  # on every page of the coach's edition (base.html)
SHOWN_FILES = 3  # how many of a foreign folder's files a message names
ENGINE_HOME = Path(__file__).resolve().parent.parent  # the checkout Guidebook runs from


def _relation(output: Path, folder: Path) -> str:
    """Return 'is', 'contains', 'inside' or '' for two resolved folders."""
    if output == folder:
        return "is"
    if output in folder.parents:
        return "contains"
    if folder in output.parents:
        return "inside"
    return ""


def check_output(output: Path, content: Path, templates: Path, force: bool = False,
                 edition: str = "reader") -> None:
    """Raise ContentError if building into `output` could replace files the coach owns.

    Checks, in order, and reports the first that applies (one mistake, one message):
    the output folder is the project folder (the content folder's parent, the current
    folder, or the folder Guidebook is installed in); it is, contains or lies inside the
    content or templates folder; it contains the project folder; it is a file; it holds
    files Guidebook did not write and has no record of an earlier build (unless `force`);
    the coach's `edition` would replace a reader's site there (unless `force`: the coach's
    notes would then be in the folder that is published; the reader's edition's home page
    has no "coach-edition" banner, templates/base.html). Paths are compared resolved, so
    symbolic links and `..` cannot hide a match. Nothing is read but folder listings, the
    record, the cache's manifest and, for the coach's edition, the home page.
    """
    shown = project_path(output).rstrip("/") + "/"
    target = output.resolve()
    projects = sorted({content.resolve().parent, Path.cwd().resolve(), ENGINE_HOME})
    if target in projects:
        raise ContentError([Problem(shown, message="this is the project folder; building the "
                                    "site here would replace everything in it, your content "
                                    "and templates included", hint=OWN_FOLDER_HINT)])
    owned = [(content.resolve(), "the content folder", "your Markdown files"),
             (templates.resolve(), "the templates folder", "the theme's files")]
    for folder, name, what in owned:
        named = path_text(project_path(folder) + "/")
        relation = _relation(target, folder)
        if relation == "is":
            message = f"this is {name}; building the site here would replace {what}"
        elif relation == "contains":
            message = (f"this folder contains {name} ({named}); building the site here "
                       "would replace it")
        elif relation == "inside":
            message = (f"this folder lies inside {name} ({named}); the built site would "
                       f"be mixed with {what}")
        else:
            continue
        raise ContentError([Problem(shown, message=message, hint=OWN_FOLDER_HINT)])
    for folder in projects:
        if _relation(target, folder) == "contains":
            project = path_text(project_path(folder) + "/")
            message = (f"this folder contains the project folder ({project}); building the "
                       "site here would replace everything in it")
            raise ContentError([Problem(shown, message=message, hint=OWN_FOLDER_HINT)])
    if output.exists() and not output.is_dir():
        raise ContentError([Problem(shown.rstrip("/"), message="this is a file, not a folder",
                                    hint="give --output the name of a folder")])
    if force:
        return
    if read_record(output, load_manifest(cache_dir(output), output)) is not None:
        home = output / "index.html"
        if edition == "coach" and home.is_file() and COACH_MARK not in home.read_bytes():
            raise ContentError([Problem(shown, message="this folder holds the reader's site: "
                                        "building the coach's edition here would put your "
                                        "notes in the folder you publish", hint="leave "
                                        "--output out to build it into site-coach/, or pass "
                                        "--force to replace the reader's site anyway")])
        return
    foreign = sorted(name for name in _names(output) if not name.startswith("."))
    if foreign:
        listed = ", ".join(foreign[:SHOWN_FILES])
        if len(foreign) > SHOWN_FILES:
            listed += f" and {len(foreign) - SHOWN_FILES} more"
        message = (f"this folder holds files Guidebook did not write ({listed}) and no "
                   "record of an earlier build")
        raise ContentError([Problem(shown, message=message, hint=FORCE_HINT)])


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def read_record(output: Path, manifest: Iterable[str] | None = None) -> frozenset[str] | None:
    """Return the files (relative, '/'-separated) the last build wrote, or None if unknown.

    The record in the folder comes first; without it, `manifest` (the cache's record of the
    last build, for sites written before the record existed) when it is not empty.
    """
    try:
        text = (output / RECORD).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        names = frozenset(manifest or ())
        return names or None
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


def record_bytes(files: Iterable[str]) -> bytes:
    """Return the record of the files a build wrote: a header, then one path a line, sorted."""
    return (RECORD_HEADER + "".join(f"{name}\n" for name in sorted(files))).encode("utf-8")


def foreign_files(output: Path, ours: frozenset[str]) -> list[str]:
    """Return every file and empty folder in `output` that is not in `ours`, sorted.

    Folders are listed with a trailing '/'. Symbolic links are listed, never followed.
    """
    found: list[str] = []
    for root, dirs, names in os.walk(output):
        folder = Path(root)
        prefix = folder.relative_to(output).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        for name in names:
            rel = prefix + name
            if rel not in ours and rel != RECORD:
                found.append(rel)
        for name in list(dirs):
            if (folder / name).is_symlink():  # a link to a folder: carried as a link
                dirs.remove(name)
                if prefix + name not in ours:
                    found.append(prefix + name)
        if prefix and not names and not dirs:
            found.append(prefix)
    return sorted(found)


def clashes(foreign: Iterable[str], files: Iterable[str], output: Path) -> list[Problem]:
    """Return a problem for each file of the coach's that a file of the site would replace."""
    written = set(files)
    shown = project_path(output)
    return [Problem(f"{shown}/{rel}",
                    message=f"{path_text(f'{shown}/{rel}')} was not written by Guidebook, and "
                            "the site has a "
                            "file with the same name that would replace it",
                    hint="move the file out of the output folder, or pass --force to "
                         "replace it")
            for rel in foreign if rel in written]


def carry(old: Path, new: Path, files: Iterable[str]) -> None:
    """Place the coach's files of the old site into the new one before the swap.

    Files are hard-linked (instant, no extra space, and the old site stays whole until the
    swap), or copied where links are not possible; symbolic links are copied as links;
    folders (entries ending in '/') are created. Raises OSError if a file cannot be placed,
    so that the build stops before the swap rather than lose it.
    """
    for rel in files:
        source, target = old / rel, new / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
            continue
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
