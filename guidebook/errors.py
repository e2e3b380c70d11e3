"""Problems found in content, and the error that carries all of them at once.

Every problem is shown as `path:line:col: message`, then the offending source line with a
caret under the column, then a hint. Paths are shown as the coach sees them from the folder
the command runs in (e.g. `content/managing-rejection/guide.md`), in every message, and with
the separator of the coach's system (`content\\managing-rejection\\guide.md` on Windows): a
path that a message or hint names is kept marked in its text (`path_text`) until the problem
is shown (`Problem.format`, `Problem.text`, `shown_text`), while a link or a name quoted as the
coach wrote it stays as written. A problem
about a whole file (its name, or a file that cannot be read) has no line; a problem on a line
always has a column (the start of the text on that line when nothing more precise is known).
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ERROR = "error"
WARNING = "warning"
# Control characters are shown as one replacement character, so the terminal shows the line
# as it is and the caret stays aligned.
WIDTH = 100  # at most this many characters of a source line are quoted
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
# A path inside a message or hint is kept between these two characters (Unicode private use,
# never in Guidebook's words) until it is shown, then written with the system's separator.
PATH_START, PATH_END = "\ue000", "\ue001"
MARKED_PATH = re.compile("\ue000([^\ue001]*)\ue001")


def path_text(path: str | Path) -> str:
    """Return a path (a str with "/", or a Path) marked for a message or hint, to be shown with
    the separator of the coach's system (shown_text). Raises nothing."""
    written = path.as_posix() if isinstance(path, Path) else path
    return f"{PATH_START}{written}{PATH_END}"


def shown_text(text: str, sep: str = os.sep) -> str:
    """Return a message or hint as shown: each path marked by path_text written with `sep`
    (the system's separator: "\\" on Windows, "/" elsewhere)."""
    if PATH_START not in text:
        return text
    return MARKED_PATH.sub(lambda found: found.group(1).replace("/", sep), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content: where it is, what it is, how to fix it."""

    # All fields take part in comparing, so two different problems at one place are both kept
    # (the collector drops exact duplicates only) and sorting is by file, line, column.
    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    hint: str = ""
    severity: str = ERROR
    source_line: str = ""
    strict: bool = False  # a warning that --strict made an error

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self, sep: str = os.sep) -> str:
        """Return `path:line:col`, leaving out the parts that are unknown.

        The path is written with the system's separator (`sep`: `\\` on Windows), as the
        coach's terminal, editor and file manager write it.
        """
        where = self.path.replace("/", sep) if sep != "/" else self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return where

    def text(self, sep: str = os.sep) -> tuple[str, str]:
        """Return (message, hint) as shown: the paths they name written with `sep`."""
        return shown_text(self.message, sep), shown_text(self.hint, sep)

    def format(self, sep: str = os.sep) -> str:
        """Return the message, the offending source line and the hint, as printed (the
        location's path with the system's separator, `sep`)."""
        label = "warning: " if self.severity == WARNING else ""
        if self.strict:
            label = "warning (an error with --strict): "
        message, hint = self.text(sep)
        lines = [f"{self.location(sep)}: {label}{message}"]
        if self.source_line.strip():
            # A tab is shown as one visible character, which keeps the caret aligned.
            shown = INVISIBLE.sub("\ufffd", self.source_line.rstrip().replace("\t", "→"))
            col = self.col
            if len(shown) > WIDTH:  # a very long line: show the part around the column
                start = max(0, min(col - WIDTH // 2, len(shown) - WIDTH))
                end = start + WIDTH
                shown = ("…" if start else "") + shown[start:end] + ("…" if end < len(shown)
                                                                      else "")
                col = col - start + (1 if start else 0)
            lines.append(f"    {self.line} | {shown}")
            if col:
                pad = " " * (len(str(self.line)) + 3 + col - 1)
                lines.append(f"    {pad}^")
        if hint:
            # Lines of a multi-line hint (an example to copy) are indented under its first.
            lines.append("    hint: " + hint.replace("\n", "\n          "))
        return "\n".join(lines)


def project_path(path: Path | str) -> str:
    """Show a path as the coach sees it: relative to the current folder when inside it."""
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    shown = os.path.normpath(path.as_posix())
    return Path(shown).as_posix()


class ContentError(Exception):
    """Raised when content has problems; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))


class Problems:
    """Collect problems for one build, attaching the offending source line."""

    def __init__(self, root: Path | None = None):
        self.root = root
        # Problems are added with paths inside the content folder; they are shown with the
        # content folder in front, as given on the command line (content/g/guide.md).
        self.prefix = project_path(root) if root is not None else ""
        self.items: list[Problem] = []
        self._lines: dict[str, list[str]] = {}
        # Files whose lines are read only if a problem quotes them: path -> how to read it.
        self._later: dict[str, Callable[[str], list[str] | None]] = {}

    def named(self, path: str) -> str:
        """Return a content path as a message or hint names it: shown (with the content
        folder in front) and marked to be written with the system's separator (path_text)."""
        return path_text(self.shown(path))

    def shown(self, path: str) -> str:
        """Return how a content path is shown in messages: with the content folder in front."""
        if not self.prefix or self.prefix == ".":
            return path or "."
        if not path or path == ".":
            return self.prefix
        return f"{self.prefix}/{path}"

    def source_line(self, path: str, line: int) -> str:
        """Return the text of a line of a remembered file, or ''."""
        lines = self.lines(path)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def lines(self, path: str) -> list[str]:
        """Return the lines of a remembered file ([] for none), reading it now if it was
        remembered for later."""
        if path not in self._lines and path in self._later:
            found = self._later.pop(path)(path)
            if found is not None:
                self._lines[path] = found
        return self._lines.get(path, [])

    def remember_later(self, paths: Iterable[str],
                       read: Callable[[str], list[str] | None]) -> None:
        """Remember files whose lines `read(path)` returns, reading one only if quoted."""
        for path in paths:
            if path not in self._lines:
                self._later[path] = read

    def remembered_count(self) -> int:
        """Return how many files' lines are remembered (a mark for remembered_since)."""
        return len(self._lines)

    def remembered_since(self, count: int) -> list[str]:
        """Return the paths of the files remembered after the first `count`, in order."""
        added = len(self._lines) - count
        return list(itertools.islice(reversed(self._lines), added))[::-1] if added > 0 else []

    def remember_text(self, path: str, text: str) -> None:
        """Keep a file's text so problems in it can quote the offending line."""
        # Split on newlines only: str.splitlines() also splits on form feeds, U+2028 and
        # others, which would shift every line number after them.
        self._lines[path] = text.split("\n")

    def add(
        self,
        path: str,
        line: int,
        message: str,
        hint: str = "",
        *,
        col: int = 0,
        severity: str = ERROR,
    ) -> None:
        """Record a problem in a content file (path relative to the content folder)."""
        source = self.source_line(path, line)
        if line and not col:
            # Point at the start of the text so every located problem has a column.
            col = len(source) - len(source.lstrip()) + 1 if source.strip() else 1
        self.items.append(Problem(self.shown(path), line, col, message, hint, severity,
                                  source))

    def warn(self, path: str, line: int, message: str, hint: str = "", *, col: int = 0) -> None:
        self.add(path, line, message, hint, col=col, severity=WARNING)

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Raise every problem at once if there is an error (or, with strict, a warning)."""
        if self.errors or (strict and self.items):
            raise ContentError(self.strict_items() if strict else self.items)

    def strict_items(self) -> list[Problem]:
        """Return the problems with warnings turned into errors, as --strict wants."""
        return [p if p.is_error else replace(p, severity=ERROR, strict=True)
                for p in self.items]


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' Did you mean "x"?' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def nearest(word: str, choices: list[str], n: int = 3) -> list[str]:
    """Return up to n choices closest to word, best first."""
    return difflib.get_close_matches(word, choices, n=n, cutoff=0.3)
