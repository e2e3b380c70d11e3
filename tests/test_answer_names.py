"""A worksheet's answer names: made once (worksheet.answer_names, carried by model.Answer) and
printed as they are on the worksheet page, in the packet and in the PDF form."""

from __future__ import annotations

import re

from guidebook import pdf
from guidebook.build import check, pdf_pages
from guidebook.cache import BuildCache
from guidebook.model import Worksheet

from .conftest import GUIDE, make_config

# The names the reader's browser saves each answer of the every-kind worksheet under. They
# never change: readers' saved answers are found by them (test_worksheets_browser checks the
# answers saved by an earlier build).
EVERY_KIND = ["a-few-lines", "one-word", "pick-sadness", "pick-anger", "pick-other",
              "pick-other-text", "rate", "grid-r1-c1", "grid-r1-c2", "grid-r2-c1", "grid-r2-c2"]
PDF_PREFIX = f"{GUIDE}/every-kind/"
EVERY_KIND_PDF = ["a-few-lines", "one-word", "pick/sadness", "pick/anger", "pick/other",
                  "pick/other/text", "rate", "grid/row-1/first", "grid/row-1/second",
                  "grid/row-2/first", "grid/row-2/second"]


def answers(worksheet: Worksheet) -> list[tuple[str, str]]:
    """Return (name, PDF name) of every answer of a worksheet, in the order of its page."""
    found = []
    for prompt in worksheet.prompts:
        field = prompt.field
        for item in field.items:
            found += [item.answer] + ([item.write_in] if item.write_in else [])
        found += [cell for row in field.cells for cell in row]
        if field.kind in ("lines", "short", "scale"):
            found.append(field.answer)
        assert field.answer.name == prompt.id
    return [(answer.name, answer.pdf_name) for answer in found]


def unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))  # a scale's radio buttons share one name


def test_every_page_names_each_answer_as_the_model_does(every_kind_site):
    root = every_kind_site.parent
    config = make_config(root, root / "content", cache=False)
    site = check(config)[0]
    guide = next(g for g in site.guides if g.slug == GUIDE)
    every_kind = next(w for w in guide.worksheets if w.slug == "every-kind")
    assert every_kind.answers == f"{GUIDE}/every-kind"
    assert answers(every_kind) == [(name, PDF_PREFIX + pdf_name)
                                   for name, pdf_name in zip(EVERY_KIND, EVERY_KIND_PDF,
                                                             strict=True)]

    packet = (every_kind_site / guide.packet_path).read_text(encoding="utf-8")
    forms = pdf_pages(config, pdf.turn_on_pdf(site, True), BuildCache(config.output,
                                                                      enabled=False))
    for worksheet in guide.worksheets:
        names = [name for name, _ in answers(worksheet)]
        page = (every_kind_site / worksheet.path).read_text(encoding="utf-8")
        assert f'data-answers="{worksheet.answers}"' in page
        controls = re.findall(r'<(?:input|textarea)[^>]* name="([^"]+)"', page)
        assert unique(controls) == names, worksheet.slug
        sheet = packet.split(f'<article class="sheet" id="{worksheet.slug}">')[1]
        sheet = sheet.split("</article>")[0]
        assert re.findall(r'data-a="([^"]+)"', sheet) == names, worksheet.slug
        # The page a PDF is made from: the same controls, and a PDF field over each answer.
        form = forms[worksheet.path].decode("utf-8")
        pdf_names = re.findall(r'class="pdf-field[^"]*" name="([^"]+)"', form)
        assert unique(pdf_names) == [n for n in worksheet.pdf_header_names if n] + [
            pdf_name for _, pdf_name in answers(worksheet)], worksheet.slug
        readers = re.findall(r'<(?:input|textarea)(?![^>]*pdf-field)[^>]* name="([^"]+)"', form)
        assert unique(readers) == names, worksheet.slug
