"""PDF worksheets and packets, made at build time with WeasyPrint from the print stylesheet.

WeasyPrint is slow, so the real guide is built with PDFs twice per module (once by the command
line with --pdf, once from `pdf: true` in site.yaml through the process pool) and every test
reads those builds.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
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
from guidebook.worksheet import column_ids

from .conftest import CONTENT, ROOT, TEMPLATES, make_config
from .test_markdown_pages import png

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
    assets = pdf.asset_files({job.page: page}, lambda name: read_file(built / name))
    once, twice = pdf.make_pdf(assets, (job, page)), pdf.make_pdf(assets, (job, page))
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
    assets = pdf.asset_files({job.page: page}, lambda name: read_file(built / name))
    targets = link_targets(PdfReader(io.BytesIO(pdf.make_pdf(assets, (job, page)))))
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


def test_a_pdf_gets_images_whose_names_have_spaces_or_accents(tmp_path):
    """A worksheet's image named "my photo.png" or "Über Bild.png" is on its page as
    my%20photo.png (markup.url_encoded): its PDFs had no image at all, the file being
    looked up by the encoded name. Both are in both PDFs now, as a plain name is."""
    content = tmp_path / "content"
    (content / "g" / "worksheets").mkdir(parents=True)
    (content / "site.yaml").write_text("title: T\npdf: true\n", encoding="utf-8")
    (content / "g" / "guide.md").write_text("---\ntitle: G\nsummary: S.\n---\nG.\n",
                                            encoding="utf-8")
    (content / "g" / "1-one.md").write_text("---\ntitle: One\n---\nText.\n", encoding="utf-8")
    (content / "g" / "worksheets" / "w.md").write_text(
        "---\ntitle: W\nstep: 1\n---\n![Sea](../plain.png) ![Sky](<../my photo.png>) "
        "![Sand](<Über Bild.png>)\n\n## Q {#q}\n\n[lines: 2]\n", encoding="utf-8")
    for width, name in enumerate(("g/plain.png", "g/my photo.png",
                                  "g/worksheets/Über Bild.png"), start=40):
        (content / name).write_bytes(png(width, 20))  # each known by its width
    build(make_config(tmp_path, content))
    for name in ("w-a4.pdf", "w-letter.pdf", "g-worksheets-a4.pdf"):
        reader = PdfReader(tmp_path / "site" / "g" / "worksheets" / name)
        widths = {image.image.width for page in reader.pages for image in page.images}
        assert widths == {40, 41, 42}, name


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


# --- Fillable PDFs: every answer space is a PDF form field. ---

MULTILINE, RADIO, PUSH = 1 << 12, 1 << 15, 1 << 16  # PDF 1.7, tables 226 and 228
MM = 72 / 25.4  # points per millimetre


def expected_fields(guide, worksheet) -> dict[str, str]:
    """Map each field name a worksheet's PDF must have to its kind: text, lines, check, radio."""
    # The name and date blanks of the header.
    fields = {f"{guide.slug}/{worksheet.slug}/name": "text",
              f"{guide.slug}/{worksheet.slug}/date": "text"}
    for prompt in worksheet.prompts:
        name = f"{guide.slug}/{worksheet.slug}/{prompt.id}"
        f = prompt.field
        if f.kind in ("lines", "short"):
            fields[name] = "lines" if f.kind == "lines" else "text"
        elif f.kind == "scale":
            fields[name] = "radio"
        elif f.kind == "checklist":
            for item in f.items:
                fields[f"{name}/{item.id[len(prompt.id) + 1:]}"] = "check"
                if item.other:
                    fields[f"{name}/{item.id[len(prompt.id) + 1:]}/text"] = "text"
        else:
            for row in range(1, f.rows + 1):
                for column in column_ids(f.columns):
                    fields[f"{name}/row-{row}/{column}"] = "lines"
    return fields


def widgets(reader: PdfReader) -> list[tuple[int, str, dict]]:
    """Return (page number, field name, widget) for every form widget of a PDF."""
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/Subtype") == "/Widget":
                field = widget if "/T" in widget else widget["/Parent"].get_object()
                found.append((number, str(field["/T"]), widget))
    return found


def size_of(widget: dict) -> tuple[float, float]:
    x1, y1, x2, y2 = map(float, widget["/Rect"])
    return abs(x2 - x1), abs(y2 - y1)


def kind_of(field: dict) -> str:
    flags = int(field.get("/Ff", 0))
    if field["/FT"] == "/Tx":
        return "lines" if flags & MULTILINE else "text"
    assert field["/FT"] == "/Btn" and not flags & PUSH
    return "radio" if flags & RADIO else "check"


def test_every_pdf_is_a_form_with_a_field_for_every_answer(built, site):
    for name, (_, item) in pdf_paths(site).items():
        guide = site.guides[0]
        worksheets = item.worksheets if item is guide else [item]
        expected = {}
        for worksheet in worksheets:
            expected.update(expected_fields(guide, worksheet))
        reader = PdfReader(built / name)
        fields = reader.get_fields()
        assert {key: kind_of(value) for key, value in fields.items()} == expected, name
        # Unique: each name is one field of the form (a radio set is one field, its buttons
        # are its widgets), and nothing else is in the form.
        names = [str(ref.get_object()["/T"]) for ref in reader.trailer["/Root"]["/AcroForm"]
                 ["/Fields"]]
        assert sorted(names) == sorted(expected), name
        for worksheet in worksheets:
            for prompt in worksheet.prompts:
                if prompt.field.kind == "scale":
                    group = fields[f"{guide.slug}/{worksheet.slug}/{prompt.id}"]
                    assert len(group["/Kids"]) == len(prompt.field.points)


def test_each_field_lies_on_its_page_over_the_space_the_page_rules(built, site):
    guide = site.guides[0]
    kinds = {}
    for worksheet in guide.worksheets:
        for prompt in worksheet.prompts:
            kinds[f"{guide.slug}/{worksheet.slug}/{prompt.id}"] = prompt.field
    for name, (paper, _) in pdf_paths(site).items():
        width, height = SIZES[paper]
        for _, field_name, widget in widgets(PdfReader(built / name)):
            x1, y1, x2, y2 = map(float, widget["/Rect"])
            left, right, bottom, top = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            # Inside the page, clear of the 12 x 14 mm margins and the footer.
            assert 14 * MM - 1 <= left < right <= width - 14 * MM + 1, (name, field_name)
            assert FOOTER_TOP <= bottom < top <= height - 12 * MM, (name, field_name)
            prompt = "/".join(field_name.split("/")[:3])
            if field_name.endswith(("/name", "/date")) and prompt not in kinds:
                # The header's blanks: a line a name or a date long, 1 em high.
                assert 15 * MM < size_of(widget)[0] < 80 * MM and size_of(widget)[1] < 6 * MM
                continue
            field = kinds[prompt]
            size = (right - left, top - bottom)
            if field.kind == "lines" and field_name == prompt:
                # A field as tall as the ruled lines (7 mm each) and as wide as the text.
                assert abs(size[1] - field.lines * 7 * MM) < 1, (name, field_name, size)
                assert size[0] > 0.9 * (width - 28 * MM), (name, field_name, size)
            elif field.kind == "short":
                assert abs(size[1] - 7 * MM) < 1 and size[0] > 0.9 * (width - 28 * MM)
            elif field.kind == "checklist" and not field_name.endswith("/text"):
                # The check box is the box the page draws before the item: 3.8 mm square,
                # inside its border.
                assert abs(size[0] - 3.8 * MM) < 2 and abs(size[1] - 3.8 * MM) < 2
            elif field.kind == "scale":
                # The circle the page draws round the number, 7.5 mm inside out.
                assert abs(size[0] - 7.5 * MM) < 2 and abs(size[1] - 7.5 * MM) < 2
            elif field.kind == "table":
                # The whole cell: its two rules and the line below them (19.5 mm), a column
                # wide.
                columns = len(field.columns)
                assert 19.5 * MM - 0.5 <= size[1] <= 25 * MM, (name, field_name, size)
                assert abs(size[0] - (width - 28 * MM) / columns) < 3, (name, field_name, size)


def test_the_fields_are_invisible_on_the_blank_pdf(built, tmp_path):
    """Blank, the form prints as the page: the same pixels with and without its fields."""
    for name in ("facts-and-stories-a4", "learning-from-it-letter",
                 "managing-rejection-worksheets-a4"):
        source = built / f"managing-rejection/worksheets/{name}.pdf"
        shown, hidden = tmp_path / f"{name}-shown", tmp_path / f"{name}-hidden"
        subprocess.run(["pdftoppm", "-r", "60", "-gray", source, shown], check=True)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", "-hide-annotations", source, hidden],
                       check=True)
        images = sorted(tmp_path.glob(f"{name}-shown*"))
        assert images
        for image in images:
            other = tmp_path / image.name.replace("-shown", "-hidden")
            assert image.read_bytes() == other.read_bytes(), image.name


def test_a_filled_in_pdf_reads_back(built, site, tmp_path):
    from pypdf import PdfWriter

    guide = site.guides[0]
    source = built / guide.packet_pdf_path("letter")
    writer = PdfWriter(clone_from=PdfReader(source))
    fields = PdfReader(source).get_fields()
    values = {}
    for name, field in fields.items():
        kind = kind_of(field)
        if kind in ("text", "lines"):
            values[name] = f"Answer to {name.split('/', 2)[2]} – ça va"
        elif kind == "check" and name.endswith("/anger"):
            values[name] = "/on"
        elif kind == "radio":
            values[name] = str(field["/_States_"][2])
    assert any(k.endswith("/anger") for k in values)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    back = PdfReader(filled).get_fields()
    for name, value in values.items():
        assert str(back[name]["/V"]) == value, name
    unticked = [n for n, f in back.items() if kind_of(f) == "check" and n not in values]
    assert unticked and all(back[n].get("/V") in (None, "/Off") for n in unticked)


def test_pdfjs_sees_every_field_as_a_form_widget(built, site):
    from .tools import NODE_MODULES, pdfjs

    pdfjs()
    names = sorted(pdf_paths(site))
    run = subprocess.run(["node", ROOT / "tests/js/pdf-widgets.mjs",
                          *(str(built / name) for name in names)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "TOOLS_NODE_MODULES": str(NODE_MODULES)})
    seen = json.loads(run.stdout)
    for name in names:
        reader = PdfReader(built / name)
        ours = sorted((number + 1, field_name) for number, field_name, _ in widgets(reader))
        theirs = seen[str(built / name)]
        assert sorted((w["page"], w["name"]) for w in theirs) == ours, name
        kinds = {field: kind_of(value) for field, value in reader.get_fields().items()}
        for widget in theirs:
            kind = kinds[widget["name"]]
            assert widget["type"] == ("Tx" if kind in ("text", "lines") else "Btn")
            assert widget["checkBox"] == (kind == "check")
            assert widget["radioButton"] == (kind == "radio")
            assert widget["multiLine"] == (kind == "lines")


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Path:
    """The real guide with PDFs and a base_url: the PDFs carry each worksheet's address."""
    tmp = tmp_path_factory.mktemp("pdf-linked")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("base_url: https://example.org/guides/\n")
    build(make_config(tmp, content, pdf=True))
    return tmp / "site"


def test_with_a_base_url_each_pdf_worksheet_carries_its_address_and_qr_code(linked, site,
                                                                           tmp_path):
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: apt-get install -y zbar-tools (.ci/run does this)"
    guide = site.guides[0]
    for paper in pdf.PAPERS:
        for worksheet in guide.worksheets:
            address = f"https://example.org/guides/{worksheet.path}"
            reader = PdfReader(linked / worksheet.pdf_path(paper))
            assert len(reader.pages) == 1, (worksheet.slug, paper)  # still one page
            assert f"Fill it in online: {address}" in text_of(reader)
            picture = tmp_path / f"{worksheet.slug}-{paper}"
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile",
                            linked / worksheet.pdf_path(paper), picture], check=True)
            run = subprocess.run([zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                                  picture.with_suffix(".png")], capture_output=True, text=True)
            assert run.stdout.strip() == address, (worksheet.slug, paper)
        packet = text_of(PdfReader(linked / guide.packet_pdf_path(paper)))
        for worksheet in guide.worksheets:
            assert f"https://example.org/guides/{worksheet.path}" in packet


def test_the_readme_shows_a_filled_pdf_form():
    picture = ROOT / "docs" / "pdf-form-filled.png"
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert width > 400 and height > 400
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/pdf-form-filled.png" in readme
    for section in ("### Fillable PDFs", "### The printed link"):
        assert section in readme


def test_table_cells_whose_headings_give_one_name_get_different_field_names(tmp_path,
                                                                             content_copy):
    """"Idea" and "Idea!" are two headings (the same twice is an error) with one name."""
    from guidebook.build import pdf_pages
    from guidebook.cache import BuildCache

    sheet = content_copy / "managing-rejection" / "worksheets" / "facts-and-stories.md"
    text = sheet.read_text(encoding="utf-8")
    heading = ("| What happened (what a camera would have recorded) | What I told myself it "
               "meant | Another way to see it |")
    assert heading in text
    sheet.write_text(text.replace(heading, "| Idea | Idea! | Why |"), encoding="utf-8")
    config = make_config(tmp_path, content_copy, cache=False)
    site = pdf.turn_on_pdf(check(config)[0], True)
    assert column_ids(("Idea", "Idea", "Why", "Idea-2")) == ["idea", "idea-2", "why", "idea-2-2"]
    pages = pdf_pages(config, site, BuildCache(config.output, enabled=False))
    base = "managing-rejection/facts-and-stories/what-happened"
    for page in ("managing-rejection/worksheets/facts-and-stories.html",
                 "managing-rejection/worksheets/index.html"):
        names = re.findall(r'name="([^"]+)"', pages[page].decode("utf-8"))
        cells = [n for n in names if n.startswith(base + "/")]
        assert cells == [f"{base}/row-{r}/{c}" for r in (1, 2, 3) for c in ("idea", "idea-2",
                                                                           "why")]


@pytest.fixture(scope="module")
def language_pdfs(tmp_path_factory) -> Path:
    """The German and the Arabic guide of tests/languages, built with PDFs."""
    from .test_languages import LANGUAGES

    root = tmp_path_factory.mktemp("pdf-languages")
    content = root / "content"
    content.mkdir()
    shutil.copy(LANGUAGES / "site.yaml", content / "site.yaml")
    for guide in ("umgang-mit-kritik", "al-rafd"):
        shutil.copytree(LANGUAGES / guide, content / guide)
    build(make_config(root, content, pdf=True))
    return root / "site"


def test_a_german_guides_pdfs_have_german_titles_and_language(language_pdfs):
    folder = language_pdfs / "umgang-mit-kritik" / "worksheets"
    for paper in ("a4", "letter"):
        packet = PdfReader(folder / f"umgang-mit-kritik-worksheets-{paper}.pdf")
        assert packet.metadata.title == "Arbeitsblätter · Umgang mit „harter“ Kritik"
        sheet = PdfReader(folder / f"deutung-{paper}.pdf")
        assert sheet.metadata.title == "Worte und „Deutungen“ · Umgang mit „harter“ Kritik"
        for reader in (packet, sheet):
            assert reader.trailer["/Root"]["/Lang"] == "de"


def placed_text(reader: PdfReader, page: int = 0) -> list[tuple[float, float, str]]:
    """Return (x, y, text) of every run of text on a page, in points, Arabic letters NFKC."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4],
                         cm[1] * tm[4] + cm[3] * tm[5] + cm[5],
                         unicodedata.normalize("NFKC", text).strip()))

    reader.pages[page].extract_text(visitor_text=visit)
    return runs


def test_an_arabic_scale_runs_right_to_left_evenly_with_its_ends_under_it(language_pdfs):
    reader = PdfReader(language_pdfs / "al-rafd" / "worksheets" / "al-mashaer-a4.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    runs = placed_text(reader)
    points = [next(x for x, _, text in runs if text == str(n)) for n in range(1, 6)]
    gaps = [round(a - b, 1) for a, b in zip(points, points[1:], strict=False)]
    assert all(gap > 0 for gap in gaps)  # 1 on the right, 5 on the left
    assert max(gaps) - min(gaps) < 1, gaps  # evenly spaced: no space left on the wrong side
    near, far = (min(x for x, _, text in runs if text == label)
                 for label in ("لا على الإطلاق", "تماماً"))
    assert far < points[4] < near  # "not at all" on the right, "completely" on the left,
    assert points[4] - 12 < far  # starting under 5 (not outside the scale)
