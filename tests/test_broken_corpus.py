"""The corpus of broken content trees: each gives exactly its expected messages, exit 1,
and a build on it leaves the previous site as it was."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidebook.build import Config, build, check, render_site
from guidebook.cache import BuildCache
from guidebook.cli import main
from guidebook.errors import ContentError, Problem

from .conftest import BUILD_COMMAND, CONTENT, ROOT, TEMPLATES

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_has_at_least_30_distinct_cases() -> None:
    sys.path.insert(0, str(BROKEN))
    from make_corpus import CASES as DESCRIBED

    assert len(CASES) >= 30
    assert set(CASES) == set(DESCRIBED), "tests/broken/ and make_corpus.py disagree"
    outputs = {(BROKEN / c / "expected.txt").read_text(encoding="utf-8") for c in CASES}
    assert len(outputs) == len(CASES)


@pytest.mark.parametrize("case", CASES)
def test_check_prints_exactly_the_expected_messages(case: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["check", "--content", f"tests/broken/{case}"])
    out, err = capsys.readouterr()
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8")
    assert (err, out, code) == (expected, "", 1)


def test_the_real_command_prints_the_same() -> None:
    case = "colon-in-title"
    run = subprocess.run([*BUILD_COMMAND, "check", "--content",
                          f"tests/broken/{case}"], cwd=ROOT, capture_output=True, text=True)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8")
    assert (run.stderr, run.stdout, run.returncode) == (expected, "", 1)
    assert "Traceback" not in run.stderr


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """A complete site of the real guide, built once; each test copies it."""
    output = tmp_path_factory.mktemp("previous") / "site"
    build(Config(CONTENT, TEMPLATES, output))
    return output


@pytest.mark.parametrize("case", ["colon-in-title", "not-utf8", "two-steps-one-page",
                                  "worksheet-bad-parameters", "symlink-loop",
                                  "site-yaml-not-a-mapping", "link-to-missing-anchor"])
def test_build_on_broken_content_leaves_the_previous_site(case: str, tmp_path: Path,
                                                          previous_site: Path,
                                                          monkeypatch) -> None:
    output = tmp_path / "site"
    shutil.copytree(previous_site, output)
    before = snapshot(output)
    monkeypatch.chdir(ROOT)
    with pytest.raises(ContentError) as caught:
        build(Config(Path(f"tests/broken/{case}"), TEMPLATES, output))
    assert caught.value.problems
    assert snapshot(output) == before
    half_built = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    assert half_built in ([], [".site.lock"])


def test_build_command_says_nothing_was_written(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    output = tmp_path / "site"
    code = main(["--content", "tests/broken/empty-file", "--output", str(output)])
    err = capsys.readouterr().err
    expected = (BROKEN / "empty-file" / "expected.txt").read_text(encoding="utf-8")
    assert code == 1
    assert err == expected + f"Nothing was written; {output}/ is as it was.\n"
    assert not output.exists()


def corpus_problems(case: str) -> list[Problem]:
    """Return the problems `python build.py check --content tests/broken/<case>` reports
    (run from the project folder), as the command finds them: loading, then rendering."""
    config = Config(Path(f"tests/broken/{case}"), TEMPLATES, Path("site"))
    try:
        site, loader, problems = check(config)
        render_site(config, site, loader, BuildCache(config.output, enabled=False))
    except ContentError as exc:
        return exc.problems
    return problems.items


# What may keep a "/" in a message or hint on Windows: web addresses, HTML, a link as the
# coach wrote it ("the link "worksheets/notez.md"") and links to write in Markdown instead
# ("link to an existing file: worksheets/notes.md"): links are URLs, not paths of the system.
NOT_PATHS = re.compile(r"(?:\w+:|\B)//\S*|</?[a-z][^<>]*>|the (?:link|image) \"[^\"]*\""
                       r"|link to an existing file: .*")


def test_on_windows_every_path_a_message_names_is_written_with_backslashes(monkeypatch):
    """Format the whole corpus as Windows shows it (sep "\\"): no message or hint names a
    path with "/", the place of each problem is written with "\\" too, and on this system
    the same problems print exactly as expected.txt says (the test above)."""
    monkeypatch.chdir(ROOT)
    left, named = [], 0
    for case in CASES:
        for problem in corpus_problems(case):
            assert "/" not in problem.location("\\"), problem
            for text in problem.text("\\"):
                named += text.count("\\")
                if "/" in NOT_PATHS.sub("", text):
                    left.append(f"{case}: {text}")
                assert "\ue000" not in text and "\ue001" not in text
            assert "\\" not in "".join(problem.text("/")), problem
    assert left == []
    assert named >= 20  # the paths the corpus's messages name, now with backslashes


def test_on_windows_a_message_names_the_file_and_keeps_the_link_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    case = "link-into-a-folder-to-missing-page"
    [problem] = corpus_problems(case)
    assert problem.format("\\").split("\n")[0] == (
        f"tests\\broken\\{case}\\g\\guide.md:5:57: the link \"worksheets/notez.md\" points at "
        f"tests\\broken\\{case}\\g\\worksheets\\notez.md, which does not exist")
    assert problem.format("\\").split("\n")[-1] == (
        "    hint: link to an existing file: worksheets/notes.md, 1-start.md, guide.md")
    [problem] = corpus_problems("step-file-name-uppercase")
    assert problem.text("\\")[1] == (
        "rename it to 2-respond.md, or move it to worksheets\\ if it is a worksheet")
