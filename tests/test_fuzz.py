"""Random front matter and bodies through the whole build: the only error a coach can ever
see is a ContentError, and site/ is always either the new complete site or the old one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidebook.build import Config, build
from guidebook.errors import ContentError
from guidebook.output import RECORD

from .conftest import TEMPLATES

BASE = {
    "site.yaml": "title: Test guides\n",
    "g/guide.md": "---\ntitle: A guide\nsummary: For the tests.\n---\nSee [one](1-start.md).\n",
    "g/1-start.md": "---\ntitle: Start\n---\n## What to do\n\nWrite.\n",
    "g/worksheets/notes.md": "---\ntitle: Notes\nstep: 1\n---\n## What? {#what}\n\n[lines: 3]\n",
    "g/reading.md": "---\nitems:\n  - title: A book\n    url: unknown\n---\n",
}
TARGETS = [*BASE, "g/2-more.md", "g/worksheets/extra.md", "h/guide.md", "notes.md",
           # names a coach might get wrong
           "Upper Case/guide.md", "g/01-start.md", "g/0-zero.md", "g/1-.md", "g/2-More.MD",
           "g/worksheets/index.md", "g/worksheets/sub/x.md", "g/Guide.md", "_drafts/guide.md",
           "h/worksheets/notes.md", "g/3-start.md"]

KEYS = ["title", "summary", "step", "minutes", "order", "items", "authors", "source", "url",
        "name", "note", "safety_note", "language", "base_url", "pdf", "paper", "titel", "- title"]
TRICKY = ["", " ", ":", ": ", "#", " #", "'", '"', "[", "]", "{", "}", "*", "&", "!", "|",
          ">", "%", "@", "`", "?", "-", "\t", "yes", "no", "on", "null", "~", "2024-01-01",
          "3.10", "0", "-1", "999", "one", "15 min", "https://example.org/", "unknown", "é",
          "\u2028", "\x0b", "\ufeff", "---", "...", "\\", "\r", "\u00a0", "\u200b",
          "https://[your-site].org/", "https://example.org/a page"]
value = st.lists(st.sampled_from(TRICKY) | st.text(max_size=6), max_size=4).map("".join)
yaml_line = st.one_of(
    st.tuples(st.sampled_from(KEYS), value).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(st.sampled_from(["  ", "    ", "\t", "  - "]), st.sampled_from(KEYS), value)
    .map(lambda t: f"{t[0]}{t[1]}: {t[2]}"),
    st.sampled_from(["---", "- a", "-", "? x", "&a b", "*a", "!!int x", "[a, b]", "{a: 1}"]),
    value,
)
MARKERS = ["[lines: 3]", "[lines: 0]", "[lines: x]", "[lines]", "[short]", "[short: 1]",
           "[checklist]", "- [ ] Sad", "- [x] Other: ___", "- [ ] Sad", "[scale: 1-10]",
           "[scale: 0-5 | Low | High]", "[scale: 3-2]", "[scale: 1-5 | a]", "[table: 2]",
           "[table: 2 rows]", "| A | B |", "|---|---|", "| | |", "[table: 99]", "[liens: 3]",
           "[Note]", "## Prompt", "## Prompt {#p}", "## Prompt {#1}", "## {#x}", "# Top",
           "### Sub", "```", "~~~", "    [lines: 2]", "[x](1-start.md#nope)", "[y](2-more.md)",
           "[z](../g/guide.md#introduction)", "[w](#what)", "![i](pic.png)", "<div>", "</div>",
           "<script>alert(1)</script>", "[^1]", "[^1]: note", "!!! note", "*[HTML]: x", "",
           "[h](https://[x].org/)", "[s](<https://a.org/a b|c>)", "- [ ]Sad", "[ lines: 2 ]",
           "What | Why"]
body_line = st.one_of(st.sampled_from(MARKERS), value, st.text(max_size=20))


@st.composite
def documents(draw) -> bytes:
    """A content file: mostly front matter and a body, sometimes any bytes at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=64))
    parts = []
    if draw(st.booleans()):
        parts.append("---")
        parts += draw(st.lists(yaml_line, max_size=6))
        if draw(st.integers(0, 5)):
            parts.append(draw(st.sampled_from(["---", "...", "--- ", "----"])))
    parts += draw(st.lists(body_line, max_size=10))
    text = "\n".join(parts)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    raw = text.replace("\n", newline).encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 6)) == 0:  # a stray byte that is not UTF-8
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xe9", b"\xff", b"\xc3", b"\x00"])) + raw[at:]
    if draw(st.integers(0, 8)) == 0:
        raw = b"\xef\xbb\xbf" + raw
    return raw


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write_base(content: Path) -> None:
    shutil.rmtree(content, ignore_errors=True)
    for rel, text in BASE.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")


class Workspace:
    """A content folder and a site built from it; `previous` is the site as it must be."""

    def __init__(self, root: Path):
        self.root, self.content, self.output = root, root / "content", root / "site"
        write_base(self.content)
        build(Config(self.content, TEMPLATES, self.output))
        self.previous = snapshot(self.output)

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return f"Workspace({self.root})"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.dictionaries(st.sampled_from(TARGETS), documents(), min_size=1, max_size=3))
def test_random_content_never_crashes_or_leaves_a_partial_site(workspace: Workspace,
                                                               files: dict) -> None:
    root, output, content = workspace.root, workspace.output, workspace.content
    write_base(content)
    for rel, data in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(data)
    try:
        result = build(Config(content, TEMPLATES, output))
    except ContentError as error:
        assert error.problems, "a ContentError always names at least one problem"
        for problem in error.problems:
            assert problem.message and "Traceback" not in problem.format()
        assert snapshot(output) == workspace.previous, "a failed build changed site/"
    else:
        now = snapshot(output)
        assert len(set(now) - {RECORD}) == result.files, "the new site is not complete"
        assert "index.html" in now and "404.html" in now
        workspace.previous = now
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site.")]
    assert leftovers in ([], [".site.lock"]), leftovers
