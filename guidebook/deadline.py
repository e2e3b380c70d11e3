"""Convert Markdown that could take too long in a separate process, with a deadline.

Python-Markdown's time grows faster than the text for some inputs: thousands of `[` in one
paragraph take close to a minute (each may start a link, and each is matched against all
that follow), and so do tens of thousands of quotes, paragraphs or list items in one file,
or list markers repeated on a line (which nest, until Python's recursion limit). These
were found by timing conversions of generated texts (tests/test_slow_markdown.py fuzzes
for more). A quick scan, `risk()`, flags a text that has any of them in quantity; only a
flagged text is converted in a child process, which is stopped at the deadline. Ordinary
text is converted in the build's own process, as fast as before.

Waiting for the child releases the interpreter, so `serve` keeps answering meanwhile. The
child is a fresh `python -m guidebook.deadline` (not a fork), so it works from a build's
worker process, from serve's watcher thread and on every platform.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SECONDS = 5.0  # a conversion that would take longer is stopped and reported
# Above these, a text is converted in a child process (measured, Python-Markdown 3.x: each
# converts in well under a second at these sizes, and takes many seconds at ten times them).
MAX_CHARS = 50_000
MAX_LINES = 1_000  # each heading, list item or quoted line costs more than its length
MAX_BRACKETS = 300  # [ in one paragraph (links, footnotes, images all start with one)
MAX_BRACKET_WORK = 300_000  # [ in a paragraph times its length: each [ scans what follows
MAX_ANGLES = 300  # < (raw HTML, autolinks, comments)
MAX_QUOTES = 3_000  # ' and " (smarty's quotes)
MAX_MARKUP = 3_000  # *, _, `, & and \ (emphasis, code, entities, escapes)
MARKUP = "*_`&\\"
# List markers one after another on one line ("1. 1. 1. ..."), each nesting a list.
MARKER_RUN = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+){20,}", re.MULTILINE)
# A line indented or quoted a hundred levels deep (the loader refuses 200 in a file).
DEEP_LINE = re.compile(r"^[ \t>]{100,}", re.MULTILINE)
PARAGRAPHS = re.compile(r"\n[ \t]*\n")
PACKAGE_PARENT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Risk:
    """What in a text may make converting it slow or deep: the line, and what it holds."""

    line: str  # the text of the line it is on ("" for the text as a whole)
    what: str  # e.g. "20,000 [ characters in one paragraph"
    hint: str
    col: int = 0  # 1-based column of the first such character on the line, 0 if unknown


@dataclass(frozen=True)
class Failure:
    """A text that could not be converted: where it came from, and why."""

    source: str  # the content file
    risk: Risk
    seconds: float  # the deadline it missed, or 0 when it was nested too deeply


def risk(text: str) -> Risk | None:
    """Return what may make this Markdown slow to convert, or None for ordinary text.

    Costs a few counts over the text (str.count, in C): cheap enough for every conversion.
    """
    if MARKER_RUN.search(text):
        match = MARKER_RUN.search(text)
        line = line_at(text, match.start())
        count = len(re.findall(r"(?:[-*+]|\d{1,9}[.)])[ \t]+", match.group()))
        return Risk(line, f"{count:,} list markers one after another on one line, each "
                    "nesting a list in the one before", "write one list item per line; a "
                    "few levels of nesting are plenty for a reader")
    deep = DEEP_LINE.search(text)
    if deep:
        return Risk(line_at(text, deep.start()), f"a line starts with {len(deep.group()):,} "
                    "spaces, tabs or > signs", "flatten the deepest lists or quotes; a few "
                    "levels are plenty for a reader")
    brackets = text.count("[")
    if brackets > MAX_BRACKETS or brackets * len(text) > MAX_BRACKET_WORK:
        paragraph = max(PARAGRAPHS.split(text), key=lambda p: p.count("[") * len(p))
        count = paragraph.count("[")
        if count > MAX_BRACKETS or count * len(paragraph) > MAX_BRACKET_WORK:
            line = max(paragraph.split("\n"), key=lambda line: line.count("["))
            return Risk(line, f"{count:,} [ characters in one paragraph (Markdown reads each "
                        "as a possible link)", "remove the run of [ characters, or split "
                        "the paragraph: no text needs this many", line.find("[") + 1)
    for chars, limit in (("<", MAX_ANGLES), ("'\"", MAX_QUOTES), (MARKUP, MAX_MARKUP)):
        count = sum(text.count(char) for char in chars)
        if count > limit:
            line = max(text.split("\n"), key=lambda line: sum(map(line.count, chars)))
            names = " or ".join(char for char in chars if char in text)
            return Risk(line, f"{count:,} {names} characters", f"remove the runs of {names} "
                        "characters, or split the file into several pages",
                        min((line.find(c) for c in chars if c in line), default=-1) + 1)
    lines = text.count("\n") + 1
    if len(text) > MAX_CHARS or lines > MAX_LINES:
        return Risk("", f"{len(text):,} characters on {lines:,} lines of text",
                    "split it into several pages; a page a reader reads is a few thousand "
                    "words")
    return None


def line_at(text: str, index: int) -> str:
    """Return the line of text that holds the character at index."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start:] if end < 0 else text[start:end]


def convert_elsewhere(text: str, source: str, scope: str, language: str, quick: bool,
                      seconds: float, edition: str = "reader") -> tuple[object | None, float]:
    """Convert in a child process within `seconds`.

    Returns (Converted, 0.0); (None, seconds) when the child missed the deadline (it is
    killed); (None, 0.0) when the text is nested too deeply to convert at all.
    Raises RuntimeError if the child failed otherwise (a bug, with the child's traceback).
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_PARENT), environment.get("PYTHONPATH", "")) if p)
    try:
        run = subprocess.run([sys.executable, "-m", "guidebook.deadline"],
                             input=pickle.dumps((text, source, scope, language, quick, edition)),
                             capture_output=True, timeout=seconds, env=environment)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        return None, seconds
    if run.returncode == DEEP_EXIT:
        return None, 0.0
    if run.returncode != 0:
        raise RuntimeError("converting Markdown in a child process failed:\n"
                           + run.stderr.decode("utf-8", "replace"))
    return pickle.loads(run.stdout), 0.0  # noqa: S301 - our own child's answer


DEEP_EXIT = 3  # the child's exit status for a text nested too deeply (RecursionError)


def child() -> None:
    """In the child: read (text, source, scope, language, quick, edition), write its
    Converted."""
    from guidebook.markup import Converter

    text, source, scope, language, quick, edition = pickle.load(sys.stdin.buffer)
    converter = Converter(quick=quick, language=language, guard=False, edition=edition)
    try:
        result = converter.convert(text, source, scope)
    except RecursionError:
        sys.exit(DEEP_EXIT)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    child()
