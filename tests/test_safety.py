"""Staying safe online: the page, the links to it, Exit this page and help lines in site.yaml,
and what `check` says about them (the browser side is in test_answers_browser.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from guidebook.build import Config, build
from guidebook.cli import main
from guidebook.model import QUICK_EXIT_URL

from .conftest import CONTENT, TEMPLATES
from .test_answers_browser import write_site

HELP = """\
help:
  - name: National Domestic Abuse Helpline
    url: https://www.nationaldahelpline.org.uk/
    phone: 0808 2000 247
    note: Free, confidential, 24 hours a day.
  - name: Samaritans
    phone: "116 123"
"""


def build_real(tmp_path: Path, extra: str = "") -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write(extra)
    build(Config(content=content, templates=TEMPLATES, output=tmp_path / "site"))
    return tmp_path / "site"


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_page_has_exit_first_and_the_safety_link_in_its_footer(tmp_path):
    site = build_real(tmp_path)
    pages = sorted(site.rglob("*.html"))
    assert "safety.html" in [p.name for p in pages]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        body = html[html.index("<body"):]
        # The skip link, then Exit this page, before anything else that takes focus.
        first = re.findall(r"<(?:a|button|input|select|textarea)\b[^>]*>", body)[:2]
        assert first[0].startswith('<a class="skip-link"'), rel
        assert first[1] == f'<a class="exit-page" href="{QUICK_EXIT_URL}" data-exit>', rel
        footer = html[html.index('<footer class="site-footer">'):]
        safety = "../" * rel.count("/") + "safety.html"
        assert f'<a href="{safety}">Staying safe online</a>' in footer, rel


def test_every_safety_note_links_to_the_safety_page(tmp_path):
    site = build_real(tmp_path)
    for rel in ("managing-rejection/index.html", "managing-rejection/rethink-the-rejection.html"):
        html = (site / rel).read_text(encoding="utf-8")
        note = html[html.index('<aside class="safety-note'):html.index("</aside>")]
        assert '<a href="../safety.html">Staying safe online</a>' in note, rel


def test_the_safety_page_says_what_is_kept_and_lists_the_help_lines(tmp_path):
    site = build_real(tmp_path, HELP)
    page = text((site / "safety.html").read_text(encoding="utf-8"))
    for said in (
        "Staying safe online",
        "Your answers to the worksheets , saved as you type in this browser’s storage for this "
        "site. They are never sent anywhere",
        "Your browser’s history is separate",
        "use a private window",
        "Don’t save my answers on this device",
        "Lock my answers with a passphrase",
        "Erase all my answers",
        "National Domestic Abuse Helpline : 0808 2000 247 . Free, confidential, 24 hours a day.",
        "Samaritans : 116 123",
        # The guide's own safety-note link appears too.
        "From “Managing Rejection in Your Relationship”: One Love Foundation",
    ):
        assert said in page, said
    html = (site / "safety.html").read_text(encoding="utf-8")
    assert '<a href="tel:08082000247">0808 2000 247</a>' in html
    assert '<a href="https://www.joinonelove.org/" rel="noopener">One Love Foundation</a>' in html
    # It promises nothing the site cannot do.
    assert "hidden" not in page.lower() and "no one will know" not in page.lower()


def test_a_help_lines_note_is_joined_by_the_catalogs_words(tmp_path):
    """The theme joins no words itself: a help line and its note are one message, which a
    language (or the coach, in site.yaml) punctuates its own way."""
    site = build_real(tmp_path, HELP + 'messages:\n  "%(help_line)s. %(note)s": '
                                       '"%(help_line)s (%(note)s)"\n')
    page = text((site / "safety.html").read_text(encoding="utf-8"))
    assert ("National Domestic Abuse Helpline : 0808 2000 247 (Free, confidential, 24 hours "
            "a day.)") in page
    assert "Samaritans : 116 123" in page and "116 123 (" not in page


def test_a_site_without_help_lines_has_no_help_section(tmp_path):
    content = write_site(tmp_path, "Plain")
    build(Config(content=content, templates=TEMPLATES, output=tmp_path / "site"))
    page = text((tmp_path / "site" / "safety.html").read_text(encoding="utf-8"))
    assert "Where to find help" not in page and "What this site keeps on this device" in page


def test_quick_exit_takes_an_address_and_words_or_false(tmp_path):
    site = build_real(tmp_path / "a", "quick_exit:\n  url: https://news.example/\n"
                                      "  label: Leave now\n")
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<a class="exit-page" href="https://news.example/" data-exit>Leave now</a>' in html
    assert "“Leave now”, at the top of every page" in (site / "safety.html").read_text()
    site = build_real(tmp_path / "b", "quick_exit: false\n")
    for page in site.rglob("*.html"):
        assert "data-exit" not in page.read_text(encoding="utf-8"), page
    assert "Leaving quickly" not in (site / "safety.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("setting", "expected"), [
    ("quick_exit: maybe\n",
     'content/site.yaml:3:13: "quick_exit" should be true, false or a group of fields (url, '
     'label), found "maybe"\n'
     "    3 | quick_exit: maybe\n"
     "                    ^\n"
     "    hint: write quick_exit: false  to turn it off, or give its fields on their own lines:\n"
     "          quick_exit:\n"
     "            url: ...\n"),
    ("quick_exit:\n  url: weather.example\n",
     'content/site.yaml:4:8: "url" is not a web address: "weather.example" in "quick_exit"\n'
     "    4 |   url: weather.example\n"
     "               ^\n"
     "    hint: write the full address starting with https:// (or leave the field out when the "
     "address is unknown)\n"),
    ("help:\n  - phone: 0808 2000 247\n",
     'content/site.yaml:4:3: the required field "name" is missing in help line 1 of "help"\n'
     "    4 |   - phone: 0808 2000 247\n"
     "          ^\n"
     "    hint: add a line such as:  name: ...  (who helps, e.g. National Domestic Abuse "
     "Helpline)\n"),
])
def test_check_explains_a_wrong_setting(tmp_path, monkeypatch, capsys, setting, expected):
    content = write_site(tmp_path, "Checked")
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("language: en\n" + setting)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert err == expected + "1 error.\n"


def test_a_help_line_links_only_a_phone_that_is_a_number(tmp_path):
    """A help line's phone is linked as tel: with its digits; one that is more than a number
    ("Text SHOUT to 85258") is shown as text, as its link would dial "tel:TextSHOUTto85258";
    an international number's (0) is not dialled."""
    site = build_real(tmp_path, """\
help:
  - name: Shout
    phone: Text SHOUT to 85258
  - name: Hotline
    phone: 1-800-799-SAFE (7233)
  - name: Office
    phone: +44 (0)20 7946-0000
  - name: Samaritans
    phone: "116 123"
""")
    html = (site / "safety.html").read_text(encoding="utf-8")
    help_lines = html[html.index('<ul class="help-lines">'):]
    lines = re.findall(r"<li><strong>(.*?)</li>", help_lines[:help_lines.index("</ul>")])
    assert lines == [
        "Shout</strong>: Text SHOUT to 85258",
        "Hotline</strong>: 1-800-799-SAFE (7233)",
        'Office</strong>: <a href="tel:+442079460000">+44 (0)20 7946-0000</a>',
        'Samaritans</strong>: <a href="tel:116123">116 123</a>']
