"""A build killed with SIGKILL at any moment leaves the previous site complete; the next
build removes what the killed one left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import BUILD_COMMAND, ROOT, TEMPLATES

GUIDES, STEPS = 6, 49  # 6 guide pages + 294 step pages = 300 pages, plus worksheets
PARAGRAPH = ("When you feel rejected, the hurt arrives fast, and an explanation arrives right "
             "behind it. Write the facts first, then the story you told yourself. ") * 2


def write_content(content: Path, edition: str) -> None:
    """Write a content tree of about 300 pages; `edition` changes the text of every page."""
    (content / "site.yaml").parent.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(f"title: Guides {edition}\n")
    for g in range(1, GUIDES + 1):
        folder = content / f"guide-{g}"
        (folder / "worksheets").mkdir(parents=True, exist_ok=True)
        (folder / "guide.md").write_text(
            f"---\ntitle: Guide {g}\nsummary: Guide number {g}, {edition}.\n---\n{PARAGRAPH}\n")
        for s in range(1, STEPS + 1):
            (folder / f"{s}-step-{s}.md").write_text(
                f"---\ntitle: Step {s} {edition}\n---\n## Part one\n\n{PARAGRAPH}\n\n"
                f"## Part two\n\n{PARAGRAPH}\n")
        (folder / "worksheets" / "notes.md").write_text(
            f"---\ntitle: Notes {edition}\nstep: 1\n---\n## What happened? {{#what}}\n\n"
            "[lines: 4]\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


RUNNING: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_stray_builds():
    """Kill any build a failing test left running (only the ones this module started)."""
    yield
    while RUNNING:
        build = RUNNING.pop()
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()


def start_build(content: Path, output: Path) -> subprocess.Popen:
    log = open(output.parent.parent / "build.log", "ab")  # noqa: SIM115 - closed below
    build = subprocess.Popen(
        [*BUILD_COMMAND, "--content", str(content), "--templates", str(TEMPLATES),
         "--output", str(output)],
        cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
    log.close()  # the child has its own copy
    RUNNING.append(build)
    return build


def files_in(folder: Path) -> int:
    # os.walk, unlike rglob, shrugs off a folder removed while we count it.
    return sum(len(files) for _, _, files in os.walk(folder))


def hidden_folders(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name.startswith(".site.") and p.is_dir())


def kill_when(build: subprocess.Popen, parent: Path, moment: str) -> bool:
    """Kill the build at a moment; return True if it was killed while still running."""
    started = time.monotonic()
    while build.poll() is None:
        elapsed = time.monotonic() - started
        if moment.endswith("s") and elapsed >= float(moment[:-1]):
            break
        if moment.startswith("folder"):
            folders = hidden_folders(parent)
            want = int(moment.split(":")[1])
            if folders and files_in(folders[0]) >= want:
                break
        if elapsed > 120:
            pytest.fail(f"the build neither finished nor reached {moment} in 120 s")
        time.sleep(0.002)
    if build.poll() is not None:
        return False
    # The whole process group: any worker processes of the build die with it.
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    return build.returncode == -signal.SIGKILL


def test_sigkill_halfway_leaves_the_previous_site(tmp_path: Path) -> None:
    content, output = tmp_path / "content", tmp_path / "out" / "site"
    write_content(content, "first")
    output.parent.mkdir()
    first = start_build(content, output)
    assert first.wait() == 0, (tmp_path / "build.log").read_text()
    previous = snapshot(output)
    assert sum(name.endswith(".html") for name in previous) >= 300

    write_content(content, "second")  # every page changes, so every file is written again
    killed_halfway = 0
    # Moments: while Python starts, while it renders, as the hidden folder appears, and with
    # about half of the new site written into it.
    for moment in ["0.05s", "0.5s", "folder:0", "folder:150"]:
        build = start_build(content, output)
        was_running = kill_when(build, output.parent, moment)
        now = snapshot(output)
        if was_running:
            # Killed: site/ is the previous complete site, byte for byte.
            assert now == previous, f"site/ changed after SIGKILL at {moment}"
            killed_halfway += bool(hidden_folders(output.parent))
        else:
            # It finished before the moment came: then it is the new complete site.
            assert build.returncode == 0
            assert now.keys() == previous.keys() and now != previous
            previous = now
    assert killed_halfway, "no kill landed while the new site was being written"

    leftovers = hidden_folders(output.parent)
    last = start_build(content, output)
    assert last.wait() == 0, (tmp_path / "build.log").read_text()
    assert hidden_folders(output.parent) == [], f"not cleaned up: {leftovers}"
    final = snapshot(output)
    assert final.keys() == previous.keys()
    assert "Step 1 second" in final["guide-1/step-1.html"].decode()
