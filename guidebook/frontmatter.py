"""Split YAML front matter from a Markdown body; explain YAML mistakes in plain words."""

from __future__ import annotations

import errno
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, Problems, project_path

try:  # libyaml is 6x faster; fall back to the pure-Python loader where it is missing.
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

MAX_BYTES = 5_000_000  # a page of text is a few kB; 5 MB is surely not a page
READ_HINTS = {
    errno.ELOOP: "a symbolic link here points at itself, or round in a circle; replace it "
    "with the file",
    errno.ENOENT: "a symbolic link here points at a file that does not exist",
    errno.EACCES: "you may not read this file; check its permissions",
    errno.EISDIR: "this is a folder, not a file",
}
# Byte order marks other than UTF-8's, longest first (UTF-32 LE starts like UTF-16 LE).
BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Bytes that are letters or punctuation in Windows-1252 but control codes in Latin-1.
WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")
SAVE_AS_UTF8 = ("save it as UTF-8 in your editor (VS Code: click the encoding in the status "
                "bar, then Save with Encoding, UTF-8; Notepad: Save as, Encoding: UTF-8; "
                "TextEdit: Duplicate, then Save with Plain Text Encoding: Unicode (UTF-8))")
FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
# Python-Markdown recurses once per level of nesting and stops with a RecursionError after
# a few hundred; no text a person reads is nested anywhere near 100 levels (200 spaces).
DEEP = re.compile(r"^([ \t>]{200,})\S", re.MULTILINE)
# C0 control characters other than tab and newline (and DEL): never part of a coach's text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A line that can be part of YAML front matter: a field, an indented line, a list item, a
# comment. The first other line after an unclosed --- is where the closing --- was meant to go.
YAML_LINE = re.compile(r"^(\s+\S|[A-Za-z_][\w -]*:(\s|$)|-(\s|$)|#|\s*$)")
MARKDOWN_HEADING = re.compile(r"^#{2,6}\s+\S")
KEY_START = re.compile(r"^\s*[A-Za-z_][\w-]*$")
FIELD_LINE = re.compile(r"^(\s*)([A-Za-z_][\w-]*):(\s*)(.*)$")
RESERVED_START = {
    "[": "a list", "{": "a group of fields", "*": "a reference to another value",
    "&": "a name for a value", "!": "a type tag", "|": "the start of a block of text",
    ">": "the start of a folded block of text", "%": "a directive", "@": "a reserved character",
    "`": "a reserved character", "?": "a complex key", "-": "a list item",
}


@dataclass
class Document:
    """A content file split in two: its front matter node and its Markdown body."""

    meta: yaml.Node | None
    body: str
    body_line: int  # 1-based line number of the body's first line
    has_front_matter: bool


def read_bytes(file: Path, path: str, problems: Problems) -> bytes | None:
    """Read a content file's bytes, or report why it cannot be read (never raise)."""
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            problems.add(path, 0, "this is a folder, not a file, but its name ends in "
                         f"{file.suffix}", "rename the folder, or move it out of the guide")
            return None
        if not stat.S_ISREG(info.st_mode):
            # A named pipe or a device would block or never end; read only regular files.
            problems.add(path, 0, "this is not a regular file (a pipe, socket or device?)",
                         "replace it with a text file, or remove it")
            return None
        if info.st_size > MAX_BYTES:
            problems.add(path, 0, f"this file is too large for a content page "
                         f"({info.st_size / 1_000_000:.1f} MB; at most "
                         f"{MAX_BYTES // 1_000_000} MB)", "split it into several pages, or "
                         "check that it is really a text file")
            return None
        with open(file, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        problems.add(path, 0, f"cannot read this file: {exc.strerror or exc}",
                     READ_HINTS.get(exc.errno or 0, "check that it exists and that you may "
                                    "read it"))
        return None


def find_too_deep(content: Path) -> list[Problem]:
    """Name the file whose Markdown is nested too deeply to convert (Python-Markdown recurses
    once per level of lists or quotes); used only after such a file stopped a load."""
    deepest, depth = None, 0
    for file in sorted(content.rglob("*.md")):
        try:
            lines = file.read_text(encoding="utf-8-sig", errors="replace").split("\n")
        except OSError:
            continue  # reported by the load itself
        # Converting again would take seconds; the deepest indentation or quoting is the one.
        level = max((len(line.expandtabs(4)) - len(line.lstrip(" \t>")) for line in lines),
                    default=0)
        if level > depth:
            deepest, depth = file, level
    where = project_path(deepest) if deepest is not None else project_path(content)
    return [Problem(where, 0, 0, "the text is nested too deeply to be read (hundreds of "
                    "levels of lists, quotes or indentation)", "flatten the deepest lists or "
                    "quotes; a few levels are plenty for a reader")]


def decode(raw: bytes, path: str, problems: Problems) -> str | None:
    """Decode a file as UTF-8 (a BOM is dropped, wherever it is; CRLF and CR become LF), or
    report where it fails.

    A file with a UTF-16 or UTF-32 byte order mark is read in that encoding (the mark says
    which, Unicode 15 section 23.8). Other text that is not UTF-8 is named by what it looks
    like (UTF-16 without the mark, Windows-1252 or Latin-1), with how to save it as UTF-8.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    else:
        for bom, encoding in BOMS:
            if raw.startswith(bom):
                try:
                    return decode(raw[len(bom):].decode(encoding).encode("utf-8"), path,
                                  problems)
                except UnicodeDecodeError:
                    break  # not that encoding after all: treat it as bytes, below
    utf16 = utf16_without_bom(raw)
    if utf16:
        order = "little-endian" if utf16 == "utf-16-le" else "big-endian"
        problems.add(path, 0, f"this file is UTF-16 text ({order}, without a byte order "
                     "mark), not UTF-8", SAVE_AS_UTF8)
        return None
    if b"\x00" in raw[:8192]:
        problems.add(path, 0, "this file holds binary data, not text",
                     "content files are plain text; is this an image or a word-processor "
                     "document saved with a .md name?")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        legacy = single_byte_encoding(raw)
        shown = legacy or "utf-8"
        col = len(raw[line_start : exc.start].decode(shown, errors="replace")) + 1
        # Quote the line as it most likely reads, or with the unreadable bytes shown as
        # replacement characters.
        problems.remember_text(path, raw.decode(shown, errors="replace").replace("\r", ""))
        byte = raw[exc.start]
        if legacy:
            char = bytes([byte]).decode(legacy)
            name = ("Windows-1252" if legacy == "cp1252" and WINDOWS_ONLY.search(raw)
                    else "Windows-1252 or Latin-1 (ISO-8859-1)")
            message = (f'this file is not UTF-8: it looks like {name} text ("{char}" here is '
                       f"the byte 0x{byte:02x})")
        else:
            message = (f"this file is not UTF-8 text (byte 0x{byte:02x} cannot be read)")
        problems.add(path, line, message, SAVE_AS_UTF8, col=col)
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufeff" in text:
        # A byte order mark inside the text (two files joined into one, a mark saved twice)
        # is the same invisible mark, out of place: dropped, as the first one is. Left in,
        # it hid the "---" or "##" it stands before ("no front matter", "the field comes
        # before any prompt"). U+FEFF means nothing else in text (Unicode 15 section 23.8:
        # U+2060 is the word joiner).
        text = text.replace("\ufeff", "")
    deep = DEEP.search(text)
    if deep:
        line = text.count("\n", 0, deep.start()) + 1  # the line is not quoted: all spaces
        problems.add(path, line, f"this line starts with {len(deep.group(1))} spaces or > "
                     "signs: nested far too deeply to be read", "flatten the deepest lists or "
                     "quotes; a few levels are plenty for a reader", col=len(deep.group(1)) + 1)
        return None
    control = CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        char = control.group()
        if char == "\x00":
            message = "this file holds binary data (a NUL byte), not text"
            hint = ("content files are plain text; is this an image or a word-processor "
                    "document saved with a .md name?")
        else:
            message = f"an invisible control character (U+{ord(char):04X}) is in the text"
            hint = ("delete it; such characters usually come from copying text out of a PDF "
                    "or a word processor")
        problems.remember_text(path, text)
        problems.add(path, line, message, hint, col=col)
        return None
    return text


def utf16_without_bom(raw: bytes) -> str | None:
    """Return "utf-16-le" or "utf-16-be" when bytes look like UTF-16 text without a BOM.

    Text in a Latin script saved as UTF-16 has a zero byte beside every ASCII character: on
    odd positions (little-endian) or even ones (big-endian). Binary files have zeros too,
    but not nearly all on one side, and they do not decode to text without controls.
    """
    sample = raw[:8192]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    for encoding, zeros, others in (("utf-16-le", sample[1::2], sample[0::2]),
                                    ("utf-16-be", sample[0::2], sample[1::2])):
        if zeros.count(0) >= 0.7 * half and others.count(0) <= 0.02 * half:
            try:
                text = raw[: len(raw) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            if not CONTROL.search(text.replace("\r", "")):
                return encoding
    return None


def single_byte_encoding(raw: bytes) -> str | None:
    """Return "cp1252" or "latin-1" when bytes that are not UTF-8 read as that, else None.

    Windows-1252 is the usual encoding of text saved as "ANSI" on Windows, and a superset of
    Latin-1's printable characters (WHATWG Encoding: "latin1" labels mean windows-1252).
    """
    for encoding in ("cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding if not CONTROL.search(text.replace("\r", "")) else None
    return None


def split(text: str, path: str, problems: Problems) -> Document | None:
    """Split `---` front matter from the body and compose its YAML into a node."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if lines[first].strip() == "+++":
            problems.add(path, first + 1, "front matter between +++ lines (TOML) is not read "
                         "here", "write the fields as YAML between --- lines, e.g. "
                         "title: My page")
            return None
        if first and lines[first].rstrip() == "---":
            problems.add(path, first + 1, "the front matter must start on the very first "
                         "line of the file", "delete the empty lines above this ---")
            return None
        return Document(None, text, 1, False)
    for index in range(1, len(lines)):
        if FENCE.match(lines[index]):
            end = index
            break
    else:
        likely = next((i for i in range(1, len(lines)) if not YAML_LINE.match(lines[i])), 0)
        hint = "add a line with just --- after the last field, before the text of the page"
        if likely:
            hint += f" (probably above line {likely + 1}, where the text seems to start)"
        problems.add(path, 1, "the front matter starts with --- but is never closed", hint)
        return None
    for index in range(1, end):
        line = lines[index]
        # Text or a Markdown heading inside the front matter: its closing --- is missing and
        # a --- further down (a horizontal rule) was taken for it.
        if MARKDOWN_HEADING.match(line) or (
            not YAML_LINE.match(line) and index > 1 and not lines[index - 1].strip()
        ):
            problems.add(path, index + 1, "the front matter runs on into the text here: its "
                         "closing --- is missing", f"add a line with just --- above this "
                         f"line (the --- on line {end + 1} was read as the end of the front "
                         "matter)")
            return None
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    node = compose(yaml_text, path, problems, first_line=2)
    if node is False:
        return None
    return Document(node, body, end + 2, True)


# Spaces YAML does not take for a space (YAML 1.2: white space is a space or a tab only):
# no-break spaces (U+00A0, U+202F, which a word processor or a web page puts after a colon
# or in an indentation when text is pasted, and macOS types with Option-Space), the other
# Unicode spaces, and the invisible zero-width ones (U+200B, U+2060, U+FEFF).
ODD_SPACE = "\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
ODD_SPACES = re.compile(f"[{ODD_SPACE}]")
# A line's indentation and list dashes, then a field's name and its colon (when it has one).
LINE_START = re.compile(r"^[ \t]*(?:-[ \t]*)*")
FIELD_NAME = re.compile(rf"[^\s:#'\"{{}}\[\]|>&*!%@`,][^:#]*?:(?=[ \t]|$|[{ODD_SPACE}])")
# A line that starts a block of text (footer: |, note: >-), whose lines are all text.
BLOCK_START = re.compile(r"^([ \t]*)(?:-[ \t]+)*(?:[^:#]+:[ \t]+)?[|>][-+0-9]*[ \t]*(?:#.*)?$")


def odd_spaces(text: str) -> list[tuple[int, int, str]]:
    """Return where a YAML text has a space YAML does not take for one (ODD_SPACE) in the
    place of a space: (0-based line, 1-based column, the character), in a line's
    indentation, after a list's dash, in a field's name or right after its colon. Such a
    line looks right and is read wrongly ("title:\u00a0Start" is no field), so its message
    must name the space. Lines of a block of text (after "footer: |") are left alone."""
    found: list[tuple[int, int, str]] = []
    if not ODD_SPACES.search(text):
        return found
    block: int | None = None  # the indentation of the line that started a block of text
    for index, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" \t"))
        if block is not None:
            if not line.strip(" \t") or indent > block:
                continue
            block = None
        at = LINE_START.match(line).end()  # type: ignore[union-attr]
        field = FIELD_NAME.match(line, at)
        # In the indentation (or first in the line), in a field's name, or after its colon.
        place = at if at < len(line) and ODD_SPACES.match(line[at]) else None
        if place is None and field:
            inside = ODD_SPACES.search(field.group())
            if inside:
                place = field.start() + inside.start()
            elif field.end() < len(line) and ODD_SPACES.match(line[field.end()]):
                place = field.end()
        if place is not None:
            found.append((index, place + 1, line[place]))
            continue
        start = BLOCK_START.match(line)
        if start:
            block = len(start.group(1))
    return found


def compose(text: str, path: str, problems: Problems, first_line: int = 1):
    """Compose YAML text into a node tree; on a syntax error report it and return False.

    A no-break or zero-width space in the place of a space (odd_spaces) is reported on its
    line and column instead, once for each line: what YAML says of it would name a line
    that looks right."""
    odd = odd_spaces(text)
    for index, col, char in odd:
        name = f"U+{ord(char):04X} ({unicodedata.name(char, 'space').lower()})"
        if char.isspace():
            problems.add(path, index + first_line, f"this line has {name} where YAML needs an "
                         "ordinary space, so it is not read as written", "delete it and type "
                         "a space (a word processor, a web page or Option-Space puts these in: "
                         "they look like spaces but are not)", col=col)
        else:
            problems.add(path, index + first_line, f"this line has {name}, an invisible "
                         "character that YAML reads as part of the line", "delete it: it takes "
                         "a key press to delete but shows nothing (it came with pasted text)",
                         col=col)
    if odd:
        return False
    try:
        return yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message, hint, index, col = explain_yaml_error(exc, text, mark)
        problems.add(path, index + first_line, message, hint, col=col)
        return False
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in bytes of UTF-8, not in characters.
        raw = text.encode("utf-8")[: exc.position] if isinstance(exc.position, int) else b""
        before = raw.decode("utf-8", errors="ignore")
        line = before.count("\n") + first_line
        col = len(before) - (before.rfind("\n") + 1) + 1
        problems.add(path, line, f"YAML cannot read the character U+{exc.character:04X} here"
                     if isinstance(exc.character, int) else "YAML cannot read this text",
                     "delete the character, or put the value in quotes", col=col)
        return False
    except yaml.YAMLError as exc:  # pragma: no cover - other errors without a mark
        problems.add(path, first_line, f"the YAML cannot be read: {exc}", "check the syntax")
        return False


def explain_yaml_error(exc: yaml.MarkedYAMLError, text: str, mark) -> tuple[str, str, int, int]:
    """Turn a PyYAML error into a message, a hint, and the 0-based line and 1-based column.

    The line is usually where PyYAML noticed the problem; for a field without its colon
    PyYAML only notices on the next line, so the line before is named instead.
    """
    problem = (exc.problem or "").strip()
    context = str(exc.context or "")
    lines = text.split("\n")
    if "flow" in context and exc.context_mark is not None:
        # An unclosed [ or {: PyYAML notices at the end; the value that opened it is the news.
        mark = exc.context_mark
    index = min(mark.line, max(len(lines) - 1, 0)) if mark else 0
    col = (mark.column + 1) if mark else 0
    line_text = lines[index] if lines else ""
    field = FIELD_LINE.match(line_text)
    value = field.group(4).strip() if field else ""
    name = field.group(2) if field else "title"

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    if "tab" in problem or "\t" in line_text[: max(col, 1)]:
        tab = line_text.find("\t")
        return (
            "a tab character is used for indentation, which YAML does not allow",
            "indent with spaces instead of tabs (most editors can convert tabs to spaces)",
            index, tab + 1 if tab >= 0 else col,
        )
    if "mapping values are not allowed" in problem:
        before = line_text[: col - 1] if col else ""
        previous = index - 1
        while previous >= 0 and not lines[previous].strip():
            previous -= 1
        if KEY_START.match(before) and previous >= 0:
            # "name:" at the start of this line is a field, so the mistake is further up.
            above = lines[previous]
            glued = re.match(r"^(\s*)([A-Za-z_][\w-]*):(\S.*)$", above)
            if glued:
                return (
                    "a field name is followed by a colon without a space after it",
                    f"put a space after the colon: {glued.group(2)}: {glued.group(3)}",
                    previous, len(glued.group(1)) + len(glued.group(2)) + 1,
                )
            if ":" not in above:
                word = above.strip().split()[0] if above.strip() else "name"
                return (
                    "this line has no colon after the field name",
                    f"write it as  name: value, e.g.  {word}: ...",
                    previous, len(above) - len(above.lstrip()) + 1,
                )
            if len(before) - len(before.lstrip()) > len(above) - len(above.lstrip()):
                return (
                    "this field is indented more than the field above it, so YAML reads it "
                    "as part of that field's value",
                    "start the line at the same position as the fields above it",
                    index, len(before) - len(before.lstrip()) + 1,
                )
        return (
            "a value contains a colon followed by a space, which YAML reads as a new field",
            f"put the value in quotes: {name}: {quoted(value)}",
            index, col,
        )
    if value[:1] in ("'", '"') and (
        "did not find expected key" in problem or "expected <block end>" in problem
        or "did not find expected comment or line break" in problem
    ):
        # "He said "no"" meant the text inside the outer quotes; "Speak" up meant the
        # quotes to be part of the text (the value does not end with the quote it began with).
        inner = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value
        single = "'" + inner.replace("'", "''") + "'"  # YAML doubles ' inside '...'
        return (
            f"the quotes around this value end too early: a {value[0]} inside it closes them",
            f"put the value in the other kind of quotes: {name}: "
            + (quoted(inner) if value[0] == "'" else single),
            index, col,
        )
    if value and value[0] in RESERVED_START and mark and col - 1 >= len(line_text) - len(
        line_text.lstrip()
    ) + len(name) + 1:
        what = RESERVED_START[value[0]]
        return (
            f"the value starts with {value[0]}, which YAML reads as {what}",
            f"put the whole value in quotes: {name}: {quoted(value)}",
            index, len(line_text) - len(line_text.lstrip(" ")) + len(name) + 2
            + len(field.group(3)) if field else col,
        )
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return (
            "this line does not fit the structure around it: each field is 'name: value', "
            "and lines inside a field are indented further than its name",
            "check the indentation of this line and the one before it, and that each field "
            "has a colon after its name",
            index, col,
        )
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return (
            "a value starts with * or { that YAML reads as special syntax",
            "put the value in quotes",
            index, col,
        )
    if "while scanning a quoted scalar" in context or "end of stream" in problem:
        start = exc.context_mark.line if exc.context_mark else index
        return ("a quote is opened but never closed", "close the quote at the end of the value",
                start, (exc.context_mark.column + 1) if exc.context_mark else col)
    if "expected a single document" in problem or "another document" in problem:
        return (
            "a second --- line starts another YAML document",
            "remove the extra --- line (only the front matter of a page is between two "
            "--- lines)",
            index, col,
        )
    return (f"YAML cannot read this: {problem or exc}", "check the syntax of this line",
            index, col)
