"""The build cache gives exactly what a fresh build gives: conversions, loads and pages."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import library, write_ours
from guidebook import markup
from guidebook.build import Config, build, check, make_loader, render_site
from guidebook.cache import BuildCache, ConversionStore, cache_dir
from guidebook.errors import ContentError
from guidebook.load import Loader
from guidebook.markup import Converter
from guidebook.model import Guide
from guidebook.offline import MANIFEST, WORKER
from guidebook.output import RECORD
from guidebook.render import page_jobs

from .conftest import CONTENT, TEMPLATES, make_config

BROKEN = Path(__file__).resolve().parent / "broken"


def bodies(content: Path) -> list[tuple[str, str]]:
    return [(p.relative_to(content).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(content.rglob("*.md"))]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A small generated library (bench/generate.py): 3 guides, 30 pages."""
    return write_ours(library(30, seed=3), tmp_path_factory.mktemp("generated"))


def test_skipping_inline_patterns_gives_the_same_html(generated: Path) -> None:
    quick, plain = Converter(quick=True), Converter(quick=False)
    assert type(quick.md.treeprocessors["smarty"]).__name__ == "QuickInlineProcessor"
    for content in (CONTENT, generated):
        for source, text in bodies(content):
            assert quick.convert(text, source) == plain.convert(text, source), source


PIECES = st.sampled_from([
    "word", "don't", "'quoted'", '"said"', "--", "---", "...", "*em*", "**strong**", "_u_",
    "`code`", "[link](other.md)", "[ref][1]", "![img](a.png)", "<b>", "&amp;", "&copy;",
    "\\*", "  \n", "\n\n", "\n- item", "\n1. item", "\n## Heading", "<https://a.org>",
    "[^1]", "\n[^1]: note", "'90s", "x'", "\"'", "'\"", "\n> quote", "{: .c}", " ", "\n",
    "HTML", "\n*[HTML]: Hyper", "<!-- c -->", "(", ")", "[", "]", "<", ">",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_skipping_inline_patterns_matches_markdown_on_any_text(text: str) -> None:
    quick, plain = QUICK_AND_PLAIN
    quick.cache.clear()
    plain.cache.clear()
    assert quick.convert(text, "g/1-a.md").html == plain.convert(text, "g/1-a.md").html


QUICK_AND_PLAIN = (Converter(quick=True), Converter(quick=False))


def test_a_conversion_is_keyed_by_the_markdown_fingerprint(monkeypatch) -> None:
    converter = Converter()
    before = converter.key("g/1-a.md", "text")
    monkeypatch.setattr(markup, "FINGERPRINT", markup.FINGERPRINT + " markdown 99")
    assert converter.key("g/1-a.md", "text") != before
    assert converter.key("g/1-b.md", "text") != converter.key("g/1-a.md", "text")


def loaded(loader: Loader) -> tuple:
    try:
        site, problems = loader.load()
    except ContentError as exc:  # pragma: no cover - load collects, it does not raise
        return ("raised", exc.problems)
    return site, [p.format() for p in problems.items]


def test_replaying_unchanged_guides_gives_what_a_fresh_load_gives() -> None:
    cases = [CONTENT] + sorted(p for p in BROKEN.iterdir() if (p / "expected.txt").is_file())
    for content in cases:
        loader = Loader(content)
        first = loaded(loader)
        if content == CONTENT:
            assert loader.folders, "the guide was not kept for replaying"
        assert loaded(loader) == first, content  # replayed
        assert loaded(Loader(content)) == first, content  # fresh


def test_a_persistent_cache_gives_what_a_fresh_load_gives(tmp_path) -> None:
    config = make_config(tmp_path)
    fresh = loaded(Loader(CONTENT))
    for _ in range(2):  # the second time, everything comes from sqlite
        cache = BuildCache(config.output)
        loader = make_loader(config, cache)
        assert loaded(loader) == fresh
        for store in (loader.converter.cache, loader.folders):
            assert isinstance(store, ConversionStore)
        cache.flush()
        cache.close()
    assert (cache_dir(config.output) / "markdown.sqlite").is_file()


def test_an_edited_file_is_loaded_again(content_copy) -> None:
    loader = Loader(content_copy)
    site, _ = loader.load()
    step = content_copy / "managing-rejection/1-rethink-the-rejection.md"
    step.write_text(step.read_text(encoding="utf-8").replace(
        "the hurt arrives fast", "the hurt arrives quickly"), encoding="utf-8")
    again, _ = loader.load()
    assert "arrives quickly" in again.guides[0].steps[0].html
    assert again == Loader(content_copy).load()[0]


def test_a_broken_cache_file_only_costs_time(tmp_path) -> None:
    config = make_config(tmp_path)
    build(config)
    database = cache_dir(config.output) / "markdown.sqlite"
    for path in database.parent.iterdir():
        if path.is_file():
            path.write_bytes(b"not a database")
    result = build(config)
    assert result.pages > 0
    fresh = make_config(tmp_path / "fresh")
    build(fresh)
    assert snapshot(config.output) == snapshot(fresh.output)


def snapshot(folder: Path) -> dict[str, bytes]:
    """The site's files, without the record of what the build wrote (not a rendered file)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != RECORD}


def test_serve_rendering_reuses_pages_and_matches_the_build(tmp_path, content_copy) -> None:
    config = make_config(tmp_path, content_copy)
    build(config)
    built = snapshot(config.output)
    cache = BuildCache(config.output, serve=True)  # one for the session, as serve has
    loader = make_loader(config, cache)
    site, loader, _ = check(config, loader)
    files = render_site(config, site, loader, cache)
    # Only the offline files are the build's own: serve never keeps the site offline.
    assert files == {rel: data for rel, data in built.items() if rel not in (WORKER, MANIFEST)}
    assert {WORKER, MANIFEST} <= built.keys()
    site, loader, _ = check(config, loader)
    same = render_site(config, site, loader, cache)
    assert all(same[rel] is files[rel] for rel in same if rel.endswith(".html"))  # reused
    step = content_copy / "managing-rejection/2-decide-what-is-true-for-you.md"
    step.write_text(step.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    site, loader, _ = check(config, loader)
    again = render_site(config, site, loader, cache)
    cache.close()
    fresh = Config(content_copy, config.templates, tmp_path / "fresh")
    fresh_site, fresh_loader, _ = check(fresh, Loader(content_copy))
    assert again == render_site(fresh, fresh_site, fresh_loader,
                                BuildCache(fresh.output, enabled=False))
    assert b"One more line." in again["managing-rejection/decide-what-is-true-for-you.html"]


def test_a_page_is_rendered_again_only_when_what_it_declares_it_depends_on_changes(
        tmp_path, generated) -> None:
    """A guide's pages depend on that guide's files, the home page on every guide."""
    content = tmp_path / "content"
    shutil.copytree(generated, content)
    config = make_config(tmp_path, content)
    cache = BuildCache(config.output, serve=True)
    loader = make_loader(config, cache)
    site, loader, _ = check(config, loader)
    before = render_site(config, site, loader, cache)
    edited = sorted((content / site.guides[1].slug).glob("2-*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    site, loader, _ = check(config, loader)
    after = render_site(config, site, loader, cache)
    cache.close()
    again = {rel for rel in after if rel.endswith(".html") and after[rel] is not before[rel]}
    guides = {guide.slug: {job.path for job in page_jobs(site) if job.guide == guide.slug}
              for guide in site.guides}
    # The safety page lists every guide's safety-note links: it depends on every guide.
    assert again == guides[site.guides[1].slug] | {"index.html", "404.html", "search.html",
                                                   "safety.html"}
    assert not again & (guides[site.guides[0].slug] | guides[site.guides[2].slug])


def test_a_page_context_holds_only_the_guide_its_job_names(generated) -> None:
    """Page keys trust page_jobs' declared guide: no other guide may reach a page."""
    site, _ = Loader(generated).load()
    assert len(site.guides) >= 3
    for job in page_jobs(site):
        reached = {value.slug for value in walk(job.context) if isinstance(value, Guide)}
        if job.guide is None:
            assert reached <= {guide.slug for guide in site.guides}
        else:
            assert reached == {job.guide}, job.path


def walk(value: object):
    """Yield a value and everything inside it: containers and dataclass fields."""
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from walk(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from walk(getattr(value, item.name))


def test_the_templates_message_ids_are_kept_until_a_template_changes(tmp_path,
                                                                      monkeypatch) -> None:
    """A build finds the strings the templates use (to check the catalogs) by parsing every
    template: the cache keeps them by the templates' bytes, so the next build does not parse
    them, and a string added to a template is checked at once."""
    import guidebook.build as build_module

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "site.yaml").write_text((content / "site.yaml").read_text(encoding="utf-8")
                                       .replace("language: en", "language: fr"),
                                       encoding="utf-8")
    parsed: list[int] = []
    real = build_module.template_entries
    monkeypatch.setattr(build_module, "template_entries",
                        lambda env: parsed.append(1) or real(env))
    config = make_config(tmp_path, content, templates=templates)
    assert build(config).warnings == [] and len(parsed) == 1
    assert build(config).warnings == [] and len(parsed) == 1  # kept: not parsed again
    home = templates / "home.html"
    home.write_text(home.read_text(encoding="utf-8").replace(
        "{% block content %}", '{% block content %}<p>{{ _("A string just added") }}</p>', 1),
        encoding="utf-8")
    warnings = build(config).warnings
    assert len(parsed) == 2
    assert [w.message for w in warnings] == [
        'the catalog for "fr" has no translation for 1 string, shown in English: '
        '"A string just added"']


def test_removing_the_cache_folder_is_safe(tmp_path) -> None:
    config = make_config(tmp_path)
    build(config)
    shutil.rmtree(cache_dir(config.output))
    result = build(config)
    assert result.written == 0  # compared by content: nothing to rewrite


SEGMENT = st.sampled_from(["a", "b", "index.html", "x.html", "worksheets", ".", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(SEGMENT, min_size=1, max_size=4).map("/".join),
       st.lists(SEGMENT, min_size=1, max_size=4).map("/".join))
def test_relative_paths_are_what_posixpath_gives(target: str, folder: str) -> None:
    import posixpath

    from guidebook.render import relative_path

    if not target:
        return
    assert relative_path(target, folder or ".") == posixpath.relpath(target, folder or ".")


def test_the_search_index_is_the_json_of_all_entries(generated: Path) -> None:
    import json

    from guidebook import render

    site, _ = Loader(generated).load()
    entries = [entry for guide in site.guides for entry in render.search_entries(guide)]
    expected = ("window.GUIDEBOOK_SEARCH=" + json.dumps(
        entries, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + ";\n"
        + "window.GUIDEBOOK_SEARCH_TEXT="
        + render.script_texts(site, None, render.SEARCH_TEXTS).decode() + ";\n").encode()
    assert b"".join(render.search_index(site)) == expected
    memo: dict = {}
    assert b"".join(render.search_index(site, memo)) == expected
    assert memo.keys() == {guide.slug for guide in site.guides}
    assert b"".join(render.search_index(site, memo)) == expected  # from the memo


PLAIN_PIECES = st.sampled_from([
    "word", "Word", "don't", "it's", "James's", "rock'n'roll", "'", "x'", "'x", " ", "  ",
    ",", ".", "..", "...", ";", ":", "?", "!", "(", ")", "1", "90", "s", "A", "I'm",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PLAIN_PIECES, min_size=1, max_size=30).map("".join))
def test_one_line_of_plain_prose_converts_as_markdown_does(text: str) -> None:
    quick, plain = QUICK_AND_PLAIN
    quick.cache.clear()
    plain.cache.clear()
    assert quick.convert(text, "g/1-a.md") == plain.convert(text, "g/1-a.md")
