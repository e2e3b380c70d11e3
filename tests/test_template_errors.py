"""A coach's template override that fails while a page is made: reported like a syntax
error (file, line, the line, what went wrong in words, a hint), never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidebook.cli import main

from .conftest import ROOT

BROKEN = ROOT / "tests" / "broken"
CASES = [
    ('{{ step.number + " of many" }}', "this line tries to add a number and a text with +, "
     "which cannot be done (TypeError: unsupported operand type(s) for +: 'int' and 'str')",
     'to put a number into a text, join them with ~ instead of +, e.g. '
     '{{ step.number ~ " of many" }}'),
    ('{{ "Step " + step.number }}', "this line tries to add a text and a number with +, which "
     'cannot be done (TypeError: can only concatenate str (not "int") to str)',
     'to put a number into a text, join them with ~ instead of +, e.g. '
     '{{ step.number ~ " of many" }}'),
    ("{{ step.words // (step.number - step.number) }}", "this line divides by zero "
     "(ZeroDivisionError: integer division or modulo by zero)",
     "check the number you divide by first, e.g. {% if total %}...{% endif %}"),
    ("{{ step.title() }}", "this line calls a text as if it were a function "
     "(TypeError: 'str' object is not callable)",
     "remove the ( ) after the value, or check the name of the function"),
    ("{% for x in step.number %}{{ x }}{% endfor %}", "this line loops over a number, which is "
     "not a list (TypeError: 'int' object is not iterable)",
     "loop over a list (e.g. guide.steps), or remove the {% for %}"),
]


@pytest.mark.parametrize(("expression", "words", "hint"), CASES)
def test_a_failing_expression_is_named_with_its_line_and_a_hint(
        expression: str, words: str, hint: str, tmp_path: Path, capsys, monkeypatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(BROKEN / "template-runtime-error", content)
    (content / "expected.txt").unlink()
    (content / "_templates" / "step.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n  <p>' + expression
        + "</p>\n{% endblock %}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["build"]):
        code = main([*command, "--content", "content", "--templates", str(ROOT / "templates"),
                     "--output", "site"])
        err = capsys.readouterr().err
        assert code == 1
        assert err.startswith(f"content/_templates/step.html:3:3: template error: {words}\n"
                              f"    3 |   <p>{expression}</p>\n"
                              f"          ^\n"
                              f"    hint: {hint}\n1 error.\n")
        assert "Traceback" not in err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("body", "tag", "noticed"), [
    ('{% block content %}\n  {% if step.summary %}<p>{{ step.summary }}</p>\n'
     '{% endblock %}\n', "if", 4),
    ('{% block content %}\n  {% for s in guide.steps %}<p>{{ s.title }}</p>\n'
     '  {% if guide.steps %}<p>x</p>{% endif %}\n{% endblock %}\n', "for", 5),
])
def test_an_unclosed_block_is_named_where_it_opens(body: str, tag: str, noticed: int,
                                                    tmp_path: Path, capsys,
                                                    monkeypatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(BROKEN / "template-runtime-error", content)
    (content / "expected.txt").unlink()
    (content / "_templates" / "step.html").write_text('{% extends "base.html" %}\n' + body,
                                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--content", "content", "--templates", str(ROOT / "templates")])
    err = capsys.readouterr().err
    assert code == 1
    opening = body.splitlines()[1]
    assert err == (f"content/_templates/step.html:3:3: template error: this {{% {tag} %}} is "
                   f"never closed\n    3 | {opening}\n          ^\n    hint: add {{% end{tag} %}} "
                   f"where its part ends (Jinja noticed it missing at line {noticed})\n1 error.\n")
