"""PDF worksheets and packets, made at build time with WeasyPrint from the print stylesheet.

WeasyPrint is slow, so the real guide is built with PDFs twice per module (once by the command
line with --pdf, once from `pdf: true` in site.yaml through the process pool) and every test
reads those builds.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidebook import pdf
from guidebook.build import build, check
from guidebook.cli import main
from guidebook.errors import ContentError

from .conftest import CONTENT, ROOT, TEMPLATES, make_config

EPOCH = 1767225600  # 2026-01-01 00:00:00 UTC
SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # points
FOOTER_TOP = 62  # pt from the bottom of the page: the 22 mm bottom margin


@pytest.fixture(scope="module")
def site():
    """The real guide's model, to know which worksheets and prompts to expect."""
    return check(make_config(Path("/nonexistent")))[0]


@pytest.fixture(scope="module")
def pdf_builds(tmp_path_factory) -> tuple[Path, Path]:
    """The real guide built twice with PDFs and SOURCE_DATE_EPOCH set: return both sites."""
    first = tmp_path_factory.mktemp("pdf-cli")
    second = tmp_path_factory.mktemp("pdf-setting")
    content = second / "content"
    shutil.copytree(CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("pdf: true\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        code = main(["build", "--pdf", "--content", str(CONTENT), "--templates",
                     str(TEMPLATES), "--output", str(first / "site")])
        assert code == 0
        # The second build makes its PDFs in worker processes (where there are two cores).
        patch.setattr(pdf, "JOBS_PER_WORKER", 1)
        build(make_config(second, content))
    return first / "site", second / "site"


@pytest.fixture(scope="module")
def built(pdf_builds) -> Path:
    return pdf_builds[0]


def pdf_paths(site) -> dict[str, tuple[str, object]]:
    """Map every expected PDF to (paper, worksheet or guide)."""
    expected: dict[str, tuple[str, object]] = {}
    for guide in site.guides:
        for paper in pdf.PAPERS:
            for worksheet in guide.worksheets:
                expected[worksheet.pdf_path(paper)] = (paper, worksheet)
            expected[guide.packet_pdf_path(paper)] = (paper, guide)
    return expected


def text_of(reader: PdfReader, page: int | None = None) -> str:
    """Return a PDF's (or one page's) text with ligatures undone and spaces collapsed."""
    pages = reader.pages if page is None else [reader.pages[page]]
    text = " ".join(p.extract_text() for p in pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_every_pdf_exists_and_opens(built, site):
    expected = pdf_paths(site)
    assert sorted(expected) == [
        "managing-rejection/worksheets/facts-and-stories-a4.pdf",
        "managing-rejection/worksheets/facts-and-stories-letter.pdf",
        "managing-rejection/worksheets/learning-from-it-a4.pdf",
        "managing-rejection/worksheets/learning-from-it-letter.pdf",
        "managing-rejection/worksheets/managing-rejection-worksheets-a4.pdf",
        "managing-rejection/worksheets/managing-rejection-worksheets-letter.pdf",
        "managing-rejection/worksheets/what-is-true-for-me-a4.pdf",
        "managing-rejection/worksheets/what-is-true-for-me-letter.pdf",
    ]
    written = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.pdf"))
    assert written == sorted(expected)
    for name in expected:
        reader = PdfReader(built / name, strict=True)
        assert len(reader.pages) >= 1
        assert (built / name).read_bytes().startswith(b"%PDF-")


def test_each_worksheet_fits_on_at_most_two_pages(built, site):
    counts = {}
    for name, (_, item) in pdf_paths(site).items():
        if not hasattr(item, "prompts"):
            continue
        counts[name] = len(PdfReader(built / name).pages)
    assert counts and all(n <= 2 for n in counts.values()), counts


def test_the_packet_is_a_cover_then_each_worksheet_from_a_new_page(built, site):
    guide = site.guides[0]
    for paper in pdf.PAPERS:
        reader = PdfReader(built / guide.packet_pdf_path(paper))
        count = len(guide.worksheets)
        assert count + 1 <= len(reader.pages) <= 1 + 2 * count
        texts = [text_of(reader, i) for i in range(len(reader.pages))]
        assert "worksheet packet" in texts[0].lower()
        first_pages = []
        for worksheet in guide.worksheets:
            starts = [i for i, text in enumerate(texts) if worksheet.title in text]
            assert starts, f"{worksheet.title} is missing from the {paper} packet"
            first_pages.append(min(i for i in starts if i > 0))
        assert first_pages == sorted(set(first_pages)), first_pages


def test_a_pdf_holds_the_text_of_every_prompt_of_its_worksheets(built, site):
    for name, (_, item) in pdf_paths(site).items():
        text = text_of(PdfReader(built / name))
        worksheets = item.worksheets if hasattr(item, "worksheets") else [item]
        for worksheet in worksheets:
            assert worksheet.title in text, name
            for prompt in worksheet.prompts:
                title = " ".join(unicodedata.normalize("NFKC", prompt.title).split())
                assert title in text, f"{name}: prompt {prompt.title!r} is missing"


def test_the_pages_have_the_paper_size(built, site):
    for name, (paper, _) in pdf_paths(site).items():
        for page in PdfReader(built / name).pages:
            box = page.mediabox
            assert (round(float(box.width), 2), round(float(box.height), 2)) == SIZES[paper]


def test_the_credit_is_in_the_footer_of_every_worksheet_page(built, site):
    guide = site.guides[0]
    authors = ", ".join(a.name for a in guide.authors)
    for name, (_, item) in pdf_paths(site).items():
        reader = PdfReader(built / name)
        for number, page in enumerate(reader.pages):
            if number == 0 and item is guide:
                continue  # the packet's cover carries the full credits instead
            footer: list[str] = []

            def collect(text, cm, tm, font, size, footer=footer):
                if text.strip() and tm[5] * cm[3] + cm[5] < FOOTER_TOP:
                    footer.append(text)

            page.extract_text(visitor_text=collect)
            footer_text = " ".join(" ".join(footer).split())
            assert authors in footer_text and guide.title in footer_text, (name, number)


def test_the_pdfs_carry_title_author_and_the_source_date(built, site):
    guide = site.guides[0]
    for name, (_, item) in pdf_paths(site).items():
        info = PdfReader(built / name).metadata
        expected = (f"Worksheets · {guide.title}" if item is guide
                    else f"{item.title} · {guide.title}")
        assert info.title == expected
        assert info.author == "Susie and Otto Collins"
        assert info["/CreationDate"].startswith("D:20260101000000")
        assert info["/ModDate"] == info["/CreationDate"]


def test_the_text_is_selectable_and_tagged(built):
    reader = PdfReader(built / "managing-rejection/worksheets/facts-and-stories-a4.pdf")
    assert "Facts and stories" in text_of(reader)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # a tagged PDF, for screen readers
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_two_builds_give_identical_pdfs(pdf_builds, site):
    first, second = pdf_builds
    for name in pdf_paths(site):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_without_source_date_epoch_a_pdf_has_no_date_and_the_same_bytes(built, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = pdf.turn_on_pdf(check(make_config(Path("/nonexistent")))[0], True)
    job = pdf.pdf_jobs(site)[0]
    page = (built / job.page).read_bytes()
    pdf.start_worker(pdf.asset_files({job.page: page}, lambda name: read_file(built / name)))
    once, twice = pdf.make_pdf(job, page), pdf.make_pdf(job, page)
    assert once == twice
    assert "/CreationDate" not in PdfReader(io.BytesIO(once)).metadata


def link_targets(reader: PdfReader) -> list[str]:
    """Return the web (URI) targets of every link in a PDF."""
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                targets.append(str(action["/URI"]))
    return targets


def test_links_to_pages_of_the_site_are_relative_to_the_pdf(built, site):
    relative = 0
    for name in pdf_paths(site):
        for target in link_targets(PdfReader(built / name)):
            assert not target.startswith("file:"), (name, target)
            if "://" not in target:
                relative += 1
                assert ((built / name).parent / target.split("#")[0]).is_file(), target
    assert relative


def test_with_a_base_url_links_in_a_pdf_go_to_the_site_online(built, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = pdf.turn_on_pdf(check(make_config(Path("/nonexistent")))[0], True)
    job = replace(pdf.pdf_jobs(site)[0], base_url="https://example.org/guides/")
    page = (built / job.page).read_bytes()
    pdf.start_worker(pdf.asset_files({job.page: page}, lambda name: read_file(built / name)))
    targets = link_targets(PdfReader(io.BytesIO(pdf.make_pdf(job, page))))
    assert "https://example.org/guides/managing-rejection/rethink-the-rejection.html" in targets


def test_a_pdf_gets_the_stylesheets_images_and_fonts_its_page_uses():
    files = {
        "g/worksheets/w.html": b'<link rel="stylesheet" href="../../assets/css/site.css">'
                               b'<img src="../photo.png" alt=""><img src="https://x.org/a.png">'
                               b'<a href="../step.html">step</a><img src="data:image/png,x">',
        "assets/css/site.css": b'@import "print.css"; body { background: url("../bg.svg"); }',
        "assets/css/print.css": b"@font-face { src: url(../fonts/face.woff2?v=1#x); }",
        "assets/bg.svg": b"<svg/>",
        "assets/fonts/face.woff2": b"font",
        "g/photo.png": b"png",
        "g/step.html": b"<p>not needed for print</p>",
    }
    pages = {"g/worksheets/w.html": files["g/worksheets/w.html"]}
    assert sorted(pdf.asset_files(pages, files.get)) == [
        "assets/bg.svg", "assets/css/print.css", "assets/css/site.css",
        "assets/fonts/face.woff2", "g/photo.png"]


def read_file(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def test_each_worksheet_page_offers_its_pdfs(built, site):
    for guide in site.guides:
        pages = [(w.path, w.pdf_path) for w in guide.worksheets]
        pages.append((guide.packet_path, guide.packet_pdf_path))
        for page, pdf_path in pages:
            html = (built / page).read_text(encoding="utf-8")
            for paper, label in (("a4", "A4"), ("letter", "US Letter")):
                link = re.search(rf'<a [^>]*href="([^"]+)" data-pdf-paper="{paper}" download>'
                                 rf"Download PDF \({label}\)</a>", html)
                assert link, f"{page} has no {label} PDF link"
                target = (built / page).parent / link.group(1)
                assert target.resolve() == (built / pdf_path(paper)).resolve()
                assert target.is_file()


def test_without_pdfs_no_page_offers_them(built_site):
    for page in built_site.rglob("*.html"):
        assert "Download PDF" not in page.read_text(encoding="utf-8"), page
    assert not list(built_site.rglob("*.pdf"))


@pytest.mark.browser
def test_the_reader_sees_the_pdf_for_their_paper(browser, built):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    try:
        page.goto((built / "managing-rejection/worksheets/facts-and-stories.html").as_uri())
        a4 = page.locator('[data-pdf-paper="a4"]')
        letter = page.locator('[data-pdf-paper="letter"]')
        page.select_option("[data-paper]", "letter")
        assert letter.is_visible() and not a4.is_visible()
        page.select_option("[data-paper]", "a4")
        assert a4.is_visible() and not letter.is_visible()
        page.emulate_media(media="print")
        assert not a4.is_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_both_pdfs_are_offered(browser, built):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((built / "managing-rejection/worksheets/facts-and-stories.html").as_uri())
        assert page.locator('[data-pdf-paper="a4"]').is_visible()
        assert page.locator('[data-pdf-paper="letter"]').is_visible()
    finally:
        context.close()


def test_without_weasyprint_pdf_stops_with_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    code = main(["build", "--pdf", "--content", str(CONTENT), "--templates", str(TEMPLATES),
                 "--output", str(tmp_path / "site")])
    out = capsys.readouterr()
    assert code == 1
    assert out.err == "PDF output needs WeasyPrint: pip install -e '.[pdf]'\n"
    assert out.out == ""
    assert not (tmp_path / "site").exists()


def test_weasyprint_without_pango_says_what_to_install(monkeypatch):
    real_import = __import__

    def fail_to_load(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", fail_to_load)
    with pytest.raises(pdf.MissingWeasyPrint) as error:
        pdf.require_weasyprint()
    assert str(error.value) == (
        "PDF output needs WeasyPrint: pip install -e '.[pdf]'\n"
        "WeasyPrint is installed but cannot load the Pango library: "
        "cannot load library 'libpango-1.0-0'\n"
        "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def test_the_site_setting_also_needs_weasyprint(tmp_path, content_copy, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with (content_copy / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("pdf: true\n")
    with pytest.raises(pdf.MissingWeasyPrint, match=re.escape("pip install -e '.[pdf]'")):
        build(make_config(tmp_path, content_copy))


def test_a_worksheet_whose_pdf_would_replace_the_packet_pdf_is_an_error(tmp_path,
                                                                       content_copy):
    worksheets = content_copy / "managing-rejection" / "worksheets"
    text = (worksheets / "learning-from-it.md").read_text(encoding="utf-8")
    (worksheets / "managing-rejection-worksheets.md").write_text(
        text.replace("title: Learning from it", "title: All of them"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(make_config(tmp_path, content_copy, pdf=True))
    messages = [p.format() for p in error.value.problems]
    assert any("two PDFs would be written to managing-rejection/worksheets/"
               "managing-rejection-worksheets-a4.pdf" in m for m in messages), messages


def test_the_readme_shows_a_pdf_page(built):
    picture = ROOT / "docs" / "pdf-worksheet.png"
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert height > width > 400  # a whole portrait page, readable
    assert "docs/pdf-worksheet.png" in (ROOT / "README.md").read_text(encoding="utf-8")
