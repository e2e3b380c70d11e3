"""Worksheets in a real browser: answers saved, cleared, exported and imported; printing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from guidebook.build import build

from .conftest import ALL_KINDS, CONTENT, GUIDE, make_config
from .tools import require_command

pytestmark = pytest.mark.browser

SHEETS = ("facts-and-stories", "what-is-true-for-me", "learning-from-it")
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}
# What the reader types into the every-kind worksheet: the field (by its name, and a radio
# button's value) -> value (True = ticked).
TYPED = {
    '[name="a-few-lines"]': "First line\nsecond line",
    '[name="one-word"]': "Tuesday",
    '[name="pick-sadness"]': True,
    '[name="pick-other"]': True,
    '[name="pick-other-text"]': "Tired",
    '[name="rate"][value="4"]': True,
    '[name="grid-r1-c1"]': "He looked away",
    '[name="grid-r2-c2"]': "Maybe he was busy",
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


def fill_every_kind(page) -> None:
    """Type into every kind of field, the way a reader would."""
    for selector, value in TYPED.items():
        target = page.locator(selector)
        if value is True:
            target.check()
        else:
            target.fill(value)


def expect_every_kind(page, filled: bool = True) -> None:
    for selector, value in TYPED.items():
        target = page.locator(selector)
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
        # From disk: the site's name, never the file's path on the reader's disk.
        assert address == "Guidebook: Guides and worksheets for the people you coach"


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
    assert re.fullmatch(r"my-answers-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    answers = data["worksheets"][f"guidebook:{GUIDE}/every-kind"]["answers"]
    assert answers["one-word"] == "Tuesday" and answers["rate"] == "4"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-clear]")
    expect_every_kind(page, filled=False)
    # Import is on the guide's My answers page, linked after the worksheet.
    page.get_by_role("link", name="My answers", exact=True).click()
    page.set_input_files("[data-import]", str(saved))
    expect(page.locator("[data-status]")).to_have_text(re.compile(
        r"^Answers taken from my-answers-.*\.json, by worksheet: Every kind of field \(5\)\.$"))
    page.goto(sheet_url(site.as_uri(), "every-kind"))
    expect_every_kind(page)

    # A file that is not an answers file changes nothing and says so.
    page.get_by_role("link", name="My answers", exact=True).click()
    other = tmp_path / "notes.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    page.set_input_files("[data-import]", str(other))
    expect(page.locator("[data-status]")).to_have_text(
        "notes.json is not a Guidebook answers file, so nothing changed.")
    page.goto(sheet_url(site.as_uri(), "every-kind"))
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


# localStorage as readers of the site built by commit 2d823b1 left it after filling in every
# field of every worksheet of the every-kind site (tests/answers-saved-by-2d823b1.json). That
# build named a field in worksheet.js, from the control's id; the names now come from the
# model (model.Answer), so this is what says readers' saved answers survive the change.
SAVED_BEFORE = Path(__file__).with_name("answers-saved-by-2d823b1.json")
# What a page's fields hold, as answers.js stores it: {name: text, true, or a scale point}.
FIELDS_ON_PAGE = """() => Object.fromEntries([...document.querySelector('form[data-answers]')
    .elements].filter(e => e.name && (e.type == 'checkbox' || e.type == 'radio' ? e.checked
    : e.value.trim())).map(e => [e.name, e.type == 'checkbox' ? true : e.value]))"""
# What the packet shows of each sheet's answers, by [data-a] name, in the same shape.
PRINTED_IN_PACKET = """() => Object.fromEntries([...document.querySelectorAll('.sheet')]
    .map(s => [s.id, Object.fromEntries([...s.querySelectorAll('[data-a]')].flatMap(e => {
      const on = e.tagName == 'UL' ? e.querySelector('.on') : null;
      if (on) return [[e.dataset.a, on.textContent]];
      if (e.tagName != 'UL' && e.classList.contains('on')) return [[e.dataset.a, true]];
      const x = e.tagName == 'TD' ? e.firstElementChild : e.previousElementSibling;
      return x && x.matches('.print-answer') ? [[e.dataset.a, x.textContent]] : [];
    }))]))"""


def test_answers_saved_by_the_previous_build_fill_every_field_and_print(context, site,
                                                                        http_url):
    stored = json.loads(SAVED_BEFORE.read_text(encoding="utf-8"))
    saved = {key.rsplit("/", 1)[1]: json.loads(record)["answers"]
             for key, record in stored.items()}
    assert sorted(saved) == ["every-kind", "facts-and-stories", "learning-from-it",
                             "what-is-true-for-me"]
    page = context.new_page()
    page.goto(f"{http_url}/index.html")
    page.evaluate("(s) => { for (const [k, v] of Object.entries(s)) localStorage.setItem(k, v); }",
                  stored)
    for name, answers in saved.items():
        page.goto(sheet_url(http_url, name))
        expect_status(page, r"^Your saved answers are filled in\.$")
        assert page.evaluate(FIELDS_ON_PAGE) == answers, name
    page.goto(packet_url(http_url))
    page.wait_for_function("() => document.querySelectorAll('.print-answer').length > 0")
    printed = page.evaluate(PRINTED_IN_PACKET)
    assert printed == saved


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


# --- Handouts carry nothing of the reader's; a way back online. ---

MM = 72 / 25.4


def text_positions(reader: PdfReader) -> list[list[tuple[float, float, str]]]:
    """Return, per page, (x, y) in points from the bottom left of each piece of text."""
    pages = []
    for page in reader.pages:
        found: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("what", ["worksheet", "long answer", "packet"])
def test_printed_from_disk_the_browser_adds_no_header_or_footer(context, site, tmp_path,
                                                                paper, what):
    """Chromium's own header and footer (date, title, file:// path, page number) need page
    margins: the pages have none, and the text keeps 12 x 14 mm margins on every page."""
    page = context.new_page()
    if what == "packet":
        page.goto(packet_url(site.as_uri()))
    else:
        page.goto(sheet_url(site.as_uri(), "what-is-true-for-me"))
        if what == "long answer":  # several pages
            page.fill("#f-what-i-want", " ".join(f"word{n}" for n in range(1, 1500)))
            wait_saved(page)
    reader = print_pdf(page, tmp_path / "out.pdf", paper,
                       mode="filled" if what == "long answer" else "blank",
                       display_header_footer=True)
    pages = pdf_text(reader)
    assert len(pages) > (1 if what != "worksheet" else 0)
    title = page.title()
    for number, text in enumerate(pages):
        assert "file:" not in text and str(site) not in text, (number, text[-200:])
        assert title not in text and not re.search(r"\b\d+/\d+/\d+\b", text), number
        assert not re.search(rf"\b{number + 1}/{len(pages)}\b", text), number
    width, height = PAPER_POINTS[paper]
    for number, found in enumerate(text_positions(reader)):
        xs, ys = [x for x, _, _ in found], [y for _, y, _ in found]
        assert min(xs) >= 14 * MM - 1 and max(xs) < width - 14 * MM, number
        assert min(ys) >= 12 * MM - 1 and max(ys) <= height - 12 * MM, (number, max(ys))


def test_a_details_block_prints_open(context, tmp_path, content_copy):
    step = content_copy / GUIDE / "1-rethink-the-rejection.md"
    step.write_text(step.read_text(encoding="utf-8") + "\n<details><summary>Why it helps"
                    "</summary><p>Camera facts calm the story down.</p></details>\n",
                    encoding="utf-8")
    build(make_config(tmp_path, content_copy))
    page = context.new_page()
    page.goto((tmp_path / "site" / GUIDE / "rethink-the-rejection.html").as_uri())
    assert not page.get_by_text("Camera facts calm the story down.").is_visible()
    page.pdf(path=str(tmp_path / "step.pdf"), prefer_css_page_size=True)
    text = " ".join(pdf_text(PdfReader(tmp_path / "step.pdf")))
    assert "Why it helps" in text and "Camera facts calm the story down." in text


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory) -> Path:
    """The real guide and the every-kind worksheet with a base_url: printed links on."""
    tmp = tmp_path_factory.mktemp("linked")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    (content / GUIDE / "worksheets" / "every-kind.md").write_text(ALL_KINDS, encoding="utf-8")
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("base_url: https://example.org/coaching/guides/\n")
    build(make_config(tmp, content))
    return tmp / "site"


def qr_text(png: Path) -> str:
    """Decode the QR codes in a picture with zbarimg, or fail saying how to install it."""
    zbarimg = require_command("zbarimg", "zbar-tools")
    run = subprocess.run([zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png],
                         capture_output=True, text=True)
    return run.stdout.strip()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_printed_worksheet_carries_its_address_and_a_qr_code_of_it(context, linked_site,
                                                                    tmp_path, paper):
    for name in SHEETS + ("every-kind",):
        address = f"https://example.org/coaching/guides/{GUIDE}/worksheets/{name}.html"
        page = context.new_page()
        page.goto(sheet_url(linked_site.as_uri(), name))
        assert not page.locator(".print-qr").is_visible()  # on paper only
        reader = print_pdf(page, tmp_path / f"{name}.pdf", paper)
        assert len(reader.pages) == 1 or (name == "every-kind" and len(reader.pages) == 2)
        text = " ".join(pdf_text(reader)).replace("\n", "")
        assert f"Fill it in online: {address}" in text
        picture = tmp_path / f"{name}-{paper}"
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile",
                        "-f", str(len(reader.pages)), tmp_path / f"{name}.pdf", picture],
                       check=True)
        assert qr_text(picture.with_suffix(".png")) == address
        page.close()


def test_the_packet_prints_each_worksheets_address(context, linked_site, tmp_path):
    page = context.new_page()
    page.goto(packet_url(linked_site.as_uri()))
    pages = pdf_text(print_pdf(page, tmp_path / "packet.pdf", "letter"))
    assert len(pages) == 1 + len(SHEETS) + 1
    prefix = f"Fill it in online: https://example.org/coaching/guides/{GUIDE}/worksheets/"
    found = [re.findall(re.escape(prefix) + r"([\w-]+)\.html", text.replace("\n", ""))
             for text in pages]
    assert found[0] == []  # the cover
    assert sorted(name for names in found[1:] for name in names) == sorted(
        SHEETS + ("every-kind",))  # each worksheet's page, its own address


def test_print_link_false_leaves_the_link_out(tmp_path, content_copy):
    with (content_copy / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("base_url: https://example.org/guides/\nprint_link: false\n")
    build(make_config(tmp_path, content_copy))
    html = (tmp_path / "site" / GUIDE / "worksheets" / "facts-and-stories.html").read_text()
    assert "print-qr" not in html and "Fill it in online" not in html
    assert "https://example.org/guides/managing-rejection/worksheets/facts-and-stories.html" \
        in html  # the address alone, as before
    assert not list((tmp_path / "site").rglob("*-qr.svg"))


def test_without_base_url_the_footer_names_the_site_not_a_path(context, site, tmp_path):
    page = context.new_page()
    page.goto(sheet_url(site.as_uri(), "facts-and-stories"))
    text = " ".join(pdf_text(print_pdf(page, tmp_path / "out.pdf"))).replace("\n", " ")
    assert "Guidebook: Guides and worksheets for the people you coach" in text
    assert "worksheets/facts-and-stories.html" not in text and "file:" not in text
    assert not list(site.rglob("*-qr.svg"))
