"""Explain an error raised while a template renders, as a coach can act on it.

A template's own expressions (`{{ step.number + " of many" }}`) fail with Python's exceptions
(TypeError, ZeroDivisionError...): those are mistakes in the template, reported like Jinja's
syntax errors, with the template's file, line and the line itself. An exception raised inside
Guidebook's own code is a bug in Guidebook and is left alone.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2

from .errors import Problems
from .frontmatter import SAVE_AS_UTF8, decode

PACKAGE = Path(__file__).resolve().parent
OPERATORS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "divide",
             "%": "take the remainder of", "**": "raise"}
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".svg", ".css", ".js"}
KINDS = {"int": "a number", "float": "a number", "str": "a text", "Markup": "a text",
         "list": "a list", "tuple": "a list", "dict": "a mapping", "NoneType": "nothing (none)",
         "bool": "true or false", "Undefined": "nothing"}
OPERAND = re.compile(r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'")
CONCATENATE = re.compile(r'can only concatenate (\w+) \(not "(\w+)"\) to \w+')
NOT_CALLABLE = re.compile(r"'(\w+)' object is not callable")
NOT_ITERABLE = re.compile(r"'(\w+)' object is not iterable")
JOIN_HINT = ('to put a number into a text, join them with ~ instead of +, e.g. '
             '{{ step.number ~ " of many" }}')


class TemplateMistake(jinja2.TemplateRuntimeError):
    """A template failed while rendering (a TypeError in its expression, say).

    It is a jinja2.TemplateError, so every place that reports template errors reports it;
    `original` is the exception the template raised, with the traceback through the template.
    """

    def __init__(self, original: Exception):
        super().__init__(f"{type(original).__name__}: {original}")
        self.original = original


def made_by_template(exc: BaseException) -> bool:
    """Say whether an exception comes from a template's expression, not Guidebook's code.

    True when the traceback passes through a template file (Jinja rewrites tracebacks so
    that template code shows with its own file and line) and its innermost frame is not in
    the guidebook package.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames or not any(is_template(frame.filename) for frame in frames):
        return False
    innermost = Path(frames[-1].filename)
    return not (innermost.suffix == ".py" and PACKAGE in innermost.resolve().parents)


def is_template(filename: str) -> bool:
    """Say whether a traceback frame's file is a template (Jinja names frames after it)."""
    return not filename.endswith(".py") and not filename.startswith("<")


def template_frame(exc: BaseException) -> tuple[str, int]:
    """Return the file and line of the innermost template frame of an exception, or ('', 0)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if is_template(frame.filename):
            return frame.filename, frame.lineno or 0
    return "", 0


def kind(name: str) -> str:
    """Name a Python type as a coach would: int -> a number."""
    return KINDS.get(name, f"a {name}")


def explain(exc: BaseException) -> tuple[str, str]:
    """Return (what went wrong in words, a hint) for an exception a template raised."""
    text = str(exc)
    detail = f"({type(exc).__name__}: {text})"
    if match := OPERAND.fullmatch(text):
        operator, left, right = match.groups()
        verb = OPERATORS.get(operator.strip(), "combine")
        hint = (JOIN_HINT if operator.strip() == "+" and "str" in (left, right) else
                "check that both sides are what you expect; a value that can be empty needs "
                "a default, e.g. {{ (value or 0) + 1 }}")
        return (f"this line tries to {verb} {kind(left)} and {kind(right)} with "
                f"{operator.strip()}, which cannot be done {detail}", hint)
    if match := CONCATENATE.fullmatch(text):
        first, second = match.groups()
        return (f"this line tries to add {kind(first)} and {kind(second)} with +, which "
                f"cannot be done {detail}", JOIN_HINT)
    if isinstance(exc, ZeroDivisionError):
        return (f"this line divides by zero {detail}",
                "check the number you divide by first, e.g. {% if total %}...{% endif %}")
    if match := NOT_CALLABLE.fullmatch(text):
        return (f"this line calls {kind(match.group(1))} as if it were a function {detail}",
                "remove the ( ) after the value, or check the name of the function")
    if match := NOT_ITERABLE.fullmatch(text):
        return (f"this line loops over {kind(match.group(1))}, which is not a list {detail}",
                "loop over a list (e.g. guide.steps), or remove the {% for %}")
    return (f"this line fails while the page is made {detail}",
            "check the expression on this line: the values it uses may not be what you "
            "expect (a number, a text, a list)")


def check_encodings(overrides: Path, problems: Problems) -> None:
    """Report each of the coach's theme files (content/_templates/) that is not UTF-8.

    Jinja and the asset minifiers read them as UTF-8 and would stop with a traceback; here
    the file is named with the encoding it looks like (frontmatter.decode), as content is.
    """
    if not overrides.is_dir():
        return
    for path in sorted(overrides.rglob("*")):
        if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
            continue
        try:
            raw = path.read_bytes()
            raw.decode("utf-8")
        except OSError:
            continue  # reported where it is read
        except UnicodeDecodeError:
            rel = f"{overrides.name}/{path.relative_to(overrides).as_posix()}"
            if decode(raw, rel, problems) is not None:  # UTF-16 with its byte order mark
                problems.add(rel, 0, "this file is UTF-16 text; theme files must be UTF-8",
                             SAVE_AS_UTF8)
