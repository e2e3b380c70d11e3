"""Write the broken content trees of the corpus from the compact description below.

Each case is a small content tree (site.yaml and one guide, `g/`) with one kind of mistake,
plus `expected.txt`: the exact output of

    python build.py check --content tests/broken/<case>

run from the project folder. The trees are committed; this script only (re)writes them.
`python tests/broken/make_corpus.py` writes the trees; add `--expected` to also rewrite every
expected.txt from the current output (then read the diff before committing it).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

SITE = "title: Test guides\n"
GUIDE = """\
---
title: Handling a hard week
summary: A short guide used by the tests.
---
Start with [the first step](1-start.md).
"""
STEP = """\
---
title: Start here
summary: The first step.
---
## What to do

Write it down.
"""
WORKSHEET = """\
---
title: Notes
step: 1
minutes: 10
---
## What happened? {#what-happened}

[lines: 4]
"""
BASE: dict[str, str | bytes] = {
    "site.yaml": SITE,
    "g/guide.md": GUIDE,
    "g/1-start.md": STEP,
    "g/worksheets/notes.md": WORKSHEET,
}


def worksheet(body: str, front: str = "title: Notes\nstep: 1\nminutes: 10\n") -> str:
    return f"---\n{front}---\n{body}"


def step(front: str, body: str = "Some text.\n") -> str:
    return f"---\n{front}---\n{body}"


# name -> files to add or replace (None removes a base file; ("symlink", target) links)
CASES: dict[str, dict[str, str | bytes | tuple[str, str] | None]] = {
    # --- YAML traps in front matter
    "colon-in-title": {"g/1-start.md": step("title: Step 1: let it go\n")},
    "tab-indentation": {"g/guide.md": GUIDE.replace(
        "summary: A short", "source:\n\ttitle: An article\nsummary: A short")},
    "tab-before-field": {"g/1-start.md": step("title: Start\n\tsummary: The first step.\n")},
    "unclosed-front-matter": {"g/1-start.md": "---\ntitle: Start here\nsummary: The first "
                              "step.\n\nWrite it down.\n"},
    "front-matter-runs-into-the-text": {"g/1-start.md": "---\ntitle: Start here\nsummary: "
                                        "First.\n\nWrite it down.\n\n---\n\nMore.\n"},
    "front-matter-not-on-first-line": {"g/1-start.md": "\n" + STEP},
    "toml-front-matter": {"g/1-start.md": '+++\ntitle = "Start"\n+++\nText.\n'},
    "front-matter-is-a-list": {"g/1-start.md": step("- title: Start\n- summary: First\n")},
    "front-matter-is-a-sentence": {"g/1-start.md": step("This step is about starting.\n")},
    "no-front-matter": {"g/1-start.md": "## What to do\n\nWrite it down.\n"},
    "quote-ends-too-early": {"g/1-start.md": step("title: 'It's a start'\n")},
    "quote-starts-the-value-only": {"g/1-start.md": step('title: "Speak" up\n')},
    "unclosed-quote": {"g/1-start.md": step('title: "Start here\nsummary: First.\n')},
    "value-starts-with-bracket": {"g/1-start.md": step("title: [Draft] Start here\n")},
    "value-starts-with-star": {"g/1-start.md": step("title: *Really* start here\n")},
    "braces-read-as-fields": {"g/1-start.md": step("title: {Start}\n")},
    "field-without-colon": {"g/1-start.md": step("title Start here\nsummary: First.\n")},
    "no-space-after-colon": {"g/1-start.md": step("title:Start here\nsummary: First.\n")},
    "field-indented-too-far": {"g/1-start.md": step("title: Start here\n  summary: First.\n")},
    "hash-starts-a-comment": {"g/1-start.md": step("title: Session #1 start\n"),
                              "g/worksheets/notes.md": worksheet("## Q\n\n[lines: 2]\n",
                                                                 "title: Notes\nstep: 9\n")},
    "second-yaml-document-in-site-yaml": {"site.yaml": "---\ntitle: A\n---\ntitle: B\n"},
    # --- schema: fields, types, values
    "unknown-field-typo": {"g/guide.md": GUIDE.replace("summary:", "sumary:")},
    # A field's name in capitals: "unknown field" without a suggestion, and "title" missing.
    "field-name-in-capitals": {"g/1-start.md": step("TITLE: Start here\nSummary: First.\n"),
                               "site.yaml": "Title: Test guides\n"},
    "required-field-missing": {"g/guide.md": GUIDE.replace("summary: A short guide used by "
                                                           "the tests.\n", "")},
    "required-field-empty": {"g/1-start.md": step("title:\nsummary: First.\n")},
    "field-given-twice": {"g/1-start.md": step("title: Start\ntitle: Begin\n")},
    "step-is-a-word": {"g/worksheets/notes.md": worksheet("## Q\n\n[lines: 2]\n",
                                                          "title: Notes\nstep: one\n")},
    "minutes-with-unit": {"g/worksheets/notes.md": worksheet(
        "## Q\n\n[lines: 2]\n", "title: Notes\nstep: 1\nminutes: 15 min\n")},
    "number-far-too-large": {"g/guide.md": GUIDE.replace("---\nStart",
                                                         "order: 12345678901234\n---\nStart")},
    "minutes-out-of-range": {"g/worksheets/notes.md": worksheet(
        "## Q\n\n[lines: 2]\n", "title: Notes\nstep: 1\nminutes: 500\n")},
    "date-where-number-expected": {"g/guide.md": GUIDE.replace("---\nStart",
                                                               "order: 2024-05-01\n---\nStart")},
    "authors-not-a-list": {"g/guide.md": GUIDE.replace("---\nStart",
                                                       "authors: Jo Smith\n---\nStart")},
    "author-without-name": {"g/guide.md": GUIDE.replace(
        "---\nStart", "authors:\n  - role: Coach\n    web: https://example.org/\n---\nStart")},
    "source-url-not-an-address": {"g/guide.md": GUIDE.replace(
        "---\nStart", "source:\n  title: An article\n  url: www.example.org\n---\nStart")},
    # A space in an address, or a placeholder host in brackets (a Markdown link to one
    # stopped the build with a traceback: "Invalid IPv6 URL").
    "address-with-a-space-or-bracket": {
        "site.yaml": "title: Test guides\nhelp:\n  - name: A line\n"
                     "    url: https://example.org/get help\n",
        "g/guide.md": GUIDE.replace("---\nStart", "source:\n  title: An article\n"
                                    "  url: https://[your-site].example/article\n---\nStart"),
        "g/1-start.md": step("title: Start\n", "See [my site](https://[your-site].example/) "
                                                "first.\n"),
        "g/reading.md": "---\nitems:\n  - title: A book\n    url: https://example.org/a "
                        "book\n---\n"},
    # No-break and zero-width spaces, pasted from a word processor, where YAML needs a
    # space: each line looked right and was blamed for something else (a colon in a value,
    # an unknown field "  - name"). Inside a value, a block of text or a title they are text.
    "no-break-space-in-front-matter": {
        "site.yaml": "title: Test guides\nfooter: |\n  Remarque\u00a0: rien.\nhelp:\n"
                     "\u00a0 - name: A line\n  -\u00a0name: Another line\n",
        "g/guide.md": GUIDE.replace("summary:", "\u200bsummary:"),
        "g/1-start.md": step("title:\u00a0Start\nsummary: The first step.\n"),
        "g/worksheets/notes.md": worksheet("## What happened?\u00a0{#what-happened}\n\n"
                                           "[lines: 4]\n", "title: 'Notes\u00a0: first'\n"
                                           "step: 1\nminutes: 10\nsummary: A\u202fB.\n")},
    # A string of the theme changed to nothing: an empty button (it was built so).
    "site-yaml-empty-message": {"site.yaml": 'title: Test guides\nmessages:\n  "Print blank":'
                                '\n  "Clear my answers": ""\n  de:\n    "Exit this page": " "\n'},
    # Names too long for the files made from them (a 245-character worksheet's
    # -letter.pdf was a traceback: OSError "File name too long").
    "names-too-long": {
        "g/worksheets/notes.md": None,
        "g/worksheets/" + "-".join(["notes"] * 20) + ".md": WORKSHEET,
        "g/1-start.md": None,
        "g/1-" + "-".join(["start"] * 20) + ".md": STEP,
        "g/guide.md": GUIDE.replace("1-start.md", "1-" + "-".join(["start"] * 20) + ".md"),
        "-".join(["week"] * 25) + "/guide.md": GUIDE},
    # base_url copied from the browser's address bar: every canonical link, the sitemap,
    # the 404 page's links and the printed QR code were ".../index.html/g/start.html".
    "site-yaml-base-url-of-a-page": {"site.yaml": "title: Test guides\n"
                                     "base_url: https://example.org/guides/index.html\n"},
    "site-yaml-not-a-mapping": {"site.yaml": "- title: Test guides\n"},
    "site-yaml-missing": {"site.yaml": None},
    "site-yaml-bad-values": {"site.yaml": "title: Test\nlanguge: en\npdf: maybe\npaper: A5\n"
                             "base_url: example.org\n"},
    # A list item written as a line of text: "write one 'name: value' per line", and for
    # a reading a second message, 'the reading "" has no address'.
    "list-item-written-as-text": {
        "g/reading.md": "---\nitems:\n  - The Dance of Anger by Harriet Lerner\n---\n",
        "g/guide.md": GUIDE.replace("---\nStart", "authors:\n  - Maria Keller\n---\nStart")},
    "reading-entries": {"g/reading.md": "---\nitems:\n  - title: A book\n    author: Someone\n"
                        "  - title: An article\n    url: not a link\n  - title: A page\n"
                        "    url: unknown\n---\n"},
    # --- files that cannot be read as text
    "not-utf8": {"g/1-start.md": step("title: Start\n", "Caf\xe9 au lait.\n").encode("latin-1")},
    "windows-1252-quotes": {"g/1-start.md": step("title: Start\n", "He said \u201cno\u201d and "
                                                  "left.\n").encode("cp1252")},
    "utf16-without-bom": {"g/1-start.md": step("title: Start\n").encode("utf-16-le")},
    "utf16-big-endian-without-bom": {"g/1-start.md": step("title: Start\n").encode(
        "utf-16-be")},
    "utf16-with-bom-is-read": {"g/1-start.md": step("title: Start\r\n", "Caf\u00e9.\r\n"
                                                    "# A title\r\n").encode("utf-16")},
    "binary-file": {"g/2-photo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
    "control-character": {"g/1-start.md": step("title: Start\n", "Pasted\x0btext.\n")},
    "empty-file": {"g/2-later.md": ""},
    "folder-named-like-a-page": {"g/2-later.md/notes.txt": "not a page\n"},
    "symlink-loop": {"g/2-loop.md": ("symlink", "2-loop.md")},
    "bom-and-crlf-accepted": {"g/1-start.md": b"\xef\xbb\xbf" + step(
        "title: Start\r\nsummary: First.\r\n", "Text.\r\n# A title\r\n").replace(
        "---\n", "---\r\n").encode()},
    # --- Markdown bodies
    "top-level-heading": {"g/1-start.md": step("title: Start\n", "# Start\n\nText.\n")},
    "markdown-nested-too-deeply": {"g/1-start.md": step("title: Start\n", "".join(
        "  " * depth + "- deeper\n" for depth in range(500)))},
    "raw-html-script-and-handlers": {"g/1-start.md": step("title: Start\n", (
        "Press <button onclick=\"show()\">Show</button> to see it.\n\n"
        "<script>function show() {}</script>\n\n"
        "[Open the notes](javascript:show())\n\n"
        "<a href='javascript:void(0)' onmouseover=\"x()\">Hover</a>\n\n"
        "<p style=\"color: red\">Red</p>\n\n"
        "A paragraph with a handler.\n{: onclick=\"x()\" }\n\n"
        "Code is fine: `<script>` and `onclick=\"x\"`.\n\n"
        "```\n<script>alert(1)</script>\n```\n\nAn indented example:\n\n"
        "    <button onclick=\"x()\">Not run: code</button>\n"))},
    # Raw HTML the policy does not stop, or that loads from another host (Markdown's own
    # ![image](https://...) is the link checks'); an HTML comment left open.
    "raw-html-other-hosts-and-head": {"g/1-start.md": step("title: Start\n", (
        "<img src=\"https://example.com/a.png\" alt=\"A\">\n\n"
        "<iframe src=\"https://video.example/embed/1\" title=\"Video\"></iframe>\n\n"
        "<picture><source srcset=\"a.png 1x, //cdn.example/b.png 2x\"></picture>\n\n"
        "<meta http-equiv=\"refresh\" content=\"1;url=https://example.com/\">\n\n"
        "<a href=\"&#106;avascript:alert(1)\">Open</a>\n\n"
        "<form action=\"https://example.com/\"><input name=\"q\"></form>\n\n"
        "<img src=\"photo.png\" alt=\"Local\"> and <!-- a note to myself --> are fine, "
        "as is `<meta>` in code.\n\n"
        "<!-- a note left open\n\nMore text.\n"))},
    "markdown-thousands-of-brackets": {"g/1-start.md": step("title: Start\n", (
        "## What to do\n\nWrite it down.\n\nNotes: " + "[" * 20000 + "\n"))},
    "markdown-list-markers-on-one-line": {"g/1-start.md": step("title: Start\n", (
        "Steps:\n\n" + "1. " * 1000 + "Breathe.\n"))},
    "raw-html-in-footer-and-reading-note": {
        "site.yaml": "title: Test guides\nfooter: 'Made with care. <a href=\"#\" "
                     "onclick=\"thanks()\">Say thanks</a>'\n",
        "g/reading.md": "---\nitems:\n  - title: A book\n    url: unknown\n    note: "
                        "'<script>track()</script>Worth a read.'\n---\n"},
    "link-to-missing-page": {"g/guide.md": GUIDE.replace("1-start.md", "1-strat.md")},
    "link-to-missing-anchor": {"g/guide.md": GUIDE.replace("1-start.md", "1-start.md#what")},
    # The link as the coach wrote it ("../1-strat.md") stays as written; the file it points at
    # is a path Guidebook names, written the system's way (test_broken_corpus on Windows).
    "link-into-a-folder-to-missing-page": {"g/guide.md": GUIDE.replace(
        "(1-start.md).", "(1-start.md) and [the notes](worksheets/notez.md).")},
    "link-to-missing-file": {"g/1-start.md": step("title: Start\n",
                                                  "See [the chart](chart.pdf).\n")},
    # The pages the build makes (Staying safe online, the home page): no file to link.
    # A text may link the pages the build makes, but not a section of one.
    "link-to-a-section-of-a-page-the-build-makes": {"g/1-start.md": step("title: Start\n", (
        "First read [Staying safe online](../safety.html#leaving-quickly), or go "
        "[home](../index.html).\n"))},
    # Addresses written without https:// or mailto:, which Markdown reads as files.
    "link-to-address-without-scheme": {"g/1-start.md": step("title: Start\n", (
        "Read [the article](www.example.org/article), [the help page](example.org/help)\n"
        "or write to [me](hello@example.org).\n"))},
    # A link and a logo longer than a file name can be (255 bytes): the file system refused
    # to look them up, which stopped the build with a traceback.
    "link-longer-than-a-file-name": {
        "site.yaml": SITE + "logo: " + "l" * 260 + ".png\n",
        "g/1-start.md": step("title: Start\n", (
            "See [the notes](" + "n" * 260 + ".md) and ![a picture](images/" + "p" * 260
            + ".png).\n"))},
    # Names with other capitals than the file's: fine on Windows and macOS, dead once
    # published on a web host.
    "link-with-other-capitals": {
        "g/images/sky.png": b"\x89PNG\r\n\x1a\n",
        "g/1-start.md": step("title: Start\n", (
            "![The sky](images/Sky.PNG)\n\nFill in [the notes](worksheets/Notes.md#what-happened)"
            " after [the guide](Guide.md).\n"))},
    # The second link of a line is the broken one: the column is its own.
    "link-second-on-its-line": {"g/1-start.md": step("title: Start\n", (
        "Read [the guide](guide.md) and [the notes](worksheets/note.md) first.\n"))},
    # Links to the pages the build writes, not to the Markdown files they come from.
    "link-to-html-page": {"g/1-start.md": step("title: Start\n", (
        "Fill in [the notes](worksheets/notes.html#what-happened), then go\n"
        "back to [the guide](guide.html) or [this step](start.html).\n"))},
    # Links in a worksheet are checked like a step's, from the worksheet's folder: its
    # introduction (the same broken link twice: each at its own place), a prompt's help.
    "link-in-worksheet-intro": {"g/worksheets/notes.md": worksheet(
        "Before you start, read [step one](../1-strat.md).\n\nIf it helps, read "
        "[step one](../1-strat.md) again.\n\n" + WORKSHEET.split("---\n")[2])},
    "link-in-prompt-help": {"g/worksheets/notes.md": worksheet(
        "## What happened? {#what-happened}\n\nAs in [the first step](../start.html) or "
        "[the guide](../guide.md#steps), or [a picture](../pictures/week.png).\n\n"
        "[lines: 4]\n")},
    "worksheet-link-to-missing-anchor": {"g/worksheets/notes.md": worksheet(
        "Start with [the first question](#what-hapened).\n\n"
        + WORKSHEET.split("---\n")[2])},
    # A checklist item, a table's column heading and a scale's end label are plain text.
    "link-in-prompt-heading": {"g/worksheets/notes.md": worksheet(
        "## What does [the first step](../1-start.md) ask? {#ask}\n\n[lines: 3]\n")},
    "link-in-checklist-item": {"g/worksheets/notes.md": worksheet(
        "## How do you feel? {#feel}\n\n[checklist]\n- [ ] Sad\n"
        "- [ ] Tired, see [step one](../1-start.md)\n\n## Rate it {#rate}\n\n"
        "[scale: 1-5 | Low | [High](../guide.md)]\n\n## Plan {#plan}\n\n[table: 2 rows]\n"
        "| What | [Why](../1-start.md) |\n")},
    # Markdown fields of front matter and site.yaml: the line and column in the file.
    "link-in-front-matter-field": {
        "site.yaml": "title: Test guides\nfooter: 'Made for [the guide](g/guide.md) and "
                     "[help](g/help.md).'\n",
        "g/guide.md": GUIDE.replace("---\nStart", "safety_note: |\n  If you need help now, "
                                    "see [the step](1-strat.md).\n---\nStart"),
        "g/reading.md": "---\nitems:\n  - title: A book\n    url: unknown\n    note: "
                        "Read it after [step one](1-start.md#what-to-d).\n---\n"},
    # A Markdown link in a plain-text field (a summary, a title, a tagline): pages showed
    # it as typed, "[the first step](1-start.md)", without a word from the build.
    "link-in-a-plain-text-field": {
        "site.yaml": "title: Test guides\ntagline: Start with [the guide](g/guide.md)\n",
        "g/guide.md": GUIDE.replace("summary: A short guide used by the tests.",
                                    "summary: Read [the first step](1-start.md) first."),
        "g/reading.md": "---\nitems:\n  - title: '[A book](https://example.org/book)'\n"
                        "    url: https://example.org/book\n---\n"},
    # A file that exists but is not copied into the site: a dead link on the built page.
    "link-to-file-outside-the-guides": {
        "site.yaml": "title: Test guides\nfooter: 'Print [the handout](handout.pdf).'\n",
        "handout.pdf": b"%PDF-1.4\n%%EOF\n",
        "shared.png": b"\x89PNG\r\n\x1a\n",
        "g/1-start.md": STEP + "\n![A drawing](../shared.png)\n"},
    # A Markdown file that exists but that the build makes no page of: a dead link.
    "link-to-markdown-that-is-no-page": {
        "notes.md": "# Notes\n\nFor the coach only.\n",
        "_drafts/2-later.md": STEP,
        "g/1-start.md": STEP + "\nSee [my notes](../notes.md) and "
                        "[the next draft](../_drafts/2-later.md).\n"},
    # --- worksheets
    "worksheet-field-kind-typo": {"g/worksheets/notes.md": worksheet("## Q\n\n[line: 4]\n")},
    "worksheet-bad-parameters": {"g/worksheets/notes.md": worksheet(
        "## A\n\n[lines: 40]\n\n## B\n\n[scale: 3-20]\n\n## C\n\n[table: some]\n\n## D\n\n"
        "[scale: 1-5 | Low]\n\n## E\n\n[lines]\n\n## F\n\n[short: 3]\n\n## G\n\n[table: 2]\n"
        "| | Why |\n\n## H\n\n[table: 2]\n| Why | When | why |\n")},
    # Items written almost as items: each was "text after the field" (the first one only),
    # or "[checklist] needs its items" for an item without its text.
    "worksheet-checklist-item-mistyped": {"g/worksheets/notes.md": worksheet(
        "## Feelings {#feel}\n\n[checklist]\n- [ ] Sad\n- [ ]Angry\n-[ ] Tired\n1. [ ] Calm\n"
        "[ ] Lost\n- [v] Hopeful\n- [\u00a0] Relieved\n\n## Needs {#needs}\n\n[checklist]\n"
        "- [ ]\n")},
    # Headings written as Markdown allows, without a | at each end: "[table] needs its
    # column headings on the next line", which they were on.
    "worksheet-table-headings-without-end-pipes": {"g/worksheets/notes.md": worksheet(
        "## Plan {#plan}\n\n[table: 2 rows]\nWhat | When\n|---|---|\n\n## Help {#help}\n\n"
        "[table: 1 row]\n| Who | How\n")},
    # A file named worksheets where the folder goes: its worksheets were left out unsaid.
    "worksheets-is-a-file": {"g/worksheets/notes.md": None, "g/worksheets": "notes\n"},
    # A step saved in worksheets/: "this worksheet has no prompts", and nothing more.
    "step-in-the-worksheets-folder": {"g/worksheets/2-more.md": STEP},
    # A prompt whose id the worksheet page has already: twice on the page.
    "worksheet-prompt-id-of-the-page": {"g/worksheets/notes.md": worksheet(
        "## The main thing {#main}\n\n[lines: 2]\n\n## Worksheet\n\n[short]\n")},
    "worksheet-checklist-without-items": {"g/worksheets/notes.md": worksheet(
        "## Feelings\n\n[checklist]\n\nSadness\n")},
    # Answers are saved by name: a prompt's id, or its id and an item's ("feel-sad").
    "worksheet-answer-names-clash": {"g/worksheets/notes.md": worksheet(
        "## Feelings {#feel}\n\n[checklist]\n- [ ] Sad\n- [ ] Other: ___\n- [ ] Other text\n\n"
        "## How sad? {#feel-sad}\n\n[scale: 1-5]\n")},
    "worksheet-duplicate-prompt-ids": {"g/worksheets/notes.md": worksheet(
        "## What happened?\n\n[lines: 2]\n\n## What happened?\n\n[lines: 2]\n\n"
        "## Later {#what-happened}\n\n[short]\n")},
    "worksheet-prompt-without-field": {"g/worksheets/notes.md": worksheet(
        "## What happened?\n\nWrite it down.\n\n## Why?\n\n[lines: 2]\n")},
    "worksheet-field-indented": {"g/worksheets/notes.md": worksheet(
        "## What happened?\n\n    [lines: 2]\n")},
    "worksheet-text-after-field": {"g/worksheets/notes.md": worksheet(
        # Two paragraphs after the field: one mistake, one message (on the first).
        "## What happened?\n\n[lines: 2]\n\nThink about the evening.\n\nAnd the morning.\n")},
    "worksheet-field-before-prompt": {"g/worksheets/notes.md": worksheet(
        "[lines: 2]\n\n## What happened?\n\n[lines: 2]\n[short]\n")},
    # Prompt headings with a # too many, none after it, or no space: one message each,
    # and each field is its prompt's (a ### inside a prompt's help stays a heading).
    "worksheet-prompt-heading-mistyped": {"g/worksheets/notes.md": worksheet(
        "### Before you start\n\nBreathe.\n\n## What happened?\n\n### An example\n\n"
        "I stayed late.\n\n[lines: 2]\n\n### What did you feel? {#felt}\n\n[short]\n\n"
        "##What now?\n\n[lines: 2]\n")},
    "worksheet-bad-prompt-id": {"g/worksheets/notes.md": worksheet(
        "## What happened? {#1st}\n\n[lines: 2]\n")},
    "worksheet-without-prompts": {"g/worksheets/notes.md": worksheet("Just some text.\n")},
    "worksheet-missing-step": {"g/worksheets/notes.md": worksheet(
        "## Q\n\n[lines: 2]\n", "title: Notes\nstep: 4\n")},
    "worksheet-file-name": {"g/worksheets/My Notes.md": WORKSHEET},
    # Names in another script: lowercase, but not a-z (web addresses). (No accented letters
    # in the corpus's file names: macOS may store them decomposed.)
    "file-names-not-a-to-z": {"g/2-начало.md": step("title: Начало\n"),
                              "g/worksheets/мои-заметки.md": WORKSHEET},
    # --- cross-checks over files
    "duplicate-step-numbers": {"g/1-again.md": step("title: Again\n")},
    "step-numbers-with-a-gap": {"g/3-later.md": step("title: Later\n")},
    "step-numbered-zero": {"g/0-breathe.md": step("title: Breathe\n"),
                           "g/2-respond.md": step("title: Respond\n"),
                           "g/worksheets/notes.md": worksheet("## Q\n\n[lines: 2]\n",
                                                              "title: Notes\nstep: 2\n"),
                           "g/worksheets/more.md": worksheet("## Q\n\n[lines: 2]\n",
                                                             "title: More\nstep: 3\n")},
    # Step 0 renamed to 1 puts step 2 in its place: one message, on the step 0 only.
    "step-numbered-zero-then-two": {"g/1-start.md": None,
                                    "g/guide.md": GUIDE.replace("1-start.md", "0-listen.md"),
                                    "g/0-listen.md": step("title: Listen\n"),
                                    "g/2-say-it.md": step("title: Say it\n")},
    "step-numbers-gap-and-worksheets": {
        "g/2-ask.md": step("title: Ask\n"), "g/4-respond.md": step("title: Respond\n"),
        "g/5-rest.md": step("title: Rest\n"),
        "g/worksheets/notes.md": worksheet("## Q\n\n[lines: 2]\n", "title: Notes\nstep: 4\n"),
        "g/worksheets/more.md": worksheet("## Q\n\n[lines: 2]\n", "title: More\nstep: 3\n")},
    # Copies a sync program or a file manager made beside the original: each was "not a
    # step" and, with the original's number, a second step 1 as well.
    "copies-made-by-sync-programs": {
        "g/1-start (Maria's conflicted copy 2026-05-01).md": STEP,
        "g/1-start-DESKTOP-AB12CD.md": STEP,
        "g/1-start 2.md": STEP,
        "g/worksheets/notes (1).md": WORKSHEET},
    "step-file-name-uppercase": {"g/2-Respond.md": step("title: Respond\n"),
                                 "g/3-rest.md": step("title: Rest\n"),
                                 "g/worksheets/notes.md": worksheet(
                                     "## Q\n\n[lines: 2]\n", "title: Notes\nstep: 2\n")},
    "step-unreadable-in-the-middle": {"g/2-respond.md": step("title: Respond\n",
                                                             "Caf\xe9.\n").encode("latin-1"),
                                      "g/3-rest.md": step("title: Rest\n"),
                                      "g/worksheets/notes.md": worksheet(
                                          "## Q\n\n[lines: 2]\n", "title: Notes\nstep: 2\n")},
    "two-steps-one-page": {"g/2-start.md": step("title: Start again\n")},
    "step-named-my-answers": {"g/2-my-answers.md": step("title: My answers\n")},
    "step-file-name-without-number": {"g/Intro.md": step("title: Intro\n")},
    "guide-folder-without-guide-file": {"g/guide.md": None, "g/Guide.MD": GUIDE},
    "guide-folder-uppercase": {"g/guide.md": None, "g/1-start.md": None,
                               "g/worksheets/notes.md": None, "Hard-Week/guide.md": GUIDE,
                               "Hard-Week/1-start.md": STEP},
    "page-with-another-extension": {"g/2-later.markdown": STEP, "g/worksheets/more.MD": STEP,
                                    "g/_drafts/3-x.txt": "ignored\n", "g/1-start.md": "\n"},
    "two-guides-same-title": {"h/guide.md": GUIDE.replace("1-start.md", "#introduction"),
                              "notes.md": "A stray page.\n", "g/2-x.md": ""},
    "template-override-error": {"_templates/step.html": '{% extends "base.html" %}\n'
                                '{% block main %}\n  {{ page.title }\n{% endblock %}\n'},
    # A web font or a script from another host: the pages' policy blocks it, silently.
    "theme-file-loads-from-another-host": {
        "_templates/assets/css/custom.css": (
            '/* @import url("https://example.org/old.css"); */\n'
            '@import url("https://fonts.googleapis.com/css2?family=Lora");\n'
            "body { font-family: Lora, serif; }\n"
            ".banner { background: url('//cdn.example.org/waves.png'), url(data:,x); }\n"),
        "_templates/step.html": '{% extends "base.html" %}\n{% block content %}\n'
                                '<link rel="stylesheet" href="https://cdn.example.org/a.css">\n'
                                '<a href="https://example.org/">A link is fine</a>\n'
                                '<script src="https://cdn.example.org/a.js"></script>\n'
                                '{% endblock %}\n'},
    # A template of the coach's that includes one that is not there: "template error:
    # _mine.html" said no more.
    "template-includes-a-missing-template": {
        "_templates/step.html": '{% extends "base.html" %}\n{% block content %}\n'
                                '{% include "_mine.html" %}\n{% endblock %}\n'},
    "template-runtime-error": {"_templates/step.html": '{% extends "base.html" %}\n'
                               '{% block content %}\n  <p>{{ step.number + " of many" }}</p>\n'
                               '{% endblock %}\n'},
    "template-override-not-utf8": {"_templates/step.html": (
        '{% extends "base.html" %}\n{% block content %}\n  <p>Caf\u00e9 {{ step.title }}</p>\n'
        '{% endblock %}\n').encode("cp1252")},
    "many-problems-at-once": {
        "site.yaml": "title: Test\ntagline: [x\n",
        "g/guide.md": GUIDE.replace("summary:", "summry:"),
        "g/1-start.md": step("title: Start\n", "# Top\n\nSee [later](3-later.md).\n"),
        "g/worksheets/notes.md": worksheet("## Q\n\n[lines: 0]\n", "title: Notes\nstep: 2\n"),
    },
}


def write_case(name: str, changes: dict) -> Path:
    """Write one case's tree (the base with its changes), keeping its expected.txt."""
    folder = HERE / name
    expected = (folder / "expected.txt").read_bytes() if (folder / "expected.txt").exists() \
        else None
    shutil.rmtree(folder, ignore_errors=True)
    files = {**BASE, **changes}
    for rel, data in files.items():
        if data is None:
            continue
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, tuple):
            os.symlink(data[1], path)
        else:
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    if expected is not None:
        (folder / "expected.txt").write_bytes(expected)
    return folder


def run_check(name: str) -> tuple[int, str, str]:
    """Run `python build.py check --content tests/broken/<name>` in-process, from ROOT."""
    from guidebook.cli import main

    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", "--content", f"tests/broken/{name}"])
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    for name, changes in CASES.items():
        folder = write_case(name, changes)
        if "--expected" in argv:
            code, out, err = run_check(name)
            (folder / "expected.txt").write_text(err + out, encoding="utf-8")
            print(f"{name}: exit {code}")


if __name__ == "__main__":
    main(sys.argv[1:])
