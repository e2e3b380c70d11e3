"""Guidebook builds the same site wherever a coach runs it (issue 18).

Windows has no fcntl, no renameat2 and no fork; macOS does not fork by default. These tests
build with those taken away (tests/windows.py) and compare the output byte for byte with a
normal build, on the guide and on a 300-page library large enough for parallel work; they
kill a build in the middle of the fallback swap and check that the site survives and the
next build repairs it.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from guidebook import parallel
from guidebook.errors import Problem

from .conftest import CONTENT, ROOT, TEMPLATES


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site."))


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A generated library of 300 Markdown pages (bench/generate.py), enough for workers."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import library as make_library
    from bench.generate import write_ours

    root = tmp_path_factory.mktemp("library")
    return write_ours(make_library(300), root)


def run_build(content: Path, output: Path, simulated: bool, *args: str,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the command line in a new process, normally or as on Windows (tests/windows.py)."""
    command = ([sys.executable, str(ROOT / "tests" / "windows.py")] if simulated
               else [sys.executable, str(ROOT / "build.py")])
    environ = {**os.environ, "GUIDEBOOK_JOBS": "2", **(env or {})}
    environ.pop("GUIDEBOOK_SIMULATE_WINDOWS", None)  # `simulated` alone decides
    return subprocess.run([*command, "--content", str(content), "--templates", str(TEMPLATES),
                           "--output", str(output), *args],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("which", ["guide", pytest.param("library", marks=pytest.mark.slow)])
def test_a_build_as_on_windows_equals_the_normal_build(which, library, tmp_path) -> None:
    content = CONTENT if which == "guide" else library
    normal = run_build(content, tmp_path / "normal" / "site", simulated=False)
    assert normal.returncode == 0, normal.stderr
    windows = run_build(content, tmp_path / "windows" / "site", simulated=True)
    assert windows.returncode == 0, windows.stderr
    expected = snapshot(tmp_path / "normal" / "site")
    assert len(expected) > (300 if which == "library" else 10)
    assert snapshot(tmp_path / "windows" / "site") == expected
    # A second build as on Windows swaps with two renames, and changes nothing.
    again = run_build(content, tmp_path / "windows" / "site", simulated=True)
    assert again.returncode == 0, again.stderr
    assert ", 0 changed)" in again.stdout
    assert snapshot(tmp_path / "windows" / "site") == expected
    assert hidden(tmp_path / "windows") == [".site.lock"]


def test_the_simulation_takes_away_what_windows_lacks(tmp_path) -> None:
    """The simulated process really has no fcntl, renameat2 or fork (else it proves little)."""
    probe = ("import windows as w; w.install()\n"
             "import multiprocessing, os\n"
             "from guidebook import write\n"
             "try:\n    import fcntl\nexcept ImportError:\n    print('no fcntl')\n"
             "print('renameat2' if write.renameat2() else 'no renameat2')\n"
             "print('fork' if hasattr(os, 'fork') else 'no fork')\n"
             "print(multiprocessing.get_start_method())\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT / "tests", capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.split("\n") == ["no fcntl", "no renameat2", "no fork", "spawn", ""], (
        result.stderr)


def test_a_failing_worker_is_reported_not_waited_for() -> None:
    """A task that raises, or a worker that dies, ends the run with WorkerError."""
    context = multiprocessing.get_context("spawn")
    with pytest.raises(parallel.WorkerError, match="ZeroDivisionError"):
        list(parallel.run(context, 2, divide, 1, [1, 0, 2]))
    with pytest.raises(parallel.WorkerError, match="exit code -9"):
        list(parallel.run(context, 2, divide, 1, [-1]))


@pytest.mark.parametrize("fresh", [True, False])
def test_a_failing_worker_is_reported_with_a_new_process_per_task_too(fresh) -> None:
    """Fresh workers (one task each, as forked builds run) end a run the same way."""
    context = multiprocessing.get_context("spawn")
    with pytest.raises(parallel.WorkerError, match="ZeroDivisionError"):
        list(parallel.run(context, 2, divide, 1, [1, 0, 2], fresh=fresh))
    with pytest.raises(parallel.WorkerError, match="exit code -9"):
        list(parallel.run(context, 2, divide, 1, [2, -1, 4], fresh=fresh))


def test_fresh_workers_run_each_task_in_a_new_process_and_return_every_result() -> None:
    """With `fresh`, no process runs two tasks (what it copied of the parent's memory goes
    with it), at most `workers` at a time, and every result comes back once."""
    context = multiprocessing.get_context("spawn")
    results = dict(parallel.run(context, 2, process_of, 10, list(range(7)), fresh=True))
    assert sorted(results) == list(range(7))
    assert [value for value, _ in (results[i] for i in range(7))] == list(range(10, 17))
    assert len({pid for _, pid in results.values()}) == 7
    kept = dict(parallel.run(context, 2, process_of, 10, list(range(7)), fresh=False))
    assert len({pid for _, pid in kept.values()}) <= 2


def process_of(base: int, task: int) -> tuple[int, int]:
    """A task for the test above: its value and the process that ran it."""
    return base + task, os.getpid()


def divide(numerator: int, by: int) -> float:
    """A task for the test above: -1 kills its own worker."""
    if by == -1:
        os.kill(os.getpid(), signal.SIGKILL)
    return numerator / by


@pytest.mark.parametrize("renames", [pytest.param(1, marks=pytest.mark.slow), 2,
                                     pytest.param(3, marks=pytest.mark.slow),
                                     pytest.param(4, marks=pytest.mark.slow)])
def test_a_build_killed_during_the_fallback_swap_is_repaired(renames, tmp_path) -> None:
    """Killed after each rename of the swap: a whole site survives and the next build, even
    one that fails on a content error, puts it back under site/ before anything else."""
    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(CONTENT), str(content)], check=True)
    output = tmp_path / "out" / "site"
    first = run_build(content, output, simulated=True)
    assert first.returncode == 0, first.stderr
    old = snapshot(output)
    step = content / "managing-rejection" / "1-rethink-the-rejection.md"
    step.write_text(step.read_text().replace("title: ", "title: Killed ", 1))

    killed = run_build(content, output, simulated=True,
                       env={"GUIDEBOOK_KILL_AT_RENAME": str(renames)})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = hidden(output.parent)
    if renames == 2:  # between parking the old site and renaming the new one in
        assert not output.exists()
        ready = [name for name in left if name.startswith(".site.ready-")]
        assert len(ready) == 1
        new = snapshot(output.parent / ready[0])
    else:
        new = snapshot(output)
        assert new == old if renames == 1 else new != old
    assert "Killed" in new["managing-rejection/rethink-the-rejection.html"].decode() or (
        renames == 1)

    # The next build stops at a content error, yet site/ is whole again first.
    broken = content / "managing-rejection" / "2-decide-what-is-true-for-you.md"
    text = broken.read_text()
    broken.write_text(text.replace("title:", "titel:", 1))
    failed = run_build(content, output, simulated=True)
    assert failed.returncode == 1
    assert snapshot(output) == new

    broken.write_text(text)
    fixed = run_build(content, output, simulated=True)
    assert fixed.returncode == 0, fixed.stderr
    assert hidden(output.parent) == [".site.lock"]
    final = snapshot(output)
    assert "Killed" in final["managing-rejection/rethink-the-rejection.html"].decode()
    assert final.keys() == old.keys()


def check_output(content: Path, templates: Path = TEMPLATES) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content",
                           str(content), "--templates", str(templates)],
                          cwd=content.parent, capture_output=True, text=True, timeout=120)


def test_two_content_files_differing_only_in_case_are_an_error_naming_both(tmp_path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    guide = content / "managing-rejection"
    (guide / "photo.png").write_bytes(b"\x89PNG one")
    (guide / "Photo.png").write_bytes(b"\x89PNG two")
    result = check_output(content)
    assert result.returncode == 1
    assert result.stderr == (
        "content/managing-rejection/photo.png: this file and "
        "content/managing-rejection/Photo.png have names that differ only in letter case "
        "(managing-rejection/photo.png, managing-rejection/Photo.png in the site): Windows, "
        "macOS and many web hosts see one file, so one would overwrite the other\n"
        "    hint: rename one of them (lowercase names are safest in web addresses)\n"
        "1 error.\n")
    # A build stops before writing anything.
    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content),
                            "--templates", str(TEMPLATES)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 1 and "differ only in letter case" in built.stderr
    assert not (tmp_path / "site").exists()


def test_theme_files_differing_only_in_case_are_an_error_naming_both(tmp_path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "assets" / "css"
    shutil.copy(css / "site.css", css / "Site.css")
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    result = check_output(content, templates)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "templates/assets/css/site.css: this file and templates/assets/css/Site.css have "
        "names that differ only in letter case (assets/css/site.css, assets/css/Site.css in "
        "the site)"), result.stderr


def test_an_override_named_like_a_theme_template_but_for_case_is_an_error(tmp_path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "_templates").mkdir(exist_ok=True)
    (content / "_templates" / "Base.html").write_text("{{ page }}\n")
    result = check_output(content)
    assert result.returncode == 1
    assert result.stderr == (
        "content/_templates/Base.html: this file is named like the theme's \"base.html\" "
        "but for its letter case: it replaces that file on Windows and macOS and not on "
        "Linux\n    hint: rename it to base.html to replace that file, or give it a name "
        "of its own\n1 error.\n")


def test_messages_write_paths_with_the_systems_separator() -> None:
    """A problem's place is written as the coach's system writes paths (\\ on Windows)."""
    problem = Problem("content/managing-rejection/guide.md", 3, 1, "a message", "a hint")
    assert problem.format(sep="\\").split("\n")[0] == (
        "content\\managing-rejection\\guide.md:3:1: a message")
    assert problem.format(sep="/").split("\n")[0] == (
        "content/managing-rejection/guide.md:3:1: a message")
