"""`python build.py new ...`: start a guide or a worksheet from a commented skeleton.

The skeletons build as they are, so a coach can run `serve` right away and fill them in
while watching the pages change. Nothing is ever overwritten.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from pathlib import Path

from .errors import did_you_mean
from .load import MAX_NAME, SLUG, STEP_FILE


class ScaffoldError(Exception):
    """A reason not to create anything, worded for the coach."""


MAX_SLUG = 50  # characters of a folder or file name made from a title


def slugify(title: str, limit: int = MAX_SLUG) -> str:
    """Make a folder or file name from a title: lowercase ASCII words joined by hyphens.

    Letters and digits outside ASCII are written in Latin letters (anyascii's
    transliteration: "Café" -> "cafe", "Как справиться" -> "kak-spravitsya"), each Chinese,
    Japanese or Korean ideograph as a word of its own ("拒绝" -> "ju-jue"); other signs
    (emoji, punctuation) separate words. May return "" (a title of signs only). A name
    longer than `limit` characters is cut after its last whole word that fits (a single
    word longer than that is cut where it must be).
    """
    from anyascii import anyascii  # only `new` names things: no import cost for builds

    pieces = []
    for char in unicodedata.normalize("NFC", title):
        if char.isascii():
            pieces.append(char)
        elif unicodedata.category(char)[0] not in "LN":
            pieces.append(" ")
        elif unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH"):
            pieces.append(f" {anyascii(char)} ")
        else:  # a soft sign or an ayin is an apostrophe there, inside a word: dropped
            pieces.append(anyascii(char).replace("'", ""))
    ascii_text = "".join(pieces)
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-"))
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[: limit + 1] else slug[:limit]
    return cut.strip("-")


def transliterated(title: str) -> bool:
    """Say whether slugify wrote letters of another script than Latin in Latin letters
    ("Как" -> "kak"), not only dropped accents ("Café" -> "cafe")."""
    return any(char.isalnum() and not unicodedata.normalize("NFKD", char).encode(
        "ascii", "ignore") for char in title)


def choose_slug(title: str, slug: str | None, what: str) -> str:
    """Return the given slug or one made from the title, checking it can be used."""
    if not title.strip():
        raise ScaffoldError(f"the {what} needs a title, e.g.  \"Handling conflict\"")
    chosen = slug if slug is not None else slugify(title)
    if not chosen:
        raise ScaffoldError(f'cannot make a file name from the title "{title}"; give one '
                            "with --slug, e.g. --slug handling-conflict")
    if not SLUG.match(chosen):
        raise ScaffoldError(f'"{chosen}" cannot be used as a name: use lowercase letters, '
                            "digits and hyphens, starting with a letter or digit")
    if len(chosen) > MAX_NAME:
        raise ScaffoldError(f"the name is {len(chosen)} characters long: a name has at most "
                            f"{MAX_NAME}; give a shorter one with --slug, e.g. --slug "
                            f"{slugify(chosen)}")
    return chosen


def yaml_string(text: str) -> str:
    """Quote a title for YAML with double quotes, escaping what needs it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def guide_files(title: str) -> dict[str, str]:
    """Return the skeleton of a guide: {path inside its folder: text}."""
    return {
        "guide.md": GUIDE.format(title=yaml_string(title)),
        "reading.md": READING,
        "1-first-step.md": STEP,
        "worksheets/first-worksheet.md": WORKSHEET.format(
            title='"First worksheet"', step_line="step: 1", back="../1-first-step.md",
            back_title="the first step"),
    }


def worksheet_file(title: str, step: int | None, step_file: str | None) -> str:
    """Return the skeleton of a worksheet, belonging to a step or to the whole guide."""
    if step is None:
        step_line = ("# step: 1             # the number of the step it belongs to "
                     "(leave out for the whole guide)")
        back, back_title = "../guide.md", "the guide"
    else:
        step_line = f"step: {step}"
        back, back_title = f"../{step_file}", f"step {step}"
    return WORKSHEET.format(title=yaml_string(title), step_line=step_line, back=back,
                            back_title=back_title)


def create(files: dict[Path, str]) -> list[Path]:
    """Write new files, refusing (before writing any) if one of them exists."""
    existing = [path for path in files if path.exists()]
    if existing:
        raise ScaffoldError("not overwriting " + ", ".join(str(p) for p in existing)
                            + ": it already exists")
    created = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never replace a file
            handle.write(text)
        created.append(path)
    return created


def new_guide(content: Path, title: str, slug: str | None = None) -> list[Path]:
    """Create a guide folder with a guide.md, a first step and a first worksheet."""
    if not content.is_dir():
        raise ScaffoldError(f"there is no content folder at {content}; run this in the "
                            f"folder that holds {os.path.join('content', '')}, or pass --content")
    name = choose_slug(title, slug, "guide")
    folder = content / name
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{os.path.join(folder, '')} already exists and is not empty: not "
                            "overwriting it. Pick another title, or a name with --slug")
    return create({folder / rel: text for rel, text in guide_files(title).items()})


def new_worksheet(content: Path, guide: str, title: str, step: int | None = None,
                  slug: str | None = None) -> list[Path]:
    """Create a worksheet in an existing guide, for one of its steps or the whole guide."""
    folder = content / guide
    if not (folder / "guide.md").is_file():
        guides = existing_guides(content)
        listed = ", ".join(guides) if guides else "none yet (start one with: new guide \"Title\")"
        raise ScaffoldError(f'there is no guide "{guide}" in {os.path.join(content, "")}.'
                            f"{did_you_mean(guide, guides)} The guides are: {listed}")
    step_file = None
    if step is not None:
        steps = existing_steps(folder)
        if step not in steps:
            listed = ", ".join(f"{number} ({name})" for number, name in sorted(steps.items()))
            raise ScaffoldError(f'the guide "{guide}" has no step {step}. Its steps are: '
                                f"{listed or 'none yet'}")
        step_file = steps[step]
    name = choose_slug(title, slug, "worksheet")
    if name == "index":
        raise ScaffoldError('"index" is taken by the page of all worksheets; pick another '
                            "title or --slug")
    path = folder / "worksheets" / f"{name}.md"
    return create({path: worksheet_file(title, step, step_file)})


def existing_guides(content: Path) -> list[str]:
    if not content.is_dir():
        return []
    return sorted(p.name for p in content.iterdir() if (p / "guide.md").is_file())


def existing_steps(folder: Path) -> dict[int, str]:
    """Return {step number: file name} for a guide's step files."""
    steps = {}
    for path in sorted(folder.glob("*.md")):
        match = STEP_FILE.match(path.name)
        if match:
            steps.setdefault(int(match.group(1)), path.name)
    return steps


def new(args: argparse.Namespace) -> int:
    """Run `new guide` or `new worksheet`; print what was created; return the exit code."""
    content: Path = args.content
    slug = getattr(args, "slug", None)
    try:
        if args.kind == "guide":
            created = new_guide(content, args.title, slug)
        else:
            created = new_worksheet(content, args.guide, args.title, args.step, slug)
    except ScaffoldError as exc:
        print(f"Nothing was created: {exc}.", file=sys.stderr)
        return 1
    for path in created:
        print(f"Created {path}")
    first = created[0]
    made = slugify(args.title) if slug is None else ""
    name = "folder" if args.kind == "guide" else "file"
    if made and len(made) < len(slugify(args.title, limit=10**6)):
        print(f'The title is long, so the {name} name was shortened to "{made}" at a word '
              "boundary. Rename it if you like (nothing refers to it yet), or choose the name "
              "with --slug NAME.")
    elif made and transliterated(args.title):
        print(f'The {name} name "{made}" is the title written in Latin letters, as addresses '
              "are. Rename it if you like (nothing refers to it yet), or choose the name with "
              "--slug NAME.")
    print(f"Open {first} and replace the explanations with your own words. "
          "Run  python build.py serve  to watch the pages change as you write.")
    return 0


READING = """\
---
# Related reading: books, articles and sites you recommend, listed at the end of the guide's
# page. Give each its title; its address (or  url: unknown  when it has none: never guess
# one); the author or publisher if you like; and a sentence on why it is worth reading.
title: Related reading
items:
  - title: The title of a book or article you recommend
    author: Its author
    url: unknown
    note: One sentence on why it is worth reading.
---
"""

GUIDE = """\
---
# The guide's front matter: YAML, one "name: value" per line. Lines starting with # are
# comments for you; they never appear on the site.
title: {title}
summary: One or two sentences that tell a reader what this guide helps with.
# language: fr        # its language, when it is not the site's (site.yaml's language:)
# order: 1            # its position on the home page (lowest first)
# authors:            # who wrote it; remove the # signs to use these lines
#   - name: Your Name
#     role: Certified coach
#     url: https://example.org/
# source:             # the article it is based on, if any
#   title: The original article's title
#   publisher: Where it was published
#   url: https://example.org/article
# safety_title: If this is not about you   # the safety note's heading (default: Before you start)
# safety_note: |      # shown prominently at the top, for readers who may need other help
#   If you are in danger, contact your local emergency services.
---
This is the guide's introduction, the first thing a reader sees on its page. Replace this
paragraph with a few sentences about who the guide is for and what they will get from it.

## How this guide works

List the steps here, each with a link to its file, so readers can find their way:

1. [The first step](1-first-step.md): one line on what it is about.

To add a step, create a file next to this one named with its number and a few words, such
as `2-talk-it-through.md`. Steps are numbered 1, 2, 3... without gaps. Worksheets go in the
`worksheets/` folder: `python build.py new worksheet GUIDE "Title" --step 2` starts one.
"""

STEP = """\
---
# A step of the guide. Its number comes from the file name (1-...), its page from the rest.
title: The first step
summary: One sentence on what the reader does in this step.
---
Write the step's text here, in Markdown. Start with what the reader does and why it helps.
The title above becomes the page's heading, so the text starts with paragraphs and uses
`##` for its sections.

## A section of the step

Use a section for each idea, with an example from real life if you have one. **Bold** and
*italic* work, as do lists:

- one point,
- another point.

## Try this

Point the reader to the worksheet for this step:
[the first worksheet](worksheets/first-worksheet.md).
"""

WORKSHEET = """\
---
# A worksheet: readers fill it in on screen (answers stay in their browser) or print it.
title: {title}
{step_line}
minutes: 15          # about how long it takes
summary: One sentence on what filling it in helps with.
---
Write a short introduction: what to think about before filling this in. See
[{back_title}]({back}) for more.

Each prompt is a `##` heading (ending in a short id in braces, which keeps saved answers
when you reword the heading), an optional line of help, then one field on a line of its own.
The field kinds are shown below; remove the ones you do not need.

## What happened? {{#what-happened}}

Describe it in a few sentences. This line is help text under the prompt.

[lines: 5]

## In one sentence, what do you want to change? {{#one-change}}

[short]

## What did you feel? {{#feelings}}

Tick all that apply. An item written like `Other: ___` gets a box to write in.

[checklist]
- [ ] Sad
- [ ] Angry
- [ ] Relieved
- [ ] Other: ___

## How strongly do you feel it now? {{#strength}}

[scale: 1-10 | Not at all | Completely]

## Your plan {{#plan}}

[table: 3 rows]
| What I will do | When | Who can help |
"""
