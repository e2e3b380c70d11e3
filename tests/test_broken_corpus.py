"""The corpus of broken content trees: each gives exactly its expected messages, exit 1,
and a build on it leaves the previous site as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidebook.build import Config, build
from guidebook.cli import main
from guidebook.errors import ContentError

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
