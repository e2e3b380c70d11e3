"""The fields each kind of content file may have: types, required, defaults, in one place.

Values are read from YAML nodes as the coach wrote them, by design: a `str` field keeps `no`,
`yes`, `on`, `2024-01-01`, `3.10` or `null`-looking words exactly as typed, so YAML's implicit
booleans, dates and numbers never turn a title into `False`, a date object or `3.1`. Only the
fields declared `int` or `bool` interpret the text, and when it does not fit they say so with
the value as written (`step: one` -> write digits only, e.g. `step: 1`).

Other traps are reported where the YAML is read (frontmatter.explain_yaml_error): an unquoted
colon, tabs, a value starting with [ { * & ! | > % @ `, quotes that end too early, a field
without its colon, a missing closing `---`. A plain value followed by ` #` loses the rest of
the line to a YAML comment; that is reported here as a warning.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problems
from .markup import address_escaped

TRUE = {"true", "yes", "on"}
FALSE = {"false", "no", "off"}
URL = re.compile(r"^(https?://[^\s/$.?#][^\s]*|mailto:[^\s@]+@[^\s@]+)$", re.IGNORECASE)
# A web address's host (after "https://", up to the path), and what no host has: a bracket
# outside an IPv6 address, quotes, spaces and the like (RFC 3986 section 3.2.2).
HOST = re.compile(r"^https?://([^/?#]*)", re.IGNORECASE)
NOT_IN_HOST = re.compile(r'[\[\]"<>^`{|}\\]')


def address_mistake(text: str) -> tuple[str, str] | None:
    """Return what is wrong with a field's web or email address (`text`, as written) and how
    to fix it, or None when URL takes it: ("has a space in it", "take the spaces out...")
    for a space inside an address, ("is not a web address", "") for any other mistake (the
    caller's hint names its field's choices). A host that URL takes but no address has
    ("https://[your-site].org") is a mistake too."""
    text = text.strip()
    if URL.match(text):
        host = HOST.match(text)
        if host and NOT_IN_HOST.search(host.group(1)):
            return ("is not a web address", "the site's name in it cannot have [ ] { } | "
                    "< > or quotes: write the site's own address, such as "
                    "https://example.org/page")
        return None
    if re.search(r"\s", text) and URL.match(re.sub(r"\s+", "%20", text)):
        return ("has a space in it", "a web address has no spaces: take them out, or write "
                "each one as %20")
    return ("is not a web address", "")


@dataclass(frozen=True)
class Field:
    """One field of a content file."""

    name: str
    kind: str  # str, text (Markdown), int, bool, url, list, mapping, colour, switch
    required: bool = False
    default: Any = None
    doc: str = ""
    minimum: int | None = None
    maximum: int | None = None
    schema: Schema | None = None  # for mapping, and for the items of a list


@dataclass(frozen=True)
class Schema:
    """The fields of one kind of content file (or of a nested mapping)."""

    name: str
    fields: tuple[Field, ...]
    example: str = ""

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


@dataclass
class Value:
    """A validated mapping: plain values plus the line each key was written on."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    line: int = 0

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key)
        return default if value is None else value


PERSON = Schema(
    "author",
    (
        Field("name", "str", required=True, doc="the author's name"),
        Field("role", "str", doc="a few words, e.g. 'Certified coaches'"),
        Field("url", "url", doc="the author's web site"),
    ),
)
SOURCE = Schema(
    "source",
    (
        Field("title", "str", required=True, doc="the original article's title"),
        Field("publisher", "str", doc="where it was published"),
        Field("url", "url", doc="the article's address, if known"),
    ),
)
ACCENT = Schema(
    "accent colour",
    (
        Field("light", "str", doc="the colour in the light theme, e.g. \"#1d5e8c\""),
        Field("dark", "str", doc="the colour in the dark theme, e.g. \"#8cc4f0\""),
    ),
    example='accent_color:\n  light: "#1d5e8c"\n  dark: "#8cc4f0"\n',
)
READING_ITEM = Schema(
    "reading item",
    (
        Field("title", "str", required=True, doc="the title of the piece"),
        Field("url", "str", doc="its address, or 'unknown' when it has none (never guess)"),
        Field("author", "str"),
        Field("publisher", "str"),
        Field("note", "text", doc="one sentence on why it is worth reading"),
    ),
)

QUICK_EXIT = Schema(
    "quick exit",
    (
        Field("url", "url", doc="where Exit this page goes, e.g. https://www.bbc.co.uk/weather"),
        Field("label", "str", doc='the words on the button, e.g. "Leave this site"'),
    ),
)
HELP_LINE = Schema(
    "help line",
    (
        Field("name", "str", required=True, doc="who helps, e.g. National Domestic Abuse Helpline"),
        Field("url", "url", doc="their web site"),
        Field("phone", "str", doc='their number as the reader dials it, e.g. "0808 2000 247"'),
        Field("note", "str", doc="one line: when to call them, their hours"),
    ),
)
SITE = Schema(
    "site settings",
    (
        Field("title", "str", required=True, doc="the site's name"),
        Field("tagline", "str", default=""),
        Field("language", "str", default="en", doc="the language code, e.g. en or en-GB"),
        Field("description", "str", default=""),
        Field("base_url", "url", doc="the public address, e.g. https://example.org/guides/"),
        Field("footer", "text", default="", doc="Markdown shown in every page's footer"),
        Field("pdf", "bool", default=False, doc="write PDF worksheets (needs the pdf extra)"),
        Field("paper", "str", default="auto", doc="default paper for printing: auto, a4, letter"),
        Field("accent_color", "colour", schema=ACCENT,
              doc='links, buttons, focus ring and progress, e.g. "#1d5e8c" (in quotes)'),
        Field("logo", "str", doc="an image in content/ shown before the title, e.g. logo.svg"),
        Field("made_with", "bool", default=True,
              doc='false hides "Made with Guidebook" in the footer'),
        Field("print_link", "bool", default=True,
              doc="with base_url, print each worksheet's address and a QR code of it at its "
                  "foot; false leaves them out"),
        Field("messages", "messages", default=(), doc="the theme's strings in your words: "
              '"English text": your text, or a language code with such lines under it'),
        Field("quick_exit", "switch", schema=QUICK_EXIT, default=True,
              doc="the Exit this page button: false turns it off, or give url and label"),
        Field("help", "list", schema=HELP_LINE, default=(),
              doc="help lines listed on the Staying safe online page"),
    ),
    example="title: My coaching guides\nlanguage: en\n",
)
GUIDE = Schema(
    "guide",
    (
        Field("title", "str", required=True),
        Field("summary", "str", required=True, doc="one or two sentences for the home page"),
        Field("authors", "list", schema=PERSON, default=()),
        Field("source", "mapping", schema=SOURCE),
        Field("safety_note", "text", default="", doc="a short note shown prominently"),
        Field("safety_title", "str", default="",
              doc="the safety note's heading (default: Before you start)"),
        Field("order", "int", default=0, doc="position on the home page (lowest first)"),
        Field("language", "str", doc="the guide's language code when not the site's, e.g. de"),
        Field("translation_of", "str", doc="the folder of the guide this one translates"),
    ),
    example="---\ntitle: My guide\nsummary: What it helps with.\n---\n",
)
STEP = Schema(
    "step",
    (
        Field("title", "str", required=True),
        Field("summary", "str", default=""),
    ),
    example="---\ntitle: Re-think the rejection\nsummary: One sentence.\n---\n",
)
WORKSHEET = Schema(
    "worksheet",
    (
        Field("title", "str", required=True),
        Field("step", "int", minimum=1, doc="the number of the step it belongs to"),
        Field("minutes", "int", minimum=1, maximum=240, doc="about how long it takes"),
        Field("summary", "str", default=""),
    ),
    example="---\ntitle: Facts and stories\nstep: 1\nminutes: 15\n---\n",
)
READING = Schema(
    "reading list",
    (
        Field("title", "str", default="", doc="the section's title (default: the theme's)"),
        Field("items", "list", schema=READING_ITEM, required=True),
    ),
)

KINDS = {"str": "text", "text": "text", "int": "a whole number", "bool": "true or false",
         "url": "a web address", "list": "a list", "mapping": "a group of fields",
         "colour": "a colour", "messages": "lines of  \"English text\": your text",
         "switch": "false, or a group of fields"}


def validate(node: yaml.Node | None, schema: Schema, path: str, problems: Problems,
             line_offset: int = 0, where: str = "") -> Value:
    """Check a mapping node against a schema; report every problem; return what is valid."""
    result = Value(line=(node.start_mark.line + 1 + line_offset) if node is not None else 1)
    fields = schema.by_name()
    context = f" in {where}" if where else ""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        node_pairs: list = []
    elif not isinstance(node, yaml.MappingNode):
        # An item of a list written as a line of text ("- A book by Someone", "- Maria
        # Keller"): the text is its title or name.
        key = next((k for k in ("title", "name") if k in fields), "")
        titled = (isinstance(node, yaml.ScalarNode) and where and key
                  and str(node.value).strip())
        problems.add(path, result.line, f"expected fields (name: value){context}, "
                     f"found {describe(node)}", f"write it like:\n{indent(schema.example)}"
                     if schema.example else f"write it as  - {key}: {node.value}  and give "
                     "its other fields on the lines under it" if titled else
                     "write one 'name: value' per line")
        # The fields are all missing for one reason; one message says it.
        return Value({f.name: empty(f) for f in schema.fields}, {}, result.line)
    else:
        node_pairs = node.value
    seen: set[str] = set()
    suggested: set[str] = set()  # fields an unknown key probably meant: not also "missing"
    for key_node, value_node in node_pairs:
        line = key_node.start_mark.line + 1 + line_offset
        col = key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.add(path, line, f"a field name must be a word, found {describe(key_node)}"
                         f"{context}", "write one 'name: value' per line, e.g. title: ...",
                         col=col)
            continue
        key = str(key_node.value)
        if key in seen:
            problems.add(path, line, f'the field "{key}" is given twice{context}',
                         "keep one of them", col=col)
            continue
        seen.add(key)
        spec = fields.get(key)
        if spec is None:
            valid = ", ".join(fields)
            # In capitals (TITLE:, Step:) a name is as far from its field as difflib goes.
            close = (difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
                     or difflib.get_close_matches(key.lower(), list(fields), n=1, cutoff=0.6))
            suggested.update(close)
            problems.add(path, line, f'unknown field "{key}"{context}.'
                         + (f' Did you mean "{close[0]}"?' if close else "")
                         + (" (field names are lowercase)" if close and key != key.lower()
                            and close[0] == key.lower() else ""),
                         f"the fields of {article(schema.name)} are: {valid}", col=col)
            continue
        result.lines[key] = line
        value = convert(value_node, spec, path, problems, line_offset, context)
        if value is not None:
            result.data[key] = value
    for spec in schema.fields:
        if spec.name in result.data:
            continue
        if spec.required and spec.name not in seen and spec.name not in suggested:
            hint = f"add a line such as:  {spec.name}: ..."
            if spec.doc:
                hint += f"  ({spec.doc})"
            problems.add(path, result.line, f'the required field "{spec.name}" is missing'
                         f"{context}", hint)
        result.data.setdefault(spec.name, empty(spec))
    return result


def empty(spec: Field) -> Any:
    """Return a field's default, or an empty value of its kind, so that later stages never
    meet a None where they expect text (the problem itself is already reported)."""
    if spec.default is not None:
        return spec.default
    return {"str": "", "text": "", "list": ()}.get(spec.kind)


def convert(node: yaml.Node, spec: Field, path: str, problems: Problems, line_offset: int,
            context: str) -> Any:
    """Convert one value node to the field's type, or report why it can't be."""
    line = node.start_mark.line + 1 + line_offset
    col = node.start_mark.column + 1
    name = spec.name
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value in (
        "", "~", "null", "Null", "NULL"
    ):
        if spec.required:
            problems.add(path, line, f'the field "{name}" is empty{context}',
                         f"give it a value{': ' + spec.doc if spec.doc else ''}", col=col)
        return None
    expected = KINDS[spec.kind]
    if spec.kind in ("str", "text", "url"):
        if not isinstance(node, yaml.ScalarNode):
            problems.add(path, line, f'"{name}" should be {expected}{context}, '
                         f"found {describe(node)}",
                         'if the text contains a colon, #, [ or {, put it in quotes: '
                         f'{name}: "..."', col=col)
            return None
        text = str(node.value)
        check_comment(node, name, path, problems, line_offset)
        if spec.kind == "str":
            text = " ".join(text.split())
            if name in PLAIN_TEXT_FIELDS:
                check_plain_link(text, node, name, path, problems, line, context)
            if not text and spec.required:
                problems.add(path, line, f'the field "{name}" is empty{context}',
                             "give it a value", col=col)
                return None
        mistake = address_mistake(text) if spec.kind == "url" else None
        if mistake is not None:
            problems.add(path, line, f'"{name}" {mistake[0]}: "{text}"{context}',
                         mistake[1] or "write the full address starting with https:// (or "
                         "leave the field out when the address is unknown)", col=col)
            return None
        return address_escaped(text.strip()) if spec.kind == "url" else text
    if spec.kind == "int":
        raw = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if re.fullmatch(r"[+-]?\d{10,}", raw.strip()):
            problems.add(path, line, f'"{name}" is far too large a number{context}',
                         "change the number", col=col)
            return None
        if not isinstance(node, yaml.ScalarNode) or not re.fullmatch(r"[+-]?\d+", raw.strip()):
            problems.add(path, line, f'"{name}" should be {expected}, found '
                         f'{describe(node)}{context}', f"write digits only, e.g. {name}: "
                         f"{example_number(raw, spec)}", col=col)
            return None
        number = int(raw)
        if (spec.minimum is not None and number < spec.minimum) or (
            spec.maximum is not None and number > spec.maximum
        ):
            bounds = f"from {spec.minimum} to {spec.maximum}" if spec.maximum else (
                f"at least {spec.minimum}")
            problems.add(path, line, f'"{name}" is {number}, but it must be {bounds}{context}',
                         "change the number", col=col)
            return None
        return number
    if spec.kind == "bool":
        raw = str(node.value).lower() if isinstance(node, yaml.ScalarNode) else ""
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        problems.add(path, line, f'"{name}" should be true or false, found {describe(node)}'
                     f"{context}", f"write {name}: true  or  {name}: false", col=col)
        return None
    if spec.kind == "colour":  # one colour, or a group of fields (light, dark)
        assert spec.schema is not None
        if isinstance(node, yaml.ScalarNode):
            check_comment(node, name, path, problems, line_offset)
            return " ".join(str(node.value).split())
        if isinstance(node, yaml.MappingNode):
            return validate(node, spec.schema, path, problems, line_offset, where=f'"{name}"')
        problems.add(path, line, f'"{name}" should be a colour, found {describe(node)}',
                     f'write it like  {name}: "#1d5e8c"', col=col)
        return None
    if spec.kind == "messages":
        return messages(node, name, path, problems, line_offset, col)
    if spec.kind == "switch":  # true or false, or a group of fields (which means on)
        assert spec.schema is not None
        if isinstance(node, yaml.MappingNode):
            return validate(node, spec.schema, path, problems, line_offset, where=f'"{name}"')
        raw = str(node.value).lower() if isinstance(node, yaml.ScalarNode) else ""
        if raw in TRUE | FALSE:
            return raw in TRUE
        fields = ", ".join(f.name for f in spec.schema.fields)
        problems.add(path, line, f'"{name}" should be true, false or a group of fields '
                     f"({fields}), found {describe(node)}{context}",
                     f"write {name}: false  to turn it off, or give its fields on their own "
                     f"lines:\n{name}:\n  {spec.schema.fields[0].name}: ...", col=col)
        return None
    if spec.kind == "mapping":
        assert spec.schema is not None
        return validate(node, spec.schema, path, problems, line_offset,
                        where=f'"{name}"')
    if spec.kind == "list":
        assert spec.schema is not None
        if not isinstance(node, yaml.SequenceNode):
            problems.add(path, line, f'"{name}" should be a list{context}, found '
                         f"{describe(node)}", f"write each {spec.schema.name} on a line "
                         f"starting with '- ', e.g.\n{name}:\n  - {spec.schema.fields[0].name}:"
                         " ...", col=col)
            return None
        return tuple(
            validate(item, spec.schema, path, problems, line_offset,
                     where=f'{spec.schema.name} {index} of "{name}"')
            for index, item in enumerate(node.value, start=1)
        )
    raise AssertionError(spec.kind)  # pragma: no cover


def messages(node: yaml.Node, name: str, path: str, problems: Problems, line_offset: int,
             col: int) -> tuple[tuple[str, str, str, int], ...] | None:
    """Read `messages:`: "English text": new text lines, for the site's language, or under a
    language code for that language. Returns (language or "", English, new text, line)."""
    example = (f'write it like:\n{name}:\n  "Print blank": Print an empty copy\n  de:\n'
               '    "Print blank": Leer drucken')
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node.start_mark.line + 1 + line_offset, f'"{name}" should be '
                     f"{KINDS['messages']}, found {describe(node)}", example, col=col)
        return None
    found: list[tuple[str, str, str, int]] = []
    pairs = [("", key, value) for key, value in node.value]
    while pairs:
        language, key, value = pairs.pop(0)
        line = key.start_mark.line + 1 + line_offset
        if not isinstance(key, yaml.ScalarNode):
            problems.add(path, line, f'a line of "{name}" has no text before its colon',
                         example)
        elif isinstance(value, yaml.MappingNode) and not language:
            pairs[:0] = [(str(key.value), k, v) for k, v in value.value]
        elif isinstance(value, yaml.ScalarNode) and not str(value.value).strip():
            # An empty button or label: no name for a screen reader, nothing to click on.
            problems.add(path, line, f'"{key.value}" in "{name}" is empty: pages would show '
                         "nothing in its place", "write your text after the colon, or remove "
                         "the line to keep the theme's", col=key.start_mark.column + 1)
        elif isinstance(value, yaml.ScalarNode):
            found.append((language, str(key.value), str(value.value), line))
        else:
            problems.add(path, line, f'"{key.value}" in "{name}" should be a text, found '
                         f"{describe(value)}", example)
    return tuple(found)


# Fields shown as plain text (escaped, not Markdown): a Markdown link in one shows as typed.
PLAIN_TEXT_FIELDS = {"title", "summary", "tagline", "description", "name", "role", "publisher",
                     "author", "label", "note", "safety_title"}
MARKDOWN_LINK = re.compile(r"!?\[[^\[\]\n]*\]\([^)\n]*\)")


def check_plain_link(text: str, node: yaml.ScalarNode, name: str, path: str,
                     problems: Problems, line: int, context: str) -> None:
    """Report a Markdown link or image in a plain-text field (PLAIN_TEXT_FIELDS: a title,
    a summary, a name...), which pages show as written, brackets, address and all."""
    found = MARKDOWN_LINK.search(text)
    if found:
        problems.add(path, line, f'a link in "{name}"{context}, which is plain text: readers '
                     f'would see the link "{found.group(0)}" as written, leading nowhere',
                     "keep the words and leave the link out: links go in a text written in "
                     "Markdown (the page's text under the front matter, a safety_note, "
                     "site.yaml's footer)", col=node.start_mark.column + 1)


NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60}


def example_number(raw: str, spec: Field) -> int:
    """Guess the number a coach meant (`one`, `15 min`, `2.0`) for the hint's example."""
    text = raw.strip().lower()
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    digits = re.match(r"^[^\d]*?(\d+)", text)
    if digits and len(digits.group(1)) <= 3:
        return int(digits.group(1))
    return spec.minimum or 1


def check_comment(node: yaml.ScalarNode, name: str, path: str, problems: Problems,
                  line_offset: int) -> None:
    """Warn when ` #` after a plain value made YAML drop the rest of the line as a comment."""
    if node.style or node.start_mark.line != node.end_mark.line:  # plain: None or ""
        return
    line = node.end_mark.line + 1 + line_offset
    source = problems.source_line(path, line)
    rest = source[node.end_mark.column :]
    if rest.strip().startswith("#") and node.value:
        shown = f"{node.value} {rest.strip()}".replace('"', '\\"')
        problems.warn(path, line, f'everything from " #" on is read as a YAML comment, so '
                      f'"{name}" is only "{node.value}"', f'put the value in quotes if the # '
                      f'is part of it: {name}: "{shown}"',
                      col=node.end_mark.column + len(rest) - len(rest.lstrip()) + 1)


def article(name: str) -> str:
    """Return 'a guide', 'an author', 'the site settings'."""
    if name.endswith("settings"):
        return f"the {name}"
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def describe(node: yaml.Node) -> str:
    """Describe what YAML read, in a coach's words."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            return "a group of fields in { } (YAML reads braces that way)"
        return "a group of fields (a colon followed by a space inside the value?)"
    text = str(node.value)
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def indent(text: str) -> str:
    """Indent an example for a hint (the hint's own lines are indented when printed)."""
    return "\n".join("  " + line for line in text.strip("\n").split("\n"))
