"""Worksheets in a real browser: answers saved, cleared, exported and imported; printing."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import GUIDE
from .tools import require_command

pytestmark = pytest.mark.browser

SHEETS = ("facts-and-stories", "what-is-true-for-me", "learning-from-it")
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}
# What the reader types into the every-kind worksheet: selector -> value (True = ticked).
TYPED = {
    "#f-a-few-lines": "First line\nsecond line",
    "#f-one-word": "Tuesday",
    "#f-pick-sadness": True,
    "#f-pick-other": True,
    "#f-pick-other-text": "Tired",
    "#f-rate-4": True,
    "#f-grid-r1-c1": "He looked away",
    "#f-grid-r2-c2": "Maybe he was busy",
}


@pytest.fixture(scope="module")
def site(every_kind_site) -> Path:
    """The real guide plus the every-kind worksheet (conftest builds it once a session)."""
    return every_kind_site


@pytest.fixture(scope="module")
def http_url(every_kind_url) -> str:
    return every_kind_url


@pytest.fixture
def context(browser):
    """A fresh browser profile in which window.print() only records that it was asked for."""
    context = browser.new_context()
    context.add_init_script("window.print = function () { window.printed = true; };")
    yield context
    context.close()


def sheet_url(base: str, name: str) -> str:
    return f"{base}/{GUIDE}/worksheets/{name}.html"


def packet_url(base: str) -> str:
    return f"{base}/{GUIDE}/worksheets/index.html"


def fill_every_kind(page, prefix: str = "") -> None:
    """Type into every kind of field, the way a reader would."""
    for selector, value in TYPED.items():
        target = page.locator(selector.replace("#f-", f"#{prefix}f-"))
        if value is True:
            target.check()
        else:
            target.fill(value)


def expect_every_kind(page, prefix: str = "", filled: bool = True) -> None:
    for selector, value in TYPED.items():
        target = page.locator(selector.replace("#f-", f"#{prefix}f-"))
        if value is True:
            assert target.is_checked() is filled, selector
        else:
            assert target.input_value() == (value if filled else ""), selector


def wait_saved(page) -> None:
    expect_status(page, r"^Saved in this browser at ")


def expect_status(page, pattern: str) -> None:
    tools = page.get_by_role("region", name="Save and print")
    expect(tools.get_by_role("status")).to_have_text(re.compile(pattern))


def print_pdf(page, path: Path, paper: str = "a4", mode: str = "blank", **options) -> PdfReader:
    """Choose the paper and the print button as a reader would, then print to a PDF."""
    page.select_option("[data-paper]", paper)
    page.click(f"[data-print={mode}]")
    assert page.evaluate("window.printed") is True
    page.pdf(path=str(path), prefer_css_page_size=True, **options)
    return PdfReader(path)


def pdf_text(reader: PdfReader) -> list[str]:
    """Return each page's text, with ligatures such as "ﬁ" spelt out."""
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]


def page_size(reader: PdfReader) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages}


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_answers_come_back_after_reload(context, site, http_url, scheme):
    base = site.as_uri() if scheme == "file" else http_url
    page = context.new_page()
    page.goto(sheet_url(base, "every-kind"))
    assert page.locator("[data-worksheet-tools]").is_visible()
    fill_every_kind(page)
    wait_saved(page)
    page.reload()
    expect_every_kind(page)
    assert page.locator("[data-status]").text_content() == "Your saved answers are filled in."
    # The printed footer says where the worksheet lives (over http: its full address).
    address = page.text_content("[data-print-address]")
    if scheme == "http":
        assert address == sheet_url(base, "every-kind")
    else:
        assert address == f"Guidebook · {GUIDE}/worksheets/every-kind.html"


def test_clear_asks_first_then_empties_every_field(context, site):
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), "every-kind"))
    fill_every_kind(page)
    wait_saved(page)
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss() if len(messages) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.click("[data-clear]")
    expect_every_kind(page)
    page.click("[data-clear]")
    assert messages == ["Clear all your answers on this page? This cannot be undone."] * 2
    expect_every_kind(page, filled=False)
    assert page.locator("[data-status]").text_content() == "Your answers were cleared."
    page.reload()
    expect_every_kind(page, filled=False)


def test_export_then_import_restores_the_answers(context, site, tmp_path):
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), "every-kind"))
    fill_every_kind(page)
    wait_saved(page)
    with page.expect_download() as download_info:
        page.click("[data-export]")
    download = download_info.value
    assert re.fullmatch(r"every-kind-answers-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    answers = data["worksheets"][f"guidebook:{GUIDE}/every-kind"]["answers"]
    assert answers["one-word"] == "Tuesday" and answers["rate"] == "4"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-clear]")
    expect_every_kind(page, filled=False)
    page.set_input_files("[data-import]", str(saved))
    expect_status(page, r"^Your answers from every-kind-answers-.* are filled in\.$")
    expect_every_kind(page)
    page.reload()
    expect_every_kind(page)

    # A file that is not an answers file changes nothing and says so.
    other = tmp_path / "notes.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    page.set_input_files("[data-import]", str(other))
    expect_status(page, r"^That file has no answers for this page, so nothing changed\.$")
    expect_every_kind(page)


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("name", SHEETS + ("every-kind",))
def test_each_worksheet_prints_blank_on_one_page(context, site, tmp_path, name, paper):
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), name))
    reader = print_pdf(page, tmp_path / f"{name}-{paper}.pdf", paper)
    assert page_size(reader) == {PAPER_POINTS[paper]}
    text = pdf_text(reader)[0]
    title = page.text_content("h1")
    assert title in text and "Name" in text and "Date" in text
    assert "Print blank" not in text and "Search" not in text  # no site tools on paper
    # Every page's count goes in the report: aim for 1, allow 2.
    print(f"{name} blank on {paper}: {len(reader.pages)} page(s)")
    assert len(reader.pages) <= 2
    if name in SHEETS:
        assert len(reader.pages) == 1


def test_a_long_answer_prints_in_full_and_blank_hides_it(context, site, tmp_path):
    words = [f"word{n}" for n in range(1, 401)]
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), "what-is-true-for-me"))
    page.fill("#f-what-i-want", " ".join(words))
    page.fill("#f-habit", "Listening\nbefore fixing")
    wait_saved(page)

    reader = print_pdf(page, tmp_path / "filled.pdf", mode="filled")
    printed = set(" ".join(pdf_text(reader)).split())
    assert [w for w in words if w not in printed] == []
    assert {"Listening", "before", "fixing"} <= printed
    print(f"what-is-true-for-me with a 400-word answer: {len(reader.pages)} page(s)")

    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    reader = print_pdf(page, tmp_path / "blank.pdf", mode="blank")
    printed = " ".join(pdf_text(reader))
    assert "word1" not in printed and "Listening" not in printed
    assert len(reader.pages) == 1


def test_filled_print_shows_ticks_scale_and_table(context, site, tmp_path):
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), "every-kind"))
    fill_every_kind(page)
    text = pdf_text(print_pdf(page, tmp_path / "every.pdf", mode="filled"))[0]
    for value in ("Tuesday", "Tired", "He looked away", "Maybe he was busy", "second line"):
        assert value in text
    page.emulate_media(media="print")
    ticks = page.evaluate("""[...document.querySelectorAll('.checklist label')]
        .map(l => getComputedStyle(l, '::before').content)""")
    assert ticks == ['"✓"', '""', '"✓"']


def test_the_packet_prints_a_cover_then_one_worksheet_per_page(context, site, tmp_path):
    page = context.new_page()
    page.goto(packet_url(site.as_uri()))
    assert page.locator("main textarea, main input:not([type=search])").count() == 0
    titles = page.locator(".sheet .print-header-title").all_text_contents()
    assert len(titles) == len(SHEETS) + 1
    # The cover links each worksheet's own page, where it is filled in.
    online = page.locator(".packet-contents").get_by_role("link", name="fill it in online")
    hrefs = online.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"{name}.html" for name in SHEETS + ("every-kind",))
    for paper in ("a4", "letter"):
        reader = print_pdf(page, tmp_path / f"packet-{paper}.pdf", paper)
        print(f"packet on {paper}: {len(reader.pages)} page(s)")
        assert page_size(reader) == {PAPER_POINTS[paper]}
        assert len(reader.pages) == 1 + len(titles)
        pages = pdf_text(reader)
        assert "In this packet" in pages[0] and "Name" in pages[0]
        assert "fill it in online" not in " ".join(pages)
        for number, title in enumerate(titles, start=1):
            text = pages[number]
            assert title in text, (paper, number, title)
            assert [t for t in titles if t != title and t in text] == [], (paper, number)


def test_the_packet_prints_the_answers_saved_on_the_worksheet_pages(context, site, tmp_path):
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), "every-kind"))
    fill_every_kind(page)
    wait_saved(page)
    page.goto(packet_url(site.as_uri()))
    typed = [v for v in TYPED.values() if v is not True]

    pages = pdf_text(print_pdf(page, tmp_path / "with.pdf", mode="filled"))
    sheet = next(text for text in pages[1:] if "Every kind of field" in text)  # not the cover
    for value in typed:
        assert all(line in sheet for line in value.split("\n")), value
    page.emulate_media(media="print")
    ticks = page.evaluate("""[...document.querySelectorAll('#every-kind .checklist li')]
        .map(li => getComputedStyle(li, '::before').content)""")
    assert ticks == ['"✓"', '""', '"✓"']
    assert page.locator("#every-kind .scale-points .on").all_text_contents() == ["4"]
    rings = page.locator("#every-kind .scale-points li").evaluate_all(
        "points => points.map(li => getComputedStyle(li).outlineStyle)")
    assert rings == ["none"] * 4 + ["solid", "none"]

    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    printed = " ".join(pdf_text(print_pdf(page, tmp_path / "blank.pdf", mode="blank")))
    assert [v for v in typed if v.split("\n")[0] in printed] == []
    page.click("[data-print=blank]")  # page.pdf() ends with "afterprint": blank again
    page.emulate_media(media="print")
    ticks = page.evaluate("""[...document.querySelectorAll('#every-kind .checklist li')]
        .map(li => getComputedStyle(li, '::before').content)""")
    assert ticks == ['""'] * 3


@pytest.mark.parametrize("step, expected", [
    ("rethink-the-rejection", ["Facts and stories"]),
    ("decide-what-is-true-for-you", ["What is true for me", "Every kind of field"]),
])
def test_a_step_page_prints_only_that_steps_worksheets(context, site, tmp_path, step, expected):
    page = context.new_page()
    page.goto(f"{site.as_uri()}/{GUIDE}/{step}.html")
    page.click("text=Print this step’s worksheets")
    assert re.search(r"worksheets/index\.html#step-\d$", page.url)
    expect(page.locator(".packet-step:target .packet-step-note")).to_be_visible()
    pages = pdf_text(print_pdf(page, tmp_path / "step.pdf"))
    assert sorted(t for t in expected for text in pages if t in text) == sorted(expected)
    assert len(pages) == len(expected) and "In this packet" not in " ".join(pages)


def dark_area(png_gray: bytes) -> tuple[float, float]:
    """Return a page's mean brightness and the darkest 1 cm square's mean, from a PGM."""
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", png_gray)
    width, height = int(header.group(1)), int(header.group(2))
    pixels = png_gray[header.end():]
    mean = sum(pixels) / len(pixels)
    block, darkest = 20, 255.0  # 20 px at 50 dpi is 1 cm
    for top in range(0, height - block, block):
        for left in range(0, width - block, block):
            total = sum(sum(pixels[(top + y) * width + left:(top + y) * width + left + block])
                        for y in range(block))
            darkest = min(darkest, total / block / block)
    return mean, darkest


# The packet's second page is "Facts and stories" (a table with shaded headings on screen).
@pytest.mark.parametrize("name, number", [("facts-and-stories", 1), ("index", 2)])
def test_printing_in_the_dark_theme_gives_white_paper(browser, site, tmp_path, name, number):
    pdftoppm = require_command("pdftoppm", "poppler-utils")
    context = browser.new_context(color_scheme="dark")
    context.add_init_script("localStorage.setItem('guidebook:theme', 'dark');"
                            "window.print = function () { window.printed = true; };")
    try:
        page = context.new_page()
        page.goto(sheet_url(site.as_uri(), name))
        assert page.get_attribute("html", "data-theme") == "dark"
        screen = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert screen != "rgb(255, 255, 255)"  # the screen really is dark
        pdf = tmp_path / "dark.pdf"
        # With "background graphics" on, as a reader may have it.
        print_pdf(page, pdf, print_background=True)
        out = subprocess.run([pdftoppm, "-r", "50", "-gray", "-f", str(number), "-l", str(number),
                              str(pdf)],
                             check=True, capture_output=True).stdout
        mean, darkest = dark_area(out)
        assert mean > 200, mean
        assert darkest > 100, darkest
    finally:
        context.close()


def test_without_javascript_the_page_is_a_blank_printable_worksheet(browser, site, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sheet_url(site.as_uri(), "facts-and-stories"))
        assert not page.locator("[data-worksheet-tools]").is_visible()
        assert page.locator("textarea").count() > 0
        page.pdf(path=str(tmp_path / "nojs.pdf"), prefer_css_page_size=True, format="A4")
        reader = PdfReader(tmp_path / "nojs.pdf")
        assert len(reader.pages) == 1
        assert "Facts and stories" in pdf_text(reader)[0]
        # The packet, too, prints blank: a cover and one page per worksheet.
        page.goto(packet_url(site.as_uri()))
        assert not page.locator("[data-worksheet-tools]").is_visible()
        page.pdf(path=str(tmp_path / "nojs-packet.pdf"), prefer_css_page_size=True, format="A4")
        assert len(PdfReader(tmp_path / "nojs-packet.pdf").pages) == 1 + len(SHEETS) + 1
    finally:
        context.close()
