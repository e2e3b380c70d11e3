"""Problems found in content, and the error that carries all of them at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content: where it is, what it is, how to fix it."""

    path: str
    line: int = 0
    col: int = 0
    message: str = field(default="", compare=False)
    hint: str = field(default="", compare=False)
    severity: str = field(default=ERROR, compare=False)
    source_line: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        """Return `path:line:col`, leaving out the parts that are unknown."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return where

    def format(self) -> str:
        """Return the message, the offending source line and the hint, as printed."""
        label = "warning: " if self.severity == WARNING else ""
        lines = [f"{self.location()}: {label}{self.message}"]
        if self.source_line.strip():
            lines.append(f"    {self.line} | {self.source_line.rstrip()}")
            if self.col:
                pad = " " * (len(str(self.line)) + 3 + self.col)
                lines.append(f"    {pad}^")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


class ContentError(Exception):
    """Raised when content has problems; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))


class Problems:
    """Collect problems for one build, attaching the offending source line."""

    def __init__(self, root: Path | None = None):
        self.root = root
        self.items: list[Problem] = []
        self._lines: dict[str, list[str]] = {}

    def remember_text(self, path: str, text: str) -> None:
        """Keep a file's text so problems in it can quote the offending line."""
        self._lines[path] = text.splitlines()

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
        lines = self._lines.get(path, [])
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        self.items.append(Problem(path, line, col, message, hint, severity, source))

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
        if self.errors or (strict and self.items):
            raise ContentError(self.items)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ' Did you mean "x"?' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def nearest(word: str, choices: list[str], n: int = 3) -> list[str]:
    """Return up to n choices closest to word, best first."""
    return difflib.get_close_matches(word, choices, n=n, cutoff=0.3)
