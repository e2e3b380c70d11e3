"""A site folder or file that another program holds open (Windows refuses to rename or replace
it: an editor, a virus scanner, Dropbox): tried again with growing pauses; when the hold
lasts, one message, exit 1, the old site whole, and the next build finishes the job.

The hold is simulated: os.rename and os.replace raise PermissionError, as Windows does, for
the folder or file a test names, a number of times or always; the swap takes the two-rename
way that Windows takes (no renameat2).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guidebook import write
from guidebook.cli import main
from guidebook.errors import ContentError

from .conftest import CONTENT, TEMPLATES


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project folder with the real guide's content, its site built once; the current
    folder, as for a coach who runs `python build.py` in it. The swap takes two renames."""
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(write, "exchange", lambda a, b: False)  # no renameat2, as on Windows
    monkeypatch.setattr(write, "RENAME_PAUSES", (0.0,) * len(write.RENAME_PAUSES))
    assert build_command() == 0
    return tmp_path


def build_command() -> int:
    return main(["build", "--content", "content", "--templates", str(TEMPLATES)])


def edit_content(project: Path) -> None:
    guide = project / "content" / "managing-rejection" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n",
                     encoding="utf-8")


def hold(monkeypatch, held: Callable[[Path], bool], times: int | None = None) -> list[str]:
    """Make os.rename and os.replace of a path `held(source)` accepts raise PermissionError,
    `times` times (then let go) or always (None). Returns the names refused, in order."""
    refused: list[str] = []

    def refusing(real: Callable[..., None]) -> Callable[..., None]:
        def move(source, target, *args, **options) -> None:  # noqa: ANN001, ANN003
            if held(Path(source)) and (times is None or len(refused) < times):
                refused.append(Path(source).name)
                raise PermissionError(13, "Access is denied", str(source))
            real(source, target, *args, **options)
        return move

    monkeypatch.setattr(os, "rename", refusing(os.rename))
    monkeypatch.setattr(os, "replace", refusing(os.replace))
    return refused


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


HELD = ("site: another program has this folder (or a file in it) open, so Guidebook could not "
        "rename it (it tried for a few seconds): an editor, a file viewer, a virus scanner, "
        "or Dropbox or OneDrive syncing it\n"
        "    hint: close the file or the program that has it open (or wait until the sync is "
        "done), then build again; {outcome}\n"
        "1 error.\n")


def test_the_pauses_grow_and_end_within_seconds() -> None:
    pauses = write.RENAME_PAUSES
    assert all(later > earlier for earlier, later in zip(pauses[:-1], pauses[1:], strict=True))
    assert 1 <= sum(pauses) <= 5


def test_a_folder_held_for_a_moment_is_renamed_on_a_later_attempt(project, monkeypatch,
                                                                   capsys):
    edit_content(project)
    refused = hold(monkeypatch, lambda source: source.name == "site", times=3)
    assert build_command() == 0
    assert refused == ["site"] * 3
    assert "One more line." in (project / "site/managing-rejection/index.html").read_text()
    assert leftovers(project) == [".site.lock"]
    assert "Built 13 pages" in capsys.readouterr().out


def test_a_folder_held_open_stops_the_build_with_one_message_and_the_site_as_it_was(
        project, monkeypatch, capsys):
    before = snapshot(project / "site")
    edit_content(project)
    capsys.readouterr()
    refused = hold(monkeypatch, lambda source: source.name == "site")
    assert build_command() == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", HELD.format(outcome="site/ still holds the site as it was")
                          + "Nothing was written; site/ is as it was.\n")
    assert refused == ["site"] * (len(write.RENAME_PAUSES) + 1)  # bounded: then it gives up
    assert snapshot(project / "site") == before
    assert leftovers(project) == [".site.lock"]
    monkeypatch.undo()  # the program lets go
    monkeypatch.chdir(project)
    assert build_command() == 0
    assert "One more line." in (project / "site/managing-rejection/index.html").read_text()


def test_a_new_site_held_on_its_last_rename_puts_the_old_site_back(project, monkeypatch,
                                                                    capsys):
    before = snapshot(project / "site")
    edit_content(project)
    capsys.readouterr()
    hold(monkeypatch, lambda source: source.name.startswith(".site.ready-"))
    assert build_command() == 1
    err = capsys.readouterr().err
    assert err.startswith(".site.ready-") and ": another program has this folder" in err
    assert err.endswith("Nothing was written; site/ is as it was.\n")
    assert snapshot(project / "site") == before
    assert leftovers(project) == [".site.lock"]


def test_when_the_old_site_cannot_go_back_either_the_next_build_puts_a_site_back(
        project, monkeypatch, capsys):
    edit_content(project)
    capsys.readouterr()
    hold(monkeypatch, lambda source: source.name.startswith((".site.ready-", ".site.old-")))
    assert build_command() == 1
    err = capsys.readouterr().err
    assert "then build again; that build puts the site back in site/\n1 error.\n" in err
    assert err.endswith("site/ is missing until the next build puts the site back.\n")
    assert not (project / "site").exists()
    assert [name.split("-")[0] for name in leftovers(project)] == [".site.lock", ".site.old",
                                                                 ".site.ready"]
    monkeypatch.undo()
    monkeypatch.chdir(project)
    monkeypatch.setattr(write, "exchange", lambda a, b: False)
    assert build_command() == 0
    assert "One more line." in (project / "site/managing-rejection/index.html").read_text()
    assert leftovers(project) == [".site.lock"]


def test_serve_tries_a_held_file_again_then_names_it(tmp_path, monkeypatch):
    output = tmp_path / "site"
    output.mkdir()
    (output / "index.html").write_bytes(b"old")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(write, "RENAME_PAUSES", (0.0,) * len(write.RENAME_PAUSES))
    refused = hold(monkeypatch, lambda source: source.name.startswith(".index.html.tmp-"),
                   times=2)
    assert write.update_in_place(output, [("index.html", b"new")], {"index.html"},
                                 force=True) == (1, 0)
    assert refused == [f".index.html.tmp-{os.getpid()}"] * 2
    assert (output / "index.html").read_bytes() == b"new"
    hold(monkeypatch, lambda source: source.name.startswith(".index.html.tmp-"))
    with pytest.raises(ContentError) as caught:
        write.update_in_place(output, [("index.html", b"newer")], {"index.html"}, force=True)
    [problem] = caught.value.problems
    assert problem.format("/").split("\n")[0] == (
        "site/index.html: another program has this file open, so Guidebook could not "
        "replace it (it tried for a few seconds): an editor, a file viewer, a virus scanner, "
        "or Dropbox or OneDrive syncing it")
    assert (output / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in output.iterdir()) == [".guidebook-files", "index.html"]
