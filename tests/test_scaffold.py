"""`python build.py new guide|worksheet`: skeletons that build, and nothing overwritten."""

from __future__ import annotations

import pytest

from guidebook.build import build
from guidebook.cli import main
from guidebook.scaffold import slugify

from .conftest import make_config


def run(capsys, content, *args: str) -> tuple[int, str, str]:
    code = main(["new", "--content", str(content), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_new_guide_builds_without_problems(capsys, content_copy, tmp_path):
    code, out, err = run(capsys, content_copy, "guide", "Handling Conflict Together")
    assert code == 0, err
    folder = content_copy / "handling-conflict-together"
    for rel in ("guide.md", "reading.md", "1-first-step.md", "worksheets/first-worksheet.md"):
        assert (folder / rel).is_file()
        assert f"Created {folder / rel}" in out
    assert "# " in (folder / "guide.md").read_text(encoding="utf-8")  # YAML comments
    result = build(make_config(tmp_path, content_copy))
    assert result.warnings == []
    site = tmp_path / "site" / "handling-conflict-together"
    assert "Handling Conflict Together" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "first-step.html").is_file()
    sheet = (site / "worksheets" / "first-worksheet.html").read_text(encoding="utf-8")
    for prompt in ("What happened?", "How strongly do you feel it now?", "Your plan"):
        assert prompt in sheet
    guide = (site / "index.html").read_text(encoding="utf-8")
    assert "<cite>The title of a book or article you recommend</cite>" in guide


def test_a_long_title_is_cut_at_a_word_boundary_and_says_so(capsys, content_copy):
    title = "Handling criticism from your partner without getting defensive"
    code, out, err = run(capsys, content_copy, "guide", title)
    assert code == 0, err
    name = "handling-criticism-from-your-partner-without"
    assert (content_copy / name / "guide.md").is_file()
    assert (f'The title is long, so the folder name was shortened to "{name}" at a word '
            "boundary. Rename it if you like (nothing refers to it yet), or choose the name "
            "with --slug NAME.\n") in out
    code, out, err = run(capsys, content_copy, "guide", title, "--slug", "criticism")
    assert code == 0, err
    assert "shortened" not in out
    assert (content_copy / "criticism" / "reading.md").is_file()


def test_a_new_guide_never_overwrites(capsys, content_copy):
    assert run(capsys, content_copy, "guide", "Handling conflict")[0] == 0
    guide = content_copy / "handling-conflict" / "guide.md"
    guide.write_text("---\ntitle: Mine\nsummary: Edited.\n---\nMy words.\n", encoding="utf-8")
    code, out, err = run(capsys, content_copy, "guide", "Handling conflict")
    assert code == 1
    assert out == ""
    assert "Nothing was created" in err and "not overwriting" in err
    assert guide.read_text(encoding="utf-8").endswith("My words.\n")


@pytest.mark.parametrize("step", [None, "2"])
def test_a_new_worksheet_builds_for_a_step_or_the_whole_guide(capsys, content_copy, tmp_path,
                                                             step):
    args = ["worksheet", "managing-rejection", "Name the need"]
    if step:
        args += ["--step", step]
    code, out, err = run(capsys, content_copy, *args)
    assert code == 0, err
    path = content_copy / "managing-rejection" / "worksheets" / "name-the-need.md"
    assert f"Created {path}" in out
    text = path.read_text(encoding="utf-8")
    assert ("step: 2" in text) == bool(step)
    result = build(make_config(tmp_path, content_copy))
    assert result.warnings == []
    page = tmp_path / "site" / "managing-rejection" / "worksheets" / "name-the-need.html"
    assert "Name the need" in page.read_text(encoding="utf-8")
    code, _, err = run(capsys, content_copy, *args)
    assert code == 1 and "not overwriting" in err


def test_a_worksheet_for_a_guide_that_does_not_exist_lists_the_guides(capsys, content_copy):
    code, out, err = run(capsys, content_copy, "worksheet", "managing-rejectin", "Sheet")
    assert code == 1
    assert 'there is no guide "managing-rejectin"' in err
    assert 'Did you mean "managing-rejection"?' in err
    assert "The guides are: managing-rejection" in err
    assert not list(content_copy.glob("*/worksheets/sheet.md"))


def test_a_worksheet_for_a_step_that_does_not_exist_lists_the_steps(capsys, content_copy):
    code, _, err = run(capsys, content_copy, "worksheet", "managing-rejection", "Sheet",
                       "--step", "9")
    assert code == 1
    assert 'the guide "managing-rejection" has no step 9' in err
    assert "1 (1-rethink-the-rejection.md), 2 (2-decide-what-is-true-for-you.md)" in err


def test_a_title_in_another_script_is_named_in_latin_letters_and_says_so(
        capsys, content_copy, tmp_path):
    code, out, err = run(capsys, content_copy, "guide", "Как справиться")
    assert code == 0, err
    assert ('The folder name "kak-spravitsya" is the title written in Latin letters, as '
            "addresses are. Rename it if you like (nothing refers to it yet), or choose the "
            "name with --slug NAME.\n") in out
    guide = (content_copy / "kak-spravitsya" / "guide.md").read_text("utf-8")
    assert 'title: "Как справиться"' in guide
    code, out, err = run(capsys, content_copy, "worksheet", "kak-spravitsya", "Что я узнал",
                         "--step", "1")
    assert code == 0, err
    assert (content_copy / "kak-spravitsya" / "worksheets" / "chto-ya-uznal.md").is_file()
    assert 'The file name "chto-ya-uznal" is the title' in out
    code, _, err = run(capsys, content_copy, "guide", "Как справиться", "--slug", "coping")
    assert code == 0, err
    build(make_config(tmp_path, content_copy))
    assert (tmp_path / "site" / "kak-spravitsya" / "worksheets" / "chto-ya-uznal.html").is_file()


def test_a_title_of_signs_only_needs_a_slug(capsys, content_copy):
    code, _, err = run(capsys, content_copy, "guide", "🙂 ✨ !")
    assert code == 1
    assert err == ('Nothing was created: cannot make a file name from the title "🙂 ✨ !"; '
                   "give one with --slug, e.g. --slug handling-conflict.\n")
    assert "Created" not in capsys.readouterr().out


def test_slugify_makes_web_safe_names():
    assert slugify("Facts & Stories: Part 2!") == "facts-stories-part-2"
    assert slugify("Café au lait — déjà vu") == "cafe-au-lait-deja-vu"
    assert slugify("Über Kritik, Straße") == "uber-kritik-strasse"
    assert slugify("Ελληνικά και Łódź") == "ellinika-kai-lodz"
    assert slugify("拒绝与关系") == "ju-jue-yu-guan-xi"
    assert slugify("Шаг 2 🙂: отказ") == "shag-2-otkaz"
    assert slugify("   ") == ""
    assert slugify("one two three", limit=9) == "one-two"
    assert slugify("abcdefghijkl", limit=5) == "abcde"


def test_the_content_folder_may_be_given_after_the_kind(capsys, content_copy):
    code = main(["new", "worksheet", "managing-rejection", "Late option", "--content",
                 str(content_copy)])
    assert code == 0, capsys.readouterr().err
    assert (content_copy / "managing-rejection/worksheets/late-option.md").is_file()


def test_a_new_guides_language_line_is_there_to_uncomment(capsys, content_copy, tmp_path):
    code, _, err = run(capsys, content_copy, "guide", "Trouver sa voix")
    assert code == 0, err
    guide_md = content_copy / "trouver-sa-voix" / "guide.md"
    text = guide_md.read_text(encoding="utf-8")
    line = "# language: fr        # its language, when it is not the site's (site.yaml's language:)"
    assert line in text
    guide_md.write_text(text.replace(line, "language: fr"), encoding="utf-8")
    result = build(make_config(tmp_path, content_copy))
    assert result.warnings == []
    page = (tmp_path / "site" / "trouver-sa-voix" / "index.html").read_text(encoding="utf-8")
    assert page.startswith('<!doctype html>\n<html lang="fr">')


def test_a_slug_longer_than_a_name_may_be_is_refused(capsys, content_copy):
    """--slug of 119 characters made a guide whose build then failed (a name has at most
    100: the PDFs made from it add to it, and disks take 255)."""
    long = "-".join(["finding"] * 15)
    code, out, err = run(capsys, content_copy, "guide", "Finding", "--slug", long)
    assert (code, out) == (1, "")
    assert err == ("Nothing was created: the name is 119 characters long: a name has at most "
                   "100; give a shorter one with --slug, e.g. --slug "
                   "finding-finding-finding-finding-finding-finding.\n")
    assert not (content_copy / long).exists()
