"""The output folder never eats what a coach owns (issue 14, point 1).

Each wrong --output is refused with one exact message before anything is read or written;
a folder of someone else's files is refused unless --force; files Guidebook did not write
survive every build, the atomic swap and `serve`, while stale pages it wrote are removed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidebook.build import build
from guidebook.errors import ContentError
from guidebook.output import RECORD
from guidebook.write import update_in_place

from .conftest import CONTENT, ROOT, TEMPLATES, make_config

HINT = "    hint: give --output a folder of its own, for example site (the default)"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder` (and its hidden siblings), with file bytes."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = path.read_bytes() if path.is_file() else None
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A coach's project folder: content/ and templates/ copied, nothing built yet."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("output", "first_line"), [
    ("content", "content/: this is the content folder; building the site here would replace "
                "your Markdown files"),
    ("templates", "templates/: this is the templates folder; building the site here would "
                  "replace the theme's files"),
    (".", "./: this is the project folder; building the site here would replace everything "
          "in it, your content and templates included"),
    ("content/managing-rejection", "content/managing-rejection/: this folder lies inside the "
     "content folder (content/); the built site would be mixed with your Markdown files"),
    ("templates/assets/out", "templates/assets/out/: this folder lies inside the templates "
     "folder (templates/); the built site would be mixed with the theme's files"),
])
@pytest.mark.parametrize("command", [[], ["serve", "--port", "0"]])
def test_an_output_folder_the_coach_owns_is_refused_before_anything_is_touched(
        project: Path, output: str, first_line: str, command: list[str]) -> None:
    before = snapshot(project)
    done = run(project, *command, "--output", output)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (f"{first_line}\n{HINT}\n1 error.\n"
                           f"Nothing was written; {output}/ is as it was.\n")
    assert snapshot(project) == before  # no .cache, no lock, no hidden build folder


def test_a_folder_that_contains_the_project_is_refused(project: Path) -> None:
    (project / "work").mkdir()
    shutil.move(project / "content", project / "work" / "content")
    before = snapshot(project)
    done = run(project / "work", "--templates", "../templates", "--output", "..")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "../: this folder contains the content folder (content/); building the site here "
        "would replace it")
    assert snapshot(project) == before


def test_an_output_that_is_a_file_is_refused(project: Path) -> None:
    (project / "notes.txt").write_text("mine\n")
    done = run(project, "--output", "notes.txt")
    assert done.returncode == 1
    assert done.stderr.splitlines()[:2] == ["notes.txt: this is a file, not a folder",
                                           "    hint: give --output the name of a folder"]
    assert (project / "notes.txt").read_text() == "mine\n"


def test_a_folder_of_other_files_is_refused_naming_them_unless_forced(project: Path) -> None:
    notes = project / "notes"
    notes.mkdir()
    for name in ("todo.md", "photo.jpg", "index.html", "letter.txt", ".hidden"):
        (notes / name).write_text(f"the coach's {name}\n")
    before = snapshot(project)
    done = run(project, "--output", "notes")
    assert done.returncode == 1
    assert done.stderr == (
        "notes/: this folder holds files Guidebook did not write (index.html, letter.txt, "
        "photo.jpg and 1 more) and no record of an earlier build\n"
        "    hint: choose an empty folder (or one Guidebook built before), or pass --force to "
        "build into it anyway: its files are kept, except any with the same name as a file "
        "of the site\n1 error.\nNothing was written; notes/ is as it was.\n")
    assert snapshot(project) == before
    done = run(project, "--output", "notes", "--force")
    assert done.returncode == 0, done.stderr
    for name in ("todo.md", "photo.jpg", "letter.txt", ".hidden"):  # kept
        assert (notes / name).read_text() == f"the coach's {name}\n"
    assert "<!doctype html>" in (notes / "index.html").read_text()  # asked for: replaced
    assert run(project, "--output", "notes").returncode == 0  # its record says it is ours


def test_a_folder_holding_only_hidden_files_is_built_into(project: Path) -> None:
    deploy = project / "deploy"
    (deploy / ".git").mkdir(parents=True)
    (deploy / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    done = run(project, "--output", "deploy")
    assert done.returncode == 0, done.stderr
    assert (deploy / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (deploy / "index.html").is_file()


def add_deploy_files(site: Path) -> dict[str, bytes | None]:
    (site / ".git" / "objects" / "ab").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / ".git" / "objects" / "ab" / "cdef").write_bytes(b"\x00object")
    (site / ".git" / "refs").mkdir()  # an empty folder
    (site / "CNAME").write_text("guide.example.org\n")
    (site / ".nojekyll").write_text("")
    (site / "managing-rejection" / "notes-for-me.txt").write_text("my notes\n")
    (site / "link").symlink_to("index.html")
    return {rel: data for rel, data in snapshot(site).items()
            if rel.startswith((".git", "CNAME", ".nojekyll", "managing-rejection/notes"))}


def remove_worksheet(content: Path) -> None:
    """Remove the 'Learning from it' worksheet and the step's links to it."""
    (content / "managing-rejection/worksheets/learning-from-it.md").unlink()
    step = content / "managing-rejection/3-learn-from-what-happened.md"
    text = step.read_text(encoding="utf-8")
    text = text.replace("(worksheets/learning-from-it.md)", "(reading.md)")
    step.write_text(text, encoding="utf-8")


def test_files_guidebook_did_not_write_survive_builds_and_stale_pages_go(project: Path) -> None:
    config = make_config(project, project / "content")
    build(config)
    site = config.output
    kept = add_deploy_files(site)
    remove_worksheet(config.content)
    build(config)
    assert {rel: data for rel, data in snapshot(site).items() if rel in kept} == kept
    assert (site / "link").is_symlink() and (site / "link").readlink() == Path("index.html")
    assert not (site / "managing-rejection/worksheets/learning-from-it.html").exists()
    record = (site / RECORD).read_text().splitlines()
    assert "managing-rejection/worksheets/facts-and-stories.html" in record
    assert not any(line.startswith((".git", "CNAME", "link")) for line in record)
    build(config)  # and again: still there
    assert {rel: data for rel, data in snapshot(site).items() if rel in kept} == kept


def test_the_record_is_not_needed_in_the_cache(project: Path) -> None:
    """Removing .cache/ never makes the coach's own site look foreign."""
    config = make_config(project, project / "content")
    build(config)
    shutil.rmtree(project / ".cache")
    build(config)  # no refusal
    (config.output / RECORD).unlink()
    # ignore_errors: the old site may still be being removed in the background, in .cache/
    shutil.rmtree(project / ".cache", ignore_errors=True)
    assert not (project / ".cache" / "guidebook" / "site" / "manifest.pickle").exists()
    with pytest.raises(ContentError) as caught:
        build(config)  # neither record nor manifest: it now looks like someone else's
    assert "holds files Guidebook did not write" in caught.value.problems[0].message


def test_a_site_from_before_the_record_is_recognised_by_the_cache_manifest(
        project: Path) -> None:
    config = make_config(project, project / "content")
    build(config)
    (config.output / RECORD).unlink()
    build(config)
    assert (config.output / RECORD).is_file()


def test_a_page_never_replaces_a_file_the_coach_put_there(project: Path) -> None:
    config = make_config(project, project / "content")
    build(config)
    record = config.output / RECORD
    lines = record.read_text().splitlines()
    record.write_text("\n".join(line for line in lines if line != "robots.txt") + "\n")
    (config.output / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    before = snapshot(config.output)
    with pytest.raises(ContentError) as caught:
        build(config)
    assert [p.format() for p in caught.value.problems] == [
        f"{config.output.as_posix()}/robots.txt: {config.output.as_posix()}/robots.txt was not "
        "written by Guidebook, and the site has a file with the same name that would replace "
        "it\n    hint: move the file out of the output folder, or pass --force to replace it"]
    assert snapshot(config.output) == before


def test_serve_updates_keep_files_guidebook_did_not_write(project: Path) -> None:
    config = make_config(project, project / "content")
    build(config)
    site = config.output
    kept = add_deploy_files(site)
    ours = [line for line in (site / RECORD).read_text().splitlines()
            if line and not line.startswith("#")]
    stale = "managing-rejection/worksheets/learning-from-it.html"
    keep = set(ours) - {stale}
    written, removed = update_in_place(site, [("index.html", b"<!doctype html>new")], keep)
    assert (written, removed) == (1, 1)
    assert not (site / stale).exists()
    assert {rel: data for rel, data in snapshot(site).items() if rel in kept} == kept
    with pytest.raises(ContentError):  # a page with the name of the coach's file
        update_in_place(site, [("CNAME", b"other")], keep | {"CNAME"})
    assert (site / "CNAME").read_text() == "guide.example.org\n"


def test_old_sites_left_in_the_trash_are_removed_by_the_next_build(project: Path) -> None:
    """An old site whose removal had not finished (builds in quick succession) goes with the
    next build's old site (in the background), and the new site is complete meanwhile."""
    config = make_config(project, project / "content", templates=project / "templates")
    build(config)
    trash = project / ".cache" / "guidebook" / "site" / "trash"
    leftover = trash / ".site.new-1-1"  # as an earlier build parked its old site
    (leftover / "guide").mkdir(parents=True)
    (leftover / "guide" / "index.html").write_text("an old page", encoding="utf-8")
    expected = snapshot(config.output)
    build(config)
    assert snapshot(config.output) == expected
    for _ in range(200):  # the removal runs in the background: wait for it, up to 20 s
        if not trash.exists() or not any(trash.iterdir()):
            break
        time.sleep(0.1)
    assert not trash.exists() or sorted(p.name for p in trash.iterdir()) == []
