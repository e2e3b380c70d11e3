"""Read a worksheet's prompts from its Markdown body.

A prompt is a `##` heading (optionally ending in `{#stable-id}`), help text, then one field
marker on a line of its own:

    [lines: 6]                              writing lines
    [short]                                 a one-line answer
    [checklist]                             followed by "- [ ] item" lines ("Other: ___")
    [scale: 1-10 | Not at all | Completely] a rating scale with end labels
    [table: 3 rows]                         followed by "| What | Why |"

Every answer's names (the form control's, which the reader's saved answers are keyed by, and
the PDF form field's) are made here, once (answer_names), and carried by the model
(model.Answer); templates print them and scripts read them from the page.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from .errors import Problems, did_you_mean
from .i18n import quote_text
from .markup import THEME_IDS, Converted, Converter, Link, slug
from .model import Answer, ChecklistItem, Field, Prompt

KINDS = ("lines", "short", "checklist", "scale", "table")
VALID = "lines, short, checklist, scale, table"
EXAMPLES = {
    "lines": "[lines: 5]  (a number of writing lines from 1 to 30)",
    "short": "[short]",
    "checklist": "[checklist]  followed by lines such as  - [ ] Sadness",
    "scale": "[scale: 1-10 | Not at all | Completely]  (from 0 or 1 up to 2-10)",
    "table": "[table: 3 rows]  followed by a line of columns such as  | What | Why |",
}
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
# A heading as a coach may mistype a prompt's: any level, with or without the space
# ("### What now?", "##What now?"); a prompt only when a field marker follows it.
NEAR_HEADING = re.compile(r"^(#{1,6})(?!#)\s*([^\s#].*?)\s*$")
# An explicit id: a letter of any script, then letters, digits, _ or hyphens.
EXPLICIT_ID = re.compile(r"\s*\{\s*#([^\W\d_][\w-]*)\s*\}\s*$")
ANY_BRACES = re.compile(r"\{[^{}]*\}\s*$")
ID_HINT = ("write it as {#an-id}: a # then a letter, then letters, digits or hyphens, "
           "e.g. {#what-happened}")
MARKER = re.compile(r"^\[\s*([A-Za-z][A-Za-z _-]*?)\s*(?::\s*(.*?))?\s*\]\s*$")
CHECK_ITEM = re.compile(r"^\s*[-*+]\s+\[(?:[xX]|\s)?\]\s+(.+?)\s*$")  # \s: a no-break space too
# A line meant as a checklist item but written otherwise: "- [ ]Sad", "-[ ] Sad", "[ ] Sad",
# "1. [ ] Sad", "- [v] Sad", "- [ ]" without its text (group 1: the text).
NEAR_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])?\s*\[\s*[xXvV✓✔]?\s*\](?!\()\s*(.*?)\s*$")
TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
SCALE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
SCALE_WORDS = re.compile(r"^(\d+)\s*(?:to|until|through)\s*(\d+)$", re.IGNORECASE)
# A whole line in brackets that starts with a field kind and a number but is not a marker:
# "[lines 4]", "[table 3 rows]", "[scale 1-10 | Low | High]", "[lines = 4]".
LOOSE_MARKER = re.compile(r"^\[\s*([A-Za-z]+)\s*[=:\-–]?\s*(\d.*?)\s*\]\s*$")
ROWS = re.compile(r"^(\d+)(?:\s*rows?)?$")
OTHER = re.compile(r"_{3,}")
# A Markdown link or image ([text](address), ![alt](address)) in a text shown as written.
MARKDOWN_LINK = re.compile(r"!?\[[^\[\]\n]*\]\([^)\n]*\)")


def check_plain_links(text: str, what: str, source: str, number: int,
                      problems: Problems) -> None:
    """Report each Markdown link or image written in a field's label (`what`: a checklist
    item, a table column heading, a scale's end label), on line `number` whose text is
    `text`: labels are plain text (an item's label is the checkbox's <label>, and HTML
    allows no link inside a control's label that works as one), so readers would see
    the brackets and the address as written, and the link would go nowhere."""
    for found in MARKDOWN_LINK.finditer(text):
        problems.add(source, number, f'a link in {what}, which is plain text: readers would '
                     f'see the link "{found.group(0)}" as written, leading nowhere',
                     "put the link in the prompt's help text, between its ## heading and "
                     "the field marker, and keep the label as words only",
                     col=found.start() + 1)


@dataclass
class Parsed:
    intro_html: str
    prompts: tuple[Prompt, ...]
    # Every link and image of the introduction and the prompts' help, in the file's order
    # (the loader checks them like a step's), and the ids their Markdown gives (headings).
    links: tuple[Link, ...] = ()
    ids: frozenset[str] = frozenset()


def parse(body: str, first_line: int, source: str, converter: Converter,
          problems: Problems, answers: str = "") -> Parsed:
    """Split a worksheet body into its introduction and prompts, reporting every mistake.

    `answers` is the worksheet's answers key, "guide/worksheet" (model.Worksheet.answers):
    the start of its PDF fields' names. Each prompt's field carries its answers' names.
    """
    # Footnote ids carry the worksheet's name (and the prompt's id): the packet shows them all.
    scope = posixpath.splitext(posixpath.basename(source))[0]
    lines = body.split("\n")
    intro: list[str] = []
    prompts: list[Prompt] = []
    current: dict | None = None
    in_fence = False
    index = 0
    texts: list[Converted] = []  # the help texts' conversions, for their links and ids

    def finish() -> None:
        if current is None:
            return
        if current["field"] is None:
            indented = next((offset for offset, text in enumerate(current["help"], start=1)
                             if text.startswith("    ") and MARKER.match(text.strip())), 0)
            hint = (f"the field marker on line {current['line'] + indented} is indented by 4 "
                    "spaces or more, which makes it a code example: remove the spaces"
                    if indented else f"add a field marker on its own line under it, one of: "
                    f"{VALID}; for example [lines: 4]")
            problems.add(source, current["line"], f'the prompt "{current["title"]}" has no '
                         "field to fill in", hint)
            return
        help_md = "\n".join(current["help"]).strip()
        help_text = (converter.convert(help_md, source, f"{scope}-{current['id']}")
                     if help_md else None)
        help_html = help_text.html if help_text is not None else ""
        if help_text is not None:
            texts.append(help_text)
        prompts.append(Prompt(current["id"], current["title"], help_html,
                              answer_names(current["field"], current["id"], answers),
                              current["line"]))

    while index < len(lines):
        text = lines[index]
        number = first_line + index
        index += 1
        if FENCE.match(text):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(text)
        near = None if in_fence or (heading and len(heading.group(1)) == 2) else (
            NEAR_HEADING.match(text))
        if near and (current is None or current["field"] is not None) and (
                field_follows(lines, index)):
            # A prompt's heading with one # too many or too few, or without its space: one
            # message, and the field under it is its own (not "already has a field").
            if len(near.group(1)) != 1:  # a # heading is reported by the loader's check
                problems.add(source, number, f'"{text.strip()}" is not a prompt heading: a '
                             "prompt starts with ## and a space",
                             f"write it as  ## {near.group(2).strip()}")
            heading = near
        if heading and (len(heading.group(1)) == 2 or heading is near):
            finish()
            title = heading.group(2).rstrip("#").strip()
            explicit = EXPLICIT_ID.search(title)
            if explicit:
                title = title[: explicit.start()].strip()
            elif ANY_BRACES.search(title):
                problems.add(source, number, "this prompt's id is not a valid id", ID_HINT,
                             col=title.rfind("{") + 4)
            # The heading is the field's <label>: plain text, as an item's label is.
            check_plain_links(text, "a prompt's heading", source, number, problems)
            ident = explicit.group(1) if explicit else slug(title)
            if ident in THEME_IDS:  # the worksheet page's or the packet's own id
                problems.add(source, number, f'this prompt\'s id "{ident}" is one the page '
                             "already has (the theme's), so it would be on the page twice",
                             f"give the prompt an id of its own at the end of its heading: "
                             f"## {title} {{#{ident}-answer}}")
            current = {"title": quote_text(title, converter.language), "id": ident,
                       "line": number, "help": [], "field": None}
            continue
        marker = None if in_fence else MARKER.match(text)
        loose = None if in_fence or marker or text.startswith("    ") else (
            LOOSE_MARKER.match(text))
        if loose and loose.group(1).lower() in KINDS:
            kind = loose.group(1).lower()
            problems.add(source, number, f'"{text.strip()}" is not a field marker: it needs a '
                         f'colon after "{loose.group(1)}"',
                         f"write it as  {corrected(kind, loose.group(2))}", col=1)
            if current is not None and current["field"] is None:
                current["field"], current["failed"] = Field("short"), True
            continue
        if marker and not text.startswith("    "):
            kind = marker.group(1).strip().lower()
            params = (marker.group(2) or "").strip()
            if kind not in KINDS:
                problems.add(source, number, f'unknown field kind "{kind}".'
                             f"{did_you_mean(kind, KINDS)}", f"the field kinds are: {VALID}")
                if current is not None and current["field"] is None:
                    # The prompt has its field, misspelt: "has no field" would be noise.
                    current["field"], current["failed"] = Field("short"), True
                continue
            if current is None:
                problems.add(source, number, f"the field [{kind}] comes before any prompt",
                             "put a prompt heading above it, e.g.  ## How do you feel? "
                             "{#feel}")
                continue
            if current["field"] is not None:
                problems.add(source, number, f'the prompt "{current["title"]}" already has a '
                             "field", "give each field its own ## prompt heading above it")
                continue
            field, index = read_field(kind, params, lines, index, first_line, source,
                                      current["id"], problems, number, converter.language)
            current["field"] = field or Field("short")
            current["failed"] = field is None
            continue
        if current is None:
            intro.append(text)
        elif current["field"] is None:
            current["help"].append(text)
        elif text.strip() and not current.get("failed") and not current.get("after"):
            # One message for the text after a field, however many lines or paragraphs.
            current["after"] = True
            problems.add(source, number, f'text after the field of the prompt '
                         f'"{current["title"]}"', "move it above the field marker (help text "
                         "goes between the heading and the field), or start a new prompt "
                         "with ##")
    finish()
    shown = problems.shown(source)
    if not prompts and not any(p.path == shown and p.is_error for p in problems.items):
        problems.add(source, first_line, "this worksheet has no prompts",
                     "add a prompt: a line such as  ## What happened? {#what-happened}  "
                     "followed by a field such as [lines: 4]")
    seen: dict[str, int] = {}
    for prompt in prompts:
        if prompt.id in seen:
            problems.add(source, prompt.line, f'two prompts have the id "{prompt.id}" (the '
                         f"other is on line {seen[prompt.id]})", "give one of them its own id "
                         "by ending its heading with {#another-id}; saved answers are keyed "
                         "by these ids")
        seen.setdefault(prompt.id, prompt.line)
    check_answer_names(prompts, source, problems)
    intro_md = "\n".join(intro).strip()
    intro = converter.convert(intro_md, source, scope) if intro_md else None
    if intro is not None:
        texts.insert(0, intro)  # the introduction comes first in the file
    return Parsed(intro.html if intro is not None else "", tuple(prompts),
                  tuple(link for text in texts for link in text.links),
                  frozenset(ident for text in texts for ident in text.ids))


def field_follows(lines: list[str], index: int) -> bool:
    """Return whether a field marker (a line MARKER or LOOSE_MARKER matches, not indented as
    code) comes after lines[index - 1] before the next heading or code fence: the heading
    on that line is then the field's prompt."""
    for text in lines[index:]:
        if FENCE.match(text) or NEAR_HEADING.match(text):
            return False
        if not text.startswith("    ") and (MARKER.match(text) or LOOSE_MARKER.match(text)):
            return True
    return False


def read_field(kind: str, params: str, lines: list[str], index: int, first_line: int,
               source: str, prompt_id: str, problems: Problems,
               number: int, language: str = "en") -> tuple[Field | None, int]:
    """Read a field marker's parameters and any lines that belong to it.

    Labels (checklist items, scale ends, table columns) get the quotation marks of
    `language`. A checklist item's id is the prompt's id, a hyphen and the item's own
    explicit `{#id}` or else its text made into an id (markup.heading_id).
    """

    def bad(message: str) -> tuple[None, int]:
        problems.add(source, number, message, f"write it like  {EXAMPLES[kind]}")
        return None, index

    if kind == "lines":
        if not params:
            return bad("[lines] needs a number of lines, e.g. [lines: 5]")
        if not params.isdigit() or not 1 <= int(params) <= 30:
            return bad(f'[lines] needs a number of lines from 1 to 30, not "{params}"')
        return Field("lines", lines=int(params)), index
    if kind == "short":
        if params:
            return bad(f'[short] takes no parameter, but has "{params}"')
        return Field("short"), index
    if kind == "scale":
        parts = [p.strip() for p in params.split("|")]
        match = SCALE.match(parts[0]) if parts else None
        words = SCALE_WORDS.match(parts[0]) if parts else None
        if words:
            problems.add(source, number, f'a scale\'s range is written with a hyphen, not '
                         f'"{parts[0]}"', f"write it as  {corrected('scale', params)}")
            return None, index
        if not match:
            return bad(f'[scale] needs a range such as 1-10, not "{parts[0] if parts else ""}"')
        low, high = int(match.group(1)), int(match.group(2))
        if low not in (0, 1) or not 2 <= high <= 10 or high <= low:
            return bad(f"[scale] must start at 0 or 1 and end at 2 to 10, not {low}-{high}")
        if len(parts) not in (1, 3):
            return bad("[scale] takes a range and then two end labels, separated by |")
        check_plain_links(lines[index - 1], "a scale's end label", source, number, problems)
        labels = parts[1:] if len(parts) == 3 else ["", ""]
        return Field("scale", low=low, high=high, low_label=quote_text(labels[0], language),
                     high_label=quote_text(labels[1], language)), index
    if kind == "checklist":
        if params:
            return bad(f'[checklist] takes no parameter, but has "{params}"')
        items: list[ChecklistItem] = []
        ids: set[str] = set()
        mistyped = False
        while index < len(lines):
            match = CHECK_ITEM.match(lines[index])
            near = NEAR_ITEM.match(lines[index]) if not match else None
            if near:
                text = near.group(1)
                problems.add(source, first_line + index, "this checklist item has no text"
                             if not text else f'"{lines[index].strip()}" is not a checklist '
                             'item: an item starts with "- [ ] "', "write its text after "
                             '"- [ ] ", or remove the line' if not text else
                             f"write it as  - [ ] {text}", col=len(lines[index])
                             - len(lines[index].lstrip()) + 1)
                mistyped = True
                index += 1
                continue
            if not match:
                if lines[index].strip():
                    break
                if index + 1 < len(lines) and (items or mistyped) and (
                        CHECK_ITEM.match(lines[index + 1]) or NEAR_ITEM.match(lines[index + 1])):
                    index += 1
                    continue
                break
            label = match.group(1)
            check_plain_links(lines[index], "a checklist item", source, first_line + index,
                              problems)
            explicit = EXPLICIT_ID.search(label)
            if explicit:
                label = label[: explicit.start()].strip()
            elif ANY_BRACES.search(label):
                problems.add(source, first_line + index, "this item's id is not a valid id",
                             ID_HINT, col=lines[index].rfind("{") + 2)
            other = bool(OTHER.search(label))
            if other:  # an unnamed one is shown as the theme's "Other", in its language
                label = OTHER.sub("", label).strip().rstrip(":").strip()
            ident = f"{prompt_id}-{explicit.group(1) if explicit else slug(label or 'Other')}"
            if ident in ids:
                problems.add(source, first_line + index, f'the item "{label}" is listed twice'
                             if not explicit else f'two items have the id "{explicit.group(1)}"',
                             "remove one of them" if not explicit else
                             "give each item its own {#id}")
            ids.add(ident)
            items.append(ChecklistItem(ident, quote_text(label, language), other))
            index += 1
        if not items:
            return (None, index) if mistyped else bad(
                "[checklist] needs its items on the lines right under it")
        return Field("checklist", items=tuple(items)), index
    # table
    match = ROWS.match(params)
    if not match or not 1 <= int(match.group(1)) <= 12:
        return bad(f'[table] needs a number of rows from 1 to 12, not "{params}"')
    while index < len(lines) and not lines[index].strip():
        index += 1
    header = TABLE_ROW.match(lines[index]) if index < len(lines) else None
    if not header and index < len(lines) and "|" in lines[index]:
        # Headings without a | at each end (What | Why, | What | Why): Markdown's tables
        # allow that, the worksheet's need both, so the line says what it lacks.
        cells = " | ".join(c.strip() for c in lines[index].strip().strip("|").split("|"))
        problems.add(source, first_line + index, "a table's headings need a | at each end "
                     "of their line", f"write it as  | {cells} |")
        return None, index + 1
    if not header:
        return bad("[table] needs its column headings on the next line, like  | What | Why |")
    check_plain_links(lines[index], "a table column heading", source, first_line + index,
                      problems)
    columns = tuple(quote_text(c.strip(), language) for c in header.group(1).split("|"))
    index += 1
    if index < len(lines) and TABLE_RULE.match(lines[index]):
        index += 1
    if not 1 <= len(columns) <= 5 or not all(columns):
        problems.add(source, first_line + index - 1, "a table needs 1 to 5 columns, each with "
                     "a heading", "write the headings between | signs: | What | Why |")
        return None, index
    headings: set[str] = set()
    start = header.start(1)  # where the cells begin, after the first |
    for cell, column in zip(header.group(1).split("|"), columns, strict=True):
        if column.casefold() in headings:  # each box is named "heading, row n" (_fields.html)
            problems.add(source, first_line + index - 1, f'the table has two columns headed '
                         f'"{column}"', "give each column its own heading: a screen reader "
                         "names each box by its column's heading and its row",
                         col=start + len(cell) - len(cell.lstrip()) + 1)
            return None, index
        headings.add(column.casefold())
        start += len(cell) + 1
    return Field("table", columns=columns, rows=int(match.group(1))), index


def check_answer_names(prompts: list[Prompt], source: str, problems: Problems) -> None:
    """Report two answers of a worksheet that would be saved under one name (answer_names):
    a prompt's id can be another prompt's id and an item ("feel-sad": the prompt
    {#feel-sad}, or the item "Sad" of the prompt {#feel}). Prompts with the same id are
    reported by parse already; each clash once, on the later prompt."""
    named: dict[str, Prompt] = {}
    for prompt in prompts:
        own: set[str] = set()
        for answer in prompt.field.answers:
            if answer.name in own:  # an item named like another's write-in: "Other text"
                problems.add(source, prompt.line, f'two answers of the prompt "{prompt.title}" '
                             f'would be saved under one name, "{answer.name}"', "give one of "
                             "its items its own id, e.g.  - [ ] Other text {#more}")
                break
            own.add(answer.name)
            other = named.setdefault(answer.name, prompt)
            if other is not prompt and other.id != prompt.id:
                problems.add(source, prompt.line, f'this prompt and the prompt "{other.title}" '
                             f"(line {other.line}) would save an answer under one name, "
                             f'"{answer.name}"', "give one of them its own id by ending its "
                             "heading with {#another-id}; saved answers are keyed by it")
                break


def column_ids(columns: tuple[str, ...]) -> list[str]:
    """Return an id for each column of a table prompt, from its heading (markup.slug),
    unique within the table: a repeated heading's id gets -2, -3... (PDF field names)."""
    ids: list[str] = []
    for column in columns:
        ident = base = slug(column)
        number = 1
        while ident in ids:
            number += 1
            ident = f"{base}-{number}"
        ids.append(ident)
    return ids


def answer_names(field: Field, prompt_id: str, answers: str) -> Field:
    """Return `field` with the names of its answers: the one place they are made.

    `answers` is the worksheet's answers key ("guide/worksheet"). A field's name is its
    prompt's id; a checklist item's is its id (the prompt's id, a hyphen, its own) and its
    write-in's that and "-text"; a table cell's is the prompt's id and "-rR-cC" (row and
    column from 1). Readers' saved answers are keyed by these names, so they never change.
    A PDF field's name is "guide/worksheet/prompt", then "/item" (and "/text" for its
    write-in) or "/row-R/column" (column_ids): readable, and the same when a prompt with an
    explicit {#id} is reworded (README, Fillable PDFs).
    """
    base = f"{answers}/{prompt_id}"
    items = []
    for item in field.items:
        own = item.id[len(prompt_id) + 1:]
        items.append(replace(item, answer=Answer(item.id, f"{base}/{own}"),
                             write_in=Answer(f"{item.id}-text", f"{base}/{own}/text")
                             if item.other else None))
    columns = column_ids(field.columns)
    cells = tuple(tuple(Answer(f"{prompt_id}-r{row}-c{number}", f"{base}/row-{row}/{column}")
                        for number, column in enumerate(columns, start=1))
                  for row in range(1, field.rows + 1))
    return replace(field, answer=Answer(prompt_id, base), items=tuple(items), cells=cells)


def corrected(kind: str, params: str) -> str:
    """Return the marker a near-miss meant ("[lines 4]" -> "[lines: 4]"), or an example."""
    params = params.strip()
    if kind == "lines" and (found := re.fullmatch(r"(\d+)\s*(?:lines?)?", params)):
        return f"[lines: {found.group(1)}]"
    if kind == "table" and (found := re.fullmatch(r"(\d+)\s*(?:rows?)?", params)):
        return f"[table: {found.group(1)} rows]"
    if kind == "scale":
        parts = [part.strip() for part in params.split("|")]
        found = SCALE.match(parts[0]) or SCALE_WORDS.match(parts[0])
        if found and len(parts) in (1, 3):
            return "[scale: " + " | ".join([f"{found.group(1)}-{found.group(2)}",
                                            *parts[1:]]) + "]"
    return EXAMPLES[kind]
