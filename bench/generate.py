"""Generate a library of realistic guides, and the same text as MkDocs and Hugo projects.

The text comes from a seeded generator (a fixed vocabulary, sentences of varied length,
headings, lists, emphasis and links), so every run produces the same bytes. Each guide has
one introduction, STEPS steps of about 600 words, WORKSHEETS worksheets with fields, and a
reading list: PAGES_PER_GUIDE Markdown pages, the unit the benchmark counts.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

STEPS = 6
WORKSHEETS = 3
PAGES_PER_GUIDE = 1 + STEPS + WORKSHEETS

WORDS = [
    "partner",
    "feeling",
    "moment",
    "evening",
    "week",
    "conversation",
    "question",
    "answer",
    "story",
    "habit",
    "choice",
    "trust",
    "voice",
    "silence",
    "distance",
    "care",
    "attention",
    "reason",
    "worry",
    "friend",
    "family",
    "work",
    "money",
    "time",
    "home",
    "morning",
    "weekend",
    "plan",
    "promise",
    "change",
    "boundary",
    "need",
    "want",
    "value",
    "priority",
    "pattern",
    "step",
    "way",
    "thing",
    "place",
    "space",
    "body",
    "breath",
    "mind",
    "heart",
    "hurt",
    "fear",
    "hope",
    "calm",
    "anger",
    "sadness",
    "relief",
    "surprise",
    "doubt",
    "kindness",
    "patience",
    "courage",
    "honesty",
    "effort",
    "practice",
    "notice",
    "listen",
    "speak",
    "ask",
    "wait",
    "decide",
    "write",
    "remember",
    "forget",
    "explain",
    "describe",
    "imagine",
    "wonder",
    "agree",
    "disagree",
    "choose",
    "share",
    "hold",
    "reach",
    "return",
    "leave",
    "stay",
    "begin",
    "finish",
    "try",
    "learn",
    "teach",
    "help",
    "support",
    "small",
    "quiet",
    "simple",
    "clear",
    "honest",
    "gentle",
    "difficult",
    "ordinary",
    "familiar",
    "recent",
    "usual",
    "strong",
    "real",
    "useful",
    "careful",
    "open",
    "sudden",
    "steady",
    "slow",
    "fast",
    "warm",
    "cold",
    "tired",
    "busy",
    "close",
    "early",
    "late",
    "often",
    "rarely",
    "sometimes",
    "usually",
    "always",
    "never",
    "again",
    "together",
    "alone",
    "already",
    "still",
    "almost",
    "perhaps",
    "really",
    "simply",
    "gently",
    "slowly",
    "carefully",
    "honestly",
    "quickly",
    "clearly",
    "quietly",
    "don't",
    "can't",
    "won't",
    "it's",
    "you're",
    "they're",
    "isn't",
    "partner's",
    "friend's",
]
GLUE = ["the", "a", "your", "their", "this", "that", "one", "each", "every", "some", "any", "no"]
LINKS = [
    "and",
    "but",
    "so",
    "because",
    "when",
    "while",
    "although",
    "if",
    "after",
    "before",
    "until",
    "since",
    "or",
]
VERBS = [
    "notice",
    "name",
    "write",
    "ask",
    "say",
    "hear",
    "feel",
    "see",
    "keep",
    "find",
    "make",
    "take",
    "give",
    "tell",
    "show",
    "build",
    "carry",
    "bring",
    "follow",
    "open",
    "close",
    "turn",
    "move",
    "hold",
]
TITLES = [
    "Noticing",
    "Naming",
    "Listening",
    "Asking",
    "Writing",
    "Deciding",
    "Changing",
    "Keeping",
    "Finding",
    "Making",
    "Holding",
    "Sharing",
    "Choosing",
    "Reaching",
    "Returning",
    "Learning",
]
CHECK_ITEMS = [
    "Sadness",
    "Anger",
    "Relief",
    "Worry",
    "Calm",
    "Shame",
    "Hope",
    "Loneliness",
    "Curiosity",
    "Tiredness",
]
PUBLISHERS = [
    "Field Notes Press",
    "The Practice Journal",
    "Common Ground Review",
    "Open Door Books",
    "The Weekly Letter",
]


@dataclass
class Text:
    """A seeded source of words, sentences, paragraphs and titles."""

    seed: int
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def words(self, count: int) -> list[str]:
        pick = self.rng.choice
        out = []
        for index in range(count):
            roll = self.rng.random()
            if index and roll < 0.18:
                out.append(pick(GLUE))
            elif index and roll < 0.26:
                out.append(pick(LINKS))
            elif roll < 0.36:
                out.append(pick(VERBS))
            else:
                out.append(pick(WORDS))
        return out

    def sentence(self, low: int = 8, high: int = 22) -> str:
        words = self.words(self.rng.randint(low, high))
        roll = self.rng.random()
        if roll < 0.12 and len(words) > 4:  # some emphasis, as coaches write
            at = self.rng.randrange(1, len(words) - 2)
            words[at] = f"*{words[at]}*"
        elif roll < 0.18 and len(words) > 4:
            at = self.rng.randrange(1, len(words) - 2)
            words[at] = f"**{words[at]} {words[at + 1]}**"
            del words[at + 1]
        elif roll < 0.26 and len(words) > 5:  # quoted speech and dashes, as people type them
            at = self.rng.randrange(1, len(words) - 3)
            words[at] = f'"{words[at]}'
            words[at + 2] = f'{words[at + 2]}"'
        elif roll < 0.30 and len(words) > 5:
            words.insert(self.rng.randrange(2, len(words) - 2), "--")
        text = " ".join(words)
        end = "." if self.rng.random() < 0.9 else "?"
        return text[0].upper() + text[1:] + end

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self, low: int = 2, high: int = 5) -> str:
        words = self.words(self.rng.randint(low, high))
        text = " ".join(w for w in words)
        return text[0].upper() + text[1:]

    def slug(self, title: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", title.lower())[:48].strip("-")


@dataclass
class Page:
    """One generated Markdown page, in a form every generator can write."""

    rel: str  # path in our content folder
    title: str
    summary: str
    body: str
    meta: dict = field(default_factory=dict)  # our extra front matter (already YAML)
    kind: str = "step"


@dataclass
class Guide:
    slug: str
    title: str
    pages: list[Page]
    reading: list[dict]


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_step(text: Text, guide: str, number: int, steps: list[tuple[str, str]]) -> Page:
    """A step of about 600 words: an opening, four sections, a list and a link."""
    title = text.title(3, 6)
    parts = [text.paragraph(5)]
    for section in range(4):
        parts.append(f"## {text.title(2, 5)}")
        parts.append(text.paragraph(text.rng.randint(4, 5)))
        if section == 1:
            parts.append("\n".join(f"- {text.sentence(5, 12)}" for _ in range(4)))
        if section == 2 and number > 1:
            prev_file, prev_title = steps[number - 2]
            follow = text.paragraph(2)
            parts.append(
                f"As in [{prev_title.lower()}]({prev_file}), " + follow[0].lower() + follow[1:]
            )
        else:
            parts.append(text.paragraph(4))
    file = steps[number - 1][0]
    return Page(
        f"{guide}/{file}", title, text.sentence(8, 16), "\n\n".join(parts) + "\n", kind="step"
    )


def distinct(headings: list[str]) -> list[str]:
    """Number a repeated heading ("Give", "Give 2"): a table's columns each need their own."""
    seen: set[str] = set()
    out = []
    for heading in headings:
        unique, number = heading, 1
        while unique.casefold() in seen:
            number += 1
            unique = f"{heading} {number}"
        seen.add(unique.casefold())
        out.append(unique)
    return out


def make_worksheet(text: Text, guide: str, index: int, step: int, step_file: str) -> Page:
    """A worksheet: an introduction and five prompts, one of each field kind."""
    title = text.title(2, 4)
    name = f"{text.slug(title)}-{index}"
    parts = [text.paragraph(2) + f" See [the step](../{step_file}) for more."]
    fields = [
        "[lines: 5]",
        "[short]",
        "[checklist]\n"
        + "\n".join(f"- [ ] {item}" for item in text.rng.sample(CHECK_ITEMS, 5))
        + "\n- [ ] Other: ___",
        "[scale: 1-10 | Not at all | Completely]",
        "[table: 3 rows]\n| " + " | ".join(distinct([text.title(1, 3) for _ in range(3)]))
        + " |",
    ]
    for number, marker in enumerate(fields, start=1):
        parts.append(f"## {text.title(3, 7)}? {{#prompt-{number}}}")
        parts.append(text.sentence(8, 18))
        parts.append(marker)
    meta = {"step": step, "minutes": text.rng.choice([10, 15, 20])}
    return Page(
        f"{guide}/worksheets/{name}.md",
        title,
        text.sentence(8, 14),
        "\n\n".join(parts) + "\n",
        meta,
        kind="worksheet",
    )


def make_guide(seed: int, index: int) -> Guide:
    text = Text(seed * 100_003 + index)
    title = f"{text.title(3, 6)} ({index + 1})"
    slug = f"guide-{index + 1:05d}"
    step_titles = [text.title(2, 4) for _ in range(STEPS)]
    # A number in the slug keeps two steps with the same title from writing one page.
    steps = [(f"{n}-{text.slug(t)}-{n}.md", t) for n, t in enumerate(step_titles, start=1)]
    pages: list[Page] = []
    intro = [
        text.paragraph(4),
        f"## {text.title(2, 4)}",
        "\n".join(
            f"{n}. [{t}]({f}): {text.sentence(5, 10).lower()}"
            for n, (f, t) in enumerate(steps, start=1)
        ),
        text.paragraph(3),
        f"## {text.title(2, 4)}",
        text.paragraph(4),
    ]
    summary = text.sentence(12, 20)
    pages.append(
        Page(
            f"{slug}/guide.md",
            title,
            summary,
            "\n\n".join(intro) + "\n",
            {"authors": [{"name": f"{text.title(2, 2)}", "role": "Coach"}]},
            kind="guide",
        )
    )
    for number in range(1, STEPS + 1):
        step = make_step(text, slug, number, steps)
        step.title = step_titles[number - 1]
        pages.append(step)
    for index_ws in range(WORKSHEETS):
        step = 1 + index_ws * STEPS // WORKSHEETS
        pages.append(make_worksheet(text, slug, index_ws + 1, step, steps[step - 1][0]))
    reading = [
        {
            "title": text.title(3, 7),
            "url": f"https://example.org/{slug}/{n}",
            "publisher": text.rng.choice(PUBLISHERS),
            "note": text.sentence(8, 16),
        }
        for n in range(1, 5)
    ]
    return Guide(slug, title, pages, reading)


def library(pages: int, seed: int = 7) -> list[Guide]:
    """Return enough guides for `pages` Markdown pages (rounded up to whole guides)."""
    count = max(1, -(-pages // PAGES_PER_GUIDE))
    return [make_guide(seed, index) for index in range(count)]


def reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def write_ours(guides: list[Guide], root: Path) -> Path:
    """Write our content folder; return it."""
    content = root / "content"
    reset(content)
    (content / "site.yaml").write_text(
        "title: Benchmark library\ntagline: Generated guides\nlanguage: en\n", encoding="utf-8"
    )
    for guide in guides:
        for page in guide.pages:
            lines = ["---", f"title: {yaml_str(page.title)}", f"summary: {yaml_str(page.summary)}"]
            if page.kind == "guide":
                lines.append("authors:")
                for author in page.meta["authors"]:
                    lines.append(f"  - name: {yaml_str(author['name'])}")
                    lines.append(f"    role: {author['role']}")
            elif page.kind == "worksheet":
                lines.append(f"step: {page.meta['step']}")
                lines.append(f"minutes: {page.meta['minutes']}")
            lines.append("---")
            target = content / page.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines) + "\n" + page.body, encoding="utf-8")
        reading = ["---", "title: Related reading", "items:"]
        for item in guide.reading:
            reading += [
                f"  - title: {yaml_str(item['title'])}",
                f"    url: {item['url']}",
                f"    publisher: {item['publisher']}",
                f"    note: {yaml_str(item['note'])}",
            ]
        reading += ["---", "Further reading chosen for this guide.", ""]
        (content / guide.slug / "reading.md").write_text("\n".join(reading), encoding="utf-8")
    return content


def reading_markdown(guide: Guide) -> str:
    lines = ["", "## Related reading", ""]
    for item in guide.reading:
        lines.append(f"- [{item['title']}]({item['url']}), {item['publisher']}: {item['note']}")
    return "\n".join(lines) + "\n"


def peer_path(rel: str, kind: str) -> str:
    """Where a page goes in a peer project: the guide introduction becomes index.md."""
    return rel.replace("/guide.md", "/index.md") if kind == "guide" else rel


def write_mkdocs(guides: list[Guide], root: Path) -> Path:
    """Write the same pages as a MkDocs project (default theme, same Markdown extensions)."""
    project = root / "mkdocs"
    reset(project)
    docs = project / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Benchmark library\n\nGenerated guides.\n", encoding="utf-8")
    for guide in guides:
        for page in guide.pages:
            body = page.body.replace("(guide.md)", "(index.md)")
            if page.kind == "guide":
                body += reading_markdown(guide)
            target = docs / peer_path(page.rel, page.kind)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {page.title}\n\n{page.summary}\n\n{body}", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Benchmark library\n"
        "markdown_extensions:\n"
        "  - toc:\n      permalink: true\n  - tables\n  - attr_list\n  - footnotes\n"
        "  - admonition\n  - sane_lists\n  - smarty\n  - def_list\n  - abbr\n"
        "  - md_in_html\n",
        encoding="utf-8",
    )
    return project


HUGO_BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "site.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Summary }}</p>
{{ .TableOfContents }}{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</article>{{ end }}
"""


def write_hugo(guides: list[Guide], root: Path) -> Path:
    """Write the same pages as a Hugo project with a minimal layout that renders them."""
    project = root / "hugo"
    reset(project)
    content = project / "content"
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (project / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Benchmark library"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n'
        "[markup.goldmark.renderer]\nunsafe = false\n",
        encoding="utf-8",
    )
    content.mkdir()
    (content / "_index.md").write_text(
        "---\ntitle: Benchmark library\n---\nGenerated.\n", encoding="utf-8"
    )
    for guide in guides:
        for page in guide.pages:
            rel = peer_path(page.rel, page.kind)
            body = page.body
            if page.kind == "guide":
                rel = rel.replace("/index.md", "/_index.md")
                body += reading_markdown(guide)
            target = content / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                f"---\ntitle: {yaml_str(page.title)}\n"
                f"summary: {yaml_str(page.summary)}\n---\n{body}",
                encoding="utf-8",
            )
        worksheets = content / guide.slug / "worksheets" / "_index.md"
        worksheets.write_text("---\ntitle: Worksheets\n---\n", encoding="utf-8")
    return project


def generate(pages: int, root: Path, seed: int = 7) -> dict[str, Path]:
    """Generate all three projects for `pages` pages under root; return their folders."""
    guides = library(pages, seed)
    return {
        "ours": write_ours(guides, root),
        "mkdocs": write_mkdocs(guides, root),
        "hugo": write_hugo(guides, root),
    }


def words_per_step(root: Path) -> float:
    """Average words in a step's body (for checking the generator's realism)."""
    counts = []
    for path in (root / "content").glob("*/[0-9]-*.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        counts.append(len(body.split()))
    return sum(counts) / max(1, len(counts))
