"""The site as data: guides, steps, worksheets, prompts and reading. No I/O here."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""
    url: str = ""


@dataclass(frozen=True)
class SourceArticle:
    title: str
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True)
class Answer:
    """One answer a reader gives: a field, a checklist item, its write-in or a table cell.

    Its names are made once, by the worksheet parser (worksheet.answer_names), and every
    other part prints or reads them: `name` is the form control's name on the worksheet page,
    the key the reader's browser saves the answer under (answers.js, under the worksheet's
    `answers` key) and the packet's data-a, so it never changes once readers have saved
    answers; `pdf_name` is the name of its PDF form field, "guide/worksheet/prompt[/…]"
    (README, Fillable PDFs).
    """

    name: str  # e.g. "feelings-hurt"
    pdf_name: str  # e.g. "managing-rejection/learning-from-it/feelings/hurt"


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    other: bool = False  # "Other: ___" items get a write-in box
    answer: Answer = Answer("", "")  # ticked or not
    write_in: Answer | None = None  # the write-in box's text, for an "other" item


@dataclass(frozen=True)
class Field:
    """A place to answer: writing lines, a short answer, a checklist, a scale or a table.

    `answer` is the field's own answer (the text of lines or a short answer, the chosen
    point of a scale); a checklist's answers are its items' (and their write-ins'), a
    table's are its `cells`, row by row, a column each.
    """

    kind: str  # lines, short, checklist, scale, table
    lines: int = 0
    items: tuple[ChecklistItem, ...] = ()
    low: int = 0
    high: int = 0
    low_label: str = ""
    high_label: str = ""
    columns: tuple[str, ...] = ()
    rows: int = 0
    answer: Answer = Answer("", "")
    cells: tuple[tuple[Answer, ...], ...] = ()

    @property
    def points(self) -> range:
        return range(self.low, self.high + 1)

    @property
    def answers(self) -> tuple[Answer, ...]:
        """Return every answer of the field in the order of its page: a checklist's items
        (each followed by its write-in), a table's cells row by row, else its own answer."""
        if self.kind == "checklist":
            return tuple(answer for item in self.items
                         for answer in (item.answer, item.write_in) if answer is not None)
        if self.kind == "table":
            return tuple(cell for row in self.cells for cell in row)
        return (self.answer,)


@dataclass(frozen=True)
class Prompt:
    id: str
    title: str
    help_html: str
    field: Field
    line: int


@dataclass(frozen=True)
class Page:
    """What every generated page of a guide shares."""

    path: str  # output path relative to the site root, e.g. "guide/step.html"
    source: str  # content file it came from, relative to content/


@dataclass(frozen=True)
class Step(Page):
    number: int = 0
    slug: str = ""
    title: str = ""
    summary: str = ""
    html: str = ""
    headings: tuple[Heading, ...] = ()
    words: int = 0
    text: str = ""  # plain text for the search index


@dataclass(frozen=True)
class Worksheet(Page):
    slug: str = ""
    title: str = ""
    step: int | None = None
    minutes: int | None = None
    summary: str = ""
    intro_html: str = ""
    prompts: tuple[Prompt, ...] = ()
    # The name the reader's answers to it are saved under, "guide/worksheet" (answers.js),
    # and the start of its PDF fields' names (Answer).
    answers: str = ""

    @property
    def pdf_header_names(self) -> tuple[str, str]:
        """Return the PDF form fields' names for Name and Date in the printed header:
        "guide/worksheet/name" and ".../date", or "" for one a prompt's id already takes."""
        ids = {prompt.id for prompt in self.prompts}
        name, date = (f"{self.answers}/{word}" if word not in ids else ""
                      for word in ("name", "date"))
        return name, date

    def pdf_path(self, paper: str) -> str:
        """Return where the blank PDF of this worksheet goes, for paper "a4" or "letter"."""
        return f"{self.path.removesuffix('.html')}-{paper}.pdf"

    @property
    def qr_path(self) -> str:
        """Return where the QR code of this worksheet's online address goes (an SVG)."""
        return f"{self.path.removesuffix('.html')}-qr.svg"


@dataclass(frozen=True)
class ReadingItem:
    title: str
    url: str = ""
    author: str = ""
    publisher: str = ""
    note_html: str = ""  # block HTML (a <p>, and perhaps its footnotes)


@dataclass(frozen=True)
class Reading:
    title: str = ""  # "" when reading.md gives none: the theme's words name it
    intro_html: str = ""
    items: tuple[ReadingItem, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Guide(Page):
    slug: str = ""
    title: str = ""
    summary: str = ""
    authors: tuple[Person, ...] = ()
    source_article: SourceArticle | None = None
    safety_note_html: str = ""
    safety_title: str = ""  # the safety note's heading, as the coach wrote it
    intro_html: str = ""
    headings: tuple[Heading, ...] = ()
    words: int = 0
    text: str = ""
    order: int = 0
    steps: tuple[Step, ...] = ()
    worksheets: tuple[Worksheet, ...] = ()
    reading: Reading | None = None
    language: str = "en"  # its own (guide.md) or the site's
    language_line: int = 0  # where guide.md sets it; 0 when it is the site's
    translation_of: str = ""  # the folder name of the guide this one is a translation of
    translation_of_line: int = 0

    @property
    def packet_path(self) -> str:
        return f"{self.slug}/worksheets/index.html"

    @property
    def answers_path(self) -> str:
        """The reader's "My answers" page: their saved answers as readable text."""
        return f"{self.slug}/my-answers.html"

    def packet_pdf_path(self, paper: str) -> str:
        """Return where the PDF of the packet goes, for paper "a4" or "letter"."""
        return f"{self.slug}/worksheets/{self.slug}-worksheets-{paper}.pdf"

    def worksheets_for(self, step: Step) -> tuple[Worksheet, ...]:
        return tuple(w for w in self.worksheets if w.step == step.number)

    def without_bodies(self) -> Guide:
        """Return this guide without what only its own pages and its search entries use: its
        introduction, headings and reading, each step's HTML, plain text and headings, and
        each worksheet's introduction and prompts ("", () or None; word counts stay).

        Most of a large site's memory is those. A build that renders on several processes
        keeps such a guide for the checks across the site and the pages made from every
        guide (their templates see titles, summaries, paths, languages, word counts and
        safety notes), and lists and renders a guide's own pages and search entries from its
        full record (cache.GuideRecords). The pages made from every guide see guides so
        on every site (render.page_jobs), large or small. Returns itself when it has none.
        """
        if (not self.intro_html and not self.text and not self.headings and self.reading is None
                and not any(step.html or step.text or step.headings for step in self.steps)
                and not any(ws.intro_html or ws.prompts for ws in self.worksheets)):
            return self
        return replace(
            self, intro_html="", text="", headings=(), reading=None,
            steps=tuple(replace(step, html="", text="", headings=()) for step in self.steps),
            worksheets=tuple(replace(worksheet, intro_html="", prompts=())
                             for worksheet in self.worksheets))


# A phone number as a reader dials it: digits, + in front of an international one, and
# the visual separators of RFC 3966 (space, hyphen, dot, brackets) between them.
DIALABLE = re.compile(r"\+?[(]?\d[\d\s().-]*")


@dataclass(frozen=True)
class HelpLine:
    """Someone a reader can turn to, listed on the Staying safe online page."""

    name: str
    url: str = ""
    phone: str = ""
    note: str = ""

    @property
    def tel(self) -> str:
        """Return the `tel:` address that dials the phone (RFC 3966: its digits, with + in
        front of an international number), or "" when the phone is more than a number, such
        as "Text SHOUT to 85258" or "0808 2000 247 (free)": the page shows that as text, as a
        link would dial something else. A number may be written with spaces, hyphens, dots
        and brackets (RFC 3966's visual separators); in an international one, a (0) is left
        out, as it is not dialled from abroad."""
        phone = self.phone.strip()
        if not DIALABLE.fullmatch(phone):
            return ""
        if phone.startswith("+"):  # +44 (0)20 ...: the (0) is dialled only within the country
            return "tel:+" + re.sub(r"\D", "", phone.replace("(0)", ""))
        return "tel:" + re.sub(r"\D", "", phone)


# Where Exit this page goes unless site.yaml says otherwise: a neutral, widely used page
# (the address GOV.UK's Exit this page component and Women's Aid use).
QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"


@dataclass(frozen=True)
class Settings:
    title: str
    tagline: str = ""
    language: str = "en"
    description: str = ""
    base_url: str = ""
    footer_html: str = ""
    pdf: bool = False
    paper: str = "auto"
    accent_css: str = ""  # the stylesheet made from accent_color, or "" (theme.accent_css)
    logo: str = ""  # the logo's path in the site, or "" for the theme's
    made_with: bool = True  # say "Made with Guidebook" in the footer
    print_link: bool = True  # with base_url: printed worksheets carry their address and a QR
    edition: str = "reader"  # or "coach": the coach's edition shows the coach's notes
    custom_css: bool = False  # content/_templates/assets/css/custom.css exists
    language_line: int = 0
    # Strings of the theme changed in site.yaml: (language or "" for the site's, English
    # text, new text, line in site.yaml).
    messages: tuple[tuple[str, str, str, int], ...] = ()
    quick_exit: bool = True  # every page has Exit this page
    quick_exit_url: str = QUICK_EXIT_URL
    quick_exit_label: str = ""  # the coach's words for the button; "" for the theme's
    help: tuple[HelpLine, ...] = ()

    @property
    def identity(self) -> str:
        """Return the site's identity for the reader's stored answers: 12 hex digits.

        The first 48 bits of SHA-256 over the title and base_url, so it stays the same across
        rebuilds and content edits and differs between two sites whose title or base_url
        differ. The browser keys every stored answer by it (templates/assets/js/answers.js).
        """
        digest = hashlib.sha256(f"{self.title}\n{self.base_url}".encode()).hexdigest()
        return digest[:12]


@dataclass(frozen=True)
class Site:
    settings: Settings
    guides: tuple[Guide, ...] = field(default=())
