"""`python build.py check` and the messages for mistakes the committed corpus cannot hold:
missing folders, huge files, pipes, unreadable files, --strict, paths, ordering."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from guidebook import frontmatter
from guidebook.build import Config, build, check
from guidebook.cli import main
from guidebook.errors import ContentError, Problem, Problems

from .conftest import CONTENT, ROOT, TEMPLATES

BASE = ROOT / "tests" / "broken" / "colon-in-title"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    """A small valid content tree in tmp/content, with the current folder at tmp."""
    content = tmp_path / "content"
    (content / "g" / "worksheets").mkdir(parents=True)
    (content / "site.yaml").write_text("title: Test guides\n")
    (content / "g" / "guide.md").write_text(
        "---\ntitle: A guide\nsummary: For the tests.\n---\nSee [step one](1-start.md).\n")
    (content / "g" / "1-start.md").write_text("---\ntitle: Start\n---\n## What to do\n")
    (content / "g" / "worksheets" / "notes.md").write_text(
        "---\ntitle: Notes\nstep: 1\n---\n## What happened? {#what}\n\n[lines: 3]\n")
    monkeypatch.chdir(tmp_path)
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return content


def test_valid_tree_checks_clean(tree: Path, capsys) -> None:
    assert run(["check"], capsys) == (0, "Checked content: no errors.\n", "")


def test_check_writes_nothing(tree: Path, capsys) -> None:
    (tree / "g" / "1-start.md").write_text("---\ntitle: Start: here\n---\n")
    code, _, _ = run(["check", "--output", "out"], capsys)
    assert code == 1
    assert sorted(p.name for p in tree.parent.iterdir()) == ["content", "templates"]


def test_missing_content_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    assert run(["check", "--content", "nothing/here"], capsys) == (1, "", (
        "nothing/here: the content folder does not exist\n"
        "    hint: create it, or pass --content with the right folder\n"
        "1 error.\n"))


def test_missing_templates_folder(tree: Path, capsys) -> None:
    assert run(["check", "--templates", "theme"], capsys) == (1, "", (
        "theme: the templates folder does not exist\n"
        "    hint: pass --templates with the folder that holds base.html\n"
        "1 error.\n"))


def test_absolute_content_path_is_shown_from_the_current_folder(tree: Path, capsys) -> None:
    (tree / "g" / "1-start.md").write_text("---\ntitle: [Draft] Start\n---\n")
    code, _, err = run(["check", "--content", str(tree)], capsys)
    assert code == 1
    assert err.startswith("content/g/1-start.md:2:8: the value starts with [")


def test_warnings_pass_but_strict_makes_them_errors(tree: Path, capsys) -> None:
    (tree / "g" / "reading.md").write_text("---\nitems:\n  - title: A book\n---\n")
    warning = ("content/g/reading.md:3:3: {label}the reading \"A book\" has no address; it "
               "is shown as a citation without a link\n"
               "    3 |   - title: A book\n"
               "          ^\n"
               "    hint: add  url: https://...  if you know the address (never guess one), "
               "or  url: unknown  to say there is none\n")
    assert run(["check"], capsys) == (
        0, "Checked content: no errors, 1 warning.\n", warning.format(label="warning: "))
    code, out, err = run(["build", "--output", "built"], capsys)
    assert code == 0 and err == warning.format(label="warning: ")
    assert out.endswith(" s: no errors, 1 warning.\n")
    assert run(["check", "--strict"], capsys) == (
        1, "", warning.format(label="warning (an error with --strict): ") + "1 error.\n")
    code, _, err = run(["build", "--strict", "--output", "out"], capsys)
    assert code == 1 and err.endswith("Nothing was written; out/ is as it was.\n")
    assert not Path("out").exists()


def test_huge_file_is_refused_without_reading_it(tree: Path, capsys) -> None:
    with open(tree / "g" / "2-huge.md", "wb") as handle:
        handle.truncate(frontmatter.MAX_BYTES + 1)
    assert run(["check"], capsys) == (1, "", (
        "content/g/2-huge.md: this file is too large for a content page (5.0 MB; at most 5 MB)\n"
        "    hint: split it into several pages, or check that it is really a text file\n"
        "1 error.\n"))


def test_named_pipe_is_not_read(tree: Path, capsys) -> None:
    os.mkfifo(tree / "g" / "2-pipe.md")  # reading it would block for ever
    assert run(["check"], capsys) == (1, "", (
        "content/g/2-pipe.md: this is not a regular file (a pipe, socket or device?)\n"
        "    hint: replace it with a text file, or remove it\n"
        "1 error.\n"))


def test_unreadable_file(tree: Path, capsys, monkeypatch) -> None:
    # Tests may run as root, who can read anything: make the open itself fail.
    real_open = open

    def refuse(file, *args, **kwargs):
        if str(file).endswith("1-start.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(frontmatter, "open", refuse, raising=False)
    assert run(["check"], capsys) == (1, "", (
        "content/g/1-start.md: cannot read this file: Permission denied\n"
        "    hint: you may not read this file; check its permissions\n"
        "1 error.\n"))


def test_guide_folder_symlink_loop_and_dangling_link(tree: Path, capsys) -> None:
    os.symlink("loop", tree / "loop")  # a folder link to itself: not a guide, not a crash
    os.symlink("missing.md", tree / "g" / "2-gone.md")
    assert run(["check"], capsys) == (1, "", (
        "content/g/2-gone.md: cannot read this file: No such file or directory\n"
        "    hint: a symbolic link here points at a file that does not exist\n"
        "1 error.\n"))


def test_bom_and_crlf_are_accepted_silently(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for path in content.rglob("*.md"):
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    _, _, problems = check(Config(content, TEMPLATES, tmp_path / "site", strict=True))
    assert problems.items == []
    crlf = build(Config(content, TEMPLATES, tmp_path / "site"))
    plain = build(Config(CONTENT, TEMPLATES, tmp_path / "plain"))
    assert crlf.pages == plain.pages
    page = "managing-rejection/rethink-the-rejection.html"
    assert (tmp_path / "site" / page).read_bytes() == (tmp_path / "plain" / page).read_bytes()


def test_problems_are_sorted_by_file_then_line_and_none_is_lost() -> None:
    problems = Problems(Path("content"))
    problems.remember_text("b.md", "one\ntwo\n")
    problems.add("b.md", 2, "second problem on line 2")
    problems.add("b.md", 2, "first problem on line 2")
    problems.add("a.md", 9, "in a")
    problems.add("b.md", 1, "on line 1")
    problems.add("b.md", 1, "on line 1")  # the same problem found twice is shown once
    error = ContentError(problems.items)
    assert [(p.path, p.line, p.message) for p in error.problems] == [
        ("content/a.md", 9, "in a"),
        ("content/b.md", 1, "on line 1"),
        ("content/b.md", 2, "first problem on line 2"),
        ("content/b.md", 2, "second problem on line 2"),
    ]


def test_format_puts_the_caret_under_the_column_even_after_a_tab() -> None:
    problem = Problem("x.md", 12, 3, "message", "do this\nthen that", source_line="\tab: c")
    assert problem.format() == ("x.md:12:3: message\n"
                                "    12 | →ab: c\n"
                                "           ^\n"
                                "    hint: do this\n"
                                "          then that")


def test_line_numbers_count_only_newlines(tree: Path, capsys) -> None:
    # A form feed or U+2028 inside a line must not shift the lines after it.
    (tree / "g" / "1-start.md").write_text("---\ntitle: Start\n---\nA\u2028B\n\n# Top\n")
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert err.startswith("content/g/1-start.md:6:1: a top-level heading (#) in the text\n"
                          "    6 | # Top\n")


def test_markdown_too_deep_for_python_markdown_names_the_file(tree: Path, capsys,
                                                              monkeypatch) -> None:
    # Lines nested past 200 columns are refused early (see the corpus); this is the fallback
    # for whatever still makes Python-Markdown recurse too deeply.
    (tree / "g" / "1-start.md").write_text("---\ntitle: Start\n---\n" + "".join(
        "\t" * depth + "- deeper\n" for depth in range(60)))

    def too_deep(self, *args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("guidebook.build.Loader.load", too_deep)
    assert run(["check"], capsys) == (1, "", (
        "content/g/1-start.md: the text is nested too deeply to be read (hundreds of levels "
        "of lists, quotes or indentation)\n"
        "    hint: flatten the deepest lists or quotes; a few levels are plenty for a reader\n"
        "1 error.\n"))


def test_a_very_long_line_is_quoted_around_the_column() -> None:
    source = "title: " + "a" * 300 + ": b" + "c" * 300
    problem = Problem("x.md", 2, 308, "message", source_line=source)
    quoted, caret = problem.format().split("\n")[1:3]
    assert quoted == "    2 | …" + "a" * 49 + ": b" + "c" * 48 + "…"
    assert caret.index("^") == quoted.index(":", 8)


def test_a_broken_step_does_not_make_later_steps_look_misnumbered(tree: Path, capsys) -> None:
    (tree / "g" / "1-start.md").write_text("---\ntitle: Start: here\n---\n")
    (tree / "g" / "2-next.md").write_text("---\ntitle: Next\n---\nText.\n")
    (tree / "g" / "3-last.md").write_text("---\ntitle: Last\n---\nText.\n")
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert "gap" not in err
    assert err.endswith("1 error.\n")


def test_duplicate_step_numbers_are_not_also_reported_as_gaps(tree: Path, capsys) -> None:
    (tree / "g" / "1-again.md").write_text("---\ntitle: Again\n---\nText.\n")
    (tree / "g" / "2-next.md").write_text("---\ntitle: Next\n---\nText.\n")
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert "gap" not in err
    assert "2 steps have the number 1: 1-again.md and 1-start.md" in err
    assert "hint: give each step its own number: rename 1-start.md to 2-start.md and " \
        "renumber the steps after it" in err
    assert err.endswith("1 error.\n")  # one mistake, one message


def test_images_must_exist_and_be_local(tree: Path, capsys) -> None:
    (tree / "g" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tree / "g" / "1-start.md").write_text(
        "---\ntitle: Start\n---\n![A picture](pic.png)\n\n![Missing](gone.png)\n\n"
        "![Remote](https://example.org/x.png)\n")
    code, _, err = run(["check"], capsys)
    assert code == 1
    assert err == (
        'content/g/1-start.md:6:12: the image "gone.png" points at a file that does not '
        "exist\n"
        "    6 | ![Missing](gone.png)\n"
        "                   ^\n"
        "    hint: check the file name, or put the file in the guide's folder\n"
        'content/g/1-start.md:8:11: the image "https://example.org/x.png" is on another host\n'
        "    8 | ![Remote](https://example.org/x.png)\n"
        "                  ^\n"
        "    hint: save the image in the guide's folder and use its file name: pages load "
        "nothing from other hosts, for the readers' privacy\n"
        "2 errors.\n")


def test_a_local_image_is_copied_beside_its_page(tree: Path, capsys) -> None:
    (tree / "g" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tree / "g" / "1-start.md").write_text("---\ntitle: Start\n---\n![A picture](pic.png)\n")
    code, _, err = run(["build", "--output", "out"], capsys)
    assert code == 0, err
    page = (tree.parent / "out" / "g" / "start.html").read_text()
    assert '<img alt="A picture" src="pic.png"' in page
    assert (tree.parent / "out" / "g" / "pic.png").read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_a_name_with_accents_gets_its_name_without_them(tree: Path, capsys) -> None:
    """The hint renames a file or folder with accents to the same words without them
    (Unicode NFKD), not with the accented letters cut out ("caf-creme")."""
    (tree / "g" / "worksheets" / "Café crème.md").write_text(
        "---\ntitle: Café\nstep: 1\n---\n## Q\n\n[short]\n")
    (tree / "g" / "2-Étape suivante.md").write_text("---\ntitle: Next\n---\nText.\n")
    shutil.copytree(tree / "g", tree / "Thérapie")
    code, out, err = run(["check"], capsys)
    hints = [line.strip() for line in err.splitlines() if line.strip().startswith("hint:")]
    assert code == 1 and hints == [
        "hint: rename it to therapie: a guide's folder name has only lowercase letters a-z, "
        "digits and hyphens",
        "hint: rename it to 2-etape-suivante.md, or move it to worksheets/ if it is a "
        "worksheet",
        "hint: rename it to cafe-creme.md: a worksheet's file name has only lowercase letters "
        "a-z, digits and hyphens, and is not index.md (that is the page of all worksheets)"]
