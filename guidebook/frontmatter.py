"""Split YAML front matter from a Markdown body; explain YAML mistakes in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import Problems

try:  # libyaml is 6x faster; fall back to the pure-Python loader where it is missing.
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class Document:
    """A content file split in two: its front matter node and its Markdown body."""

    meta: yaml.Node | None
    body: str
    body_line: int  # 1-based line number of the body's first line
    has_front_matter: bool


def decode(raw: bytes, path: str, problems: Problems) -> str | None:
    """Decode a file as UTF-8 (a BOM is dropped, CRLF becomes LF), or report where it fails."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            path,
            line,
            f"this file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
            "save the file as UTF-8 in your editor (often 'Save with encoding' or "
            "'Reopen with encoding'); Windows-1252 and Latin-1 are the usual culprits",
            col=col,
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str, path: str, problems: Problems) -> Document | None:
    """Split `---` front matter from the body and compose its YAML into a node."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Document(None, text, 1, False)
    for index in range(1, len(lines)):
        if FENCE.match(lines[index]):
            end = index
            break
    else:
        problems.add(
            path,
            1,
            "the front matter starts with --- but is never closed",
            "add a line with just --- after the last field, before the text of the page",
        )
        return None
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    node = compose(yaml_text, path, problems, first_line=2)
    if node is False:
        return None
    return Document(node, body, end + 2, True)


def compose(text: str, path: str, problems: Problems, first_line: int = 1):
    """Compose YAML text into a node tree; on a syntax error report it and return False."""
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 0
        message, hint = explain_yaml_error(exc, text, mark)
        problems.add(path, line, message, hint, col=col)
        return False
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without a mark
        problems.add(path, first_line, f"the YAML cannot be read: {exc}", "check the syntax")
        return False


def explain_yaml_error(exc: yaml.MarkedYAMLError, text: str, mark) -> tuple[str, str]:
    """Turn a PyYAML error into a message and hint a coach can act on."""
    problem = (exc.problem or "").strip()
    lines = text.split("\n")
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in problem or "'\\t'" in problem or ("\t" in line_text and "tab" not in problem):
        return (
            "a tab character is used for indentation, which YAML does not allow",
            "indent with spaces instead of tabs (most editors can convert tabs to spaces)",
        )
    if "mapping values are not allowed" in problem:
        key, _, value = line_text.partition(":")
        key = key.strip() or "title"
        value = value.strip().replace('"', '\\"')
        return (
            "a value contains a colon followed by a space, which YAML reads as a new field",
            f'put the value in quotes: {key}: "{value}"',
        )
    if "found character '@'" in problem or "found character '`'" in problem:
        return (
            "a value starts with a character YAML reserves (@ or `)",
            "put the value in quotes",
        )
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return (
            "this line does not fit the structure around it: each field is 'name: value', "
            "and lines inside a field are indented further than its name",
            "check the indentation of this line and the one before it, and that each field "
            "has a colon after its name",
        )
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return (
            "a value starts with * or { that YAML reads as special syntax",
            "put the value in quotes",
        )
    if "while scanning a quoted scalar" in str(exc.context or "") or "end of stream" in problem:
        return ("a quote is opened but never closed", "close the quote at the end of the value")
    return (f"the YAML cannot be read: {problem or exc}", "check the syntax of this line")
