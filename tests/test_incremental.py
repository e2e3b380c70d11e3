"""Rebuilding after a change writes exactly what a clean build in a fresh folder writes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from bench.generate import library, write_ours
from guidebook import build as build_module
from guidebook import markup, parallel
from guidebook.build import Config, build
from guidebook.cache import BuildCache, cache_dir
from guidebook.errors import ContentError

from .conftest import TEMPLATES, make_config


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(config: Config, where: Path) -> dict[str, bytes]:
    """Build the same content and templates into a fresh folder with no cache."""
    fresh = Config(config.content, config.templates, where / "site", config.strict)
    build(fresh)
    return snapshot(fresh.output)


@pytest.fixture
def project(tmp_path, content_copy) -> Config:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    config = Config(content_copy, templates, tmp_path / "out" / "site")
    build(config)
    return config


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_two_builds_are_byte_identical(tmp_path, project) -> None:
    first = snapshot(project.output)
    result = build(project)
    assert result.written == 0
    assert snapshot(project.output) == first
    assert clean_build(project, tmp_path / "b") == first


def test_after_editing_a_step(tmp_path, project) -> None:
    step = project.content / "managing-rejection/1-rethink-the-rejection.md"
    edit(step, "the hurt arrives fast", "the hurt arrives at once")
    result = build(project)
    assert 0 < result.written < result.files
    built = snapshot(project.output)
    assert b"arrives at once" in built["managing-rejection/rethink-the-rejection.html"]
    assert built == clean_build(project, tmp_path / "clean")


def test_after_editing_a_worksheet_title_shown_on_other_pages(tmp_path, project) -> None:
    sheet = next((project.content / "managing-rejection/worksheets").glob("*.md"))
    edit(sheet, "title: ", "title: Renamed ")
    build(project)
    assert snapshot(project.output) == clean_build(project, tmp_path / "clean")


def test_after_editing_a_template(tmp_path, project) -> None:
    edit(project.templates / "base.html", "</footer>", "</footer>\n<!-- edited -->")
    build(project)
    built = snapshot(project.output)
    assert b"<!-- edited -->" in built["managing-rejection/index.html"]
    assert built == clean_build(project, tmp_path / "clean")


def test_after_adding_an_override_template(tmp_path, project) -> None:
    overrides = project.content / "_templates"
    overrides.mkdir()
    text = (project.templates / "step.html").read_text(encoding="utf-8")
    (overrides / "step.html").write_text(text.replace("</article>", "<p>mine</p></article>", 1),
                                         encoding="utf-8")
    build(project)
    built = snapshot(project.output)
    assert b"<p>mine</p>" in built["managing-rejection/rethink-the-rejection.html"]
    assert built == clean_build(project, tmp_path / "clean")


def test_after_editing_the_settings(tmp_path, project) -> None:
    edit(project.content / "site.yaml", "title: ", "title: Renamed ")
    build(project)
    built = snapshot(project.output)
    assert b"Renamed" in built["managing-rejection/rethink-the-rejection.html"]
    assert built == clean_build(project, tmp_path / "clean")


def test_after_a_new_markdown_version(tmp_path, project, monkeypatch) -> None:
    # A new Python-Markdown (or a change to our extensions) changes the fingerprint and
    # the HTML it makes; nothing converted before may be reused.
    monkeypatch.setattr(markup, "FINGERPRINT", markup.FINGERPRINT + "; markdown 99")
    monkeypatch.setattr(markup, "ANCHOR_TEXT", "§")
    build(project)
    built = snapshot(project.output)
    assert ">§</a>" in built["managing-rejection/rethink-the-rejection.html"].decode()
    assert built == clean_build(project, tmp_path / "clean")


def test_after_deleting_and_adding_files(tmp_path, project) -> None:
    guide = project.content / "managing-rejection"
    (guide / "reading.md").unlink()
    edit(guide / "guide.md", "title: ", "title: Changed ")
    build(project)
    assert snapshot(project.output) == clean_build(project, tmp_path / "clean")


def test_an_edit_inside_a_symlinked_worksheets_folder_is_built(tmp_path, project) -> None:
    """A guide replayed from the cache is stamped through symlinked folders too: an edit in
    place does not change the linked folder's own stamp (issue 14, point 6)."""
    guide = project.content / "managing-rejection"
    elsewhere = tmp_path / "elsewhere"
    shutil.move(guide / "worksheets", elsewhere)
    (guide / "worksheets").symlink_to(elsewhere, target_is_directory=True)
    build(project)
    edit(elsewhere / "facts-and-stories.md", "title: Facts and stories", "title: Facts, linked")
    build(project)
    built = snapshot(project.output)
    assert b"Facts, linked" in built["managing-rejection/worksheets/facts-and-stories.html"]
    assert built == clean_build(project, tmp_path / "clean")


def test_a_page_changed_by_hand_in_the_site_is_restored(tmp_path, project) -> None:
    page = project.output / "managing-rejection/index.html"
    page.write_bytes(page.read_bytes().replace(b"<h1>", b"<h1>Hand-edited ", 1))
    build(project)
    assert snapshot(project.output) == clean_build(project, tmp_path / "clean")


class StartMethod:
    """Stand in for parallel.run: start the build's workers with one method, and record."""

    def __init__(self, method: str) -> None:
        self.context = multiprocessing.get_context(method)
        self.calls: list[str] = []
        self.run = parallel.run

    def __call__(self, context, workers, work, shared, tasks):  # noqa: ANN001
        self.calls.append(work.__name__)
        self.shared = shared
        yield from self.run(self.context, workers, work, shared, tasks)


# Simulating Windows (GUIDEBOOK_SIMULATE_WINDOWS=1) this process cannot fork.
START_METHODS = ["spawn", "fork"] if hasattr(os, "fork") else ["spawn"]


def test_parallel_and_serial_builds_give_the_same_bytes(tmp_path, monkeypatch) -> None:
    """Workers get their inputs explicitly: with spawn (Windows, macOS) and fork (Linux)
    they build the serial build's bytes, cold and after an edit."""
    content = write_ours(library(60, seed=5), tmp_path / "library")
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", 10)  # parallel work at 60 pages
    templates = tmp_path / "templates"  # a copy: the theme may change while the test runs
    shutil.copytree(TEMPLATES, templates)
    serial = Config(content, templates, tmp_path / "serial" / "site", cache=False)
    monkeypatch.setenv("GUIDEBOOK_JOBS", "1")
    build(serial)
    expected = snapshot(serial.output)
    monkeypatch.setenv("GUIDEBOOK_JOBS", "2")
    for method in START_METHODS:
        spy = StartMethod(method)
        monkeypatch.setattr(build_module.parallel, "run", spy)
        parallel_build = Config(content, templates, tmp_path / method / "site")
        build(parallel_build)  # cold: converts and renders in two worker processes
        assert spy.calls == ["convert_guides", "render_pages"], method
        # The parent held the guides without their bodies; the workers read them back.
        work = spy.shared
        assert all(not step.html and not step.text for guide in work.site.guides
                   for step in guide.steps), method
        assert sorted(work.records.stamps) == sorted(g.slug for g in work.site.guides)
        assert snapshot(parallel_build.output) == expected, method
    # A warm parallel build after an edit is the same as a serial one too.
    step = sorted((content / "guide-00002").glob("3-*.md"))[0]
    step.write_text(step.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", 1)
    build(parallel_build)
    assert spy.calls[2:] == ["render_pages"]
    monkeypatch.setenv("GUIDEBOOK_JOBS", "1")
    build(serial)
    assert snapshot(parallel_build.output) == snapshot(serial.output)


def test_a_guide_saved_during_the_build_is_one_clear_error(tmp_path, monkeypatch) -> None:
    """Workers render a guide from its record in the cache. A record another build replaced
    is not used: the guide is loaded again; if a file of it changed since this build
    loaded it (a save while it builds), the build stops with one message, and the old site
    stays."""
    content = write_ours(library(30, seed=3), tmp_path / "library")
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", 10)
    monkeypatch.setenv("GUIDEBOOK_JOBS", "2")
    config = Config(content, TEMPLATES, tmp_path / "site")
    build(config)
    before = snapshot(config.output)
    step = sorted((content / "guide-00002").glob("2-*.md"))[0]
    step.write_text(step.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    real = build_module.write_site
    saves = []  # what is saved while the build holds the loaded site

    def replace_record(config, site, loader, cache, progress):  # noqa: ANN001
        record = cache.guides["guide-00002"]
        cache.guides["guide-00002"] = ("another build's stamp", *record[1:])
        cache.guides.flush()
        for text in saves:
            step.write_text(step.read_text(encoding="utf-8") + text, encoding="utf-8")
        return real(config, site, loader, cache, progress)

    monkeypatch.setattr(build_module, "write_site", replace_record)
    saves.append("\nSaved again.\n")
    with pytest.raises(ContentError) as raised:
        build(config)
    assert [p.format("/") for p in raised.value.problems] == [
        f"{content.as_posix()}/guide-00002/: a file of this guide changed while the site was "
        "being built, so its pages would not be what was checked\n    hint: build again"]
    assert snapshot(config.output) == before
    # Replaced, but the guide is as this build loaded it: loaded again, and built.
    saves.clear()
    build(config)
    monkeypatch.setenv("GUIDEBOOK_JOBS", "1")
    assert snapshot(config.output) == clean_build(config, tmp_path / "clean")


def serial_library(tmp_path: Path, monkeypatch, seed: int) -> tuple[Path, Config]:  # noqa: ANN001
    """Write a 30-page library, built serially without a cache; later builds of it run on
    two worker processes (GUIDEBOOK_JOBS=2, parallel from 10 pages)."""
    content = write_ours(library(30, seed=seed), tmp_path / "library")
    monkeypatch.setattr(build_module, "PARALLEL_PAGES", 10)
    monkeypatch.setenv("GUIDEBOOK_JOBS", "1")
    serial = Config(content, TEMPLATES, tmp_path / "serial" / "site", cache=False)
    build(serial)
    monkeypatch.setenv("GUIDEBOOK_JOBS", "2")
    return content, serial


def test_a_cache_that_cannot_be_read_or_written_only_costs_time(tmp_path, monkeypatch) -> None:
    """A corrupt cache database (or one on a read-only or full disk) keeps no guide
    records: workers load their guides again and the site is the serial build's."""
    content, serial = serial_library(tmp_path, monkeypatch, seed=7)
    parallel_build = Config(content, TEMPLATES, tmp_path / "parallel" / "site")
    database = cache_dir(parallel_build.output) / "markdown.sqlite"
    database.parent.mkdir(parents=True)
    database.write_bytes(bytes(range(256)) * 20)  # not a database
    for _ in range(2):  # cold, then again with the same broken cache
        result = build(parallel_build)
        assert all(not step.html for guide in result.site.guides for step in guide.steps)
        assert snapshot(parallel_build.output) == snapshot(serial.output)


def test_search_parts_the_cache_could_not_keep_are_made_again(tmp_path, monkeypatch) -> None:
    """Workers write guides' parts of the search index and answer names to the cache; if
    it could not keep them (a full disk, a locked database), the parent makes them from the
    guides' full records: the same bytes as a serial build."""
    content, serial = serial_library(tmp_path, monkeypatch, seed=4)
    made_here: list[str] = []  # by this process: the workers' calls happen in theirs
    real = build_module.guide_part
    monkeypatch.setattr(build_module, "guide_part",
                        lambda guide, *rest: made_here.append(guide.slug) or real(guide, *rest))
    parallel_build = Config(content, TEMPLATES, tmp_path / "parallel" / "site")
    cache = BuildCache(parallel_build.output)
    # The workers (forked or spawned) write the parts; this process finds none of them.
    monkeypatch.setattr(cache.search_parts, "get", lambda key, default=None: default)
    result = build(parallel_build, cache=cache)
    assert sorted(made_here) == sorted(guide.slug for guide in result.site.guides)
    built = snapshot(parallel_build.output)
    assert built == snapshot(serial.output)
    assert made_here[-1].encode() in built["assets/search-index.js"]


def test_a_build_without_the_cache_is_the_same(tmp_path) -> None:
    cached = make_config(tmp_path / "a")
    build(cached)
    uncached = make_config(tmp_path / "b", cache=False)
    build(uncached)
    assert snapshot(cached.output) == snapshot(uncached.output)
    assert not (tmp_path / "b" / ".cache").exists()


def test_pages_made_from_every_guide_see_the_same_guides_on_small_and_large_sites(
        tmp_path, monkeypatch) -> None:
    """A coach's home.html sees each guide's titles, summaries and reading times, but not
    the texts of its own pages (README, "Make it yours"), whatever the site's size: a large
    build holds guides without them, and a small one must not show more."""
    content = write_ours(library(30, seed=6), tmp_path / "library")
    (content / "_templates").mkdir()
    (content / "_templates" / "home.html").write_text(
        "{% for g in guides %}[{{ g.title }}|{{ g.steps[0].title }}|{{ g.steps[0].words }}"
        "|{{ g.intro_html }}|{{ g.steps[0].html }}|{{ g.steps[0].headings | length }}"
        "|{{ g.worksheets[0].prompts | length }}|{{ g.reading }}]{% endfor %}",
        encoding="utf-8")
    homes = []
    for jobs, pages in (("1", 10_000), ("2", 10)):  # serial and whole; parallel and slim
        monkeypatch.setenv("GUIDEBOOK_JOBS", jobs)
        monkeypatch.setattr(build_module, "PARALLEL_PAGES", pages)
        config = Config(content, TEMPLATES, tmp_path / jobs / "site")
        build(config)
        homes.append((config.output / "index.html").read_text(encoding="utf-8"))
    assert homes[0] == homes[1]
    first = homes[0].split("]")[0]
    title, step, words, *bodies = first.lstrip("[").split("|")
    assert title and step and int(words) > 100
    assert bodies == ["", "", "0", "0", "None"]
