"""Make blank, fillable PDFs of worksheets and packets from the built pages, with WeasyPrint.

Each PDF is the HTML page rendered for print with the same stylesheets the browser prints
with; one extra stylesheet forces the paper size (A4 or US Letter) and fills the few gaps
where WeasyPrint reads CSS differently from a browser. The page is the one the browser gets,
rendered with PDF form fields (build.pdf_pages: templates/_fields.html's pdf_field), which
WeasyPrint's pdf_forms turns into an AcroForm (PDF 1.7, 12.7): a field over each answer
space, without a border, so the blank PDF prints as the page does. Pages and assets are served to
WeasyPrint from memory, so PDFs are made before the build writes anything and the build stays
atomic; nothing is fetched from another host.

The bytes are deterministic: WeasyPrint writes no file identifier, fonts are subset with
stable names, and the creation date is taken from SOURCE_DATE_EPOCH when it is set (and left
out otherwise, rather than stamping the time of the build).
"""

from __future__ import annotations

import html
import mimetypes
import os
import posixpath
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from . import parallel
from .catalogs import Messages
from .errors import ContentError, Problem, path_text
from .model import Site

INSTALL_HINT = "PDF output needs WeasyPrint: pip install -e '.[pdf]'"
PAPERS = {"a4": "A4", "letter": "letter"}  # our name -> CSS @page size
# A made-up root that WeasyPrint resolves the pages' relative links against; files under it
# are served from memory. Every other URL is refused.
SITE_URL = "file:///guidebook-site/"
# Files a page may pull in while it is laid out for print (scripts are never run).
ASSET_SUFFIXES = (".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif",
                  ".woff", ".woff2", ".ttf", ".otf")
PAGE_URL = re.compile(r'(?:href|src)="([^"]+)"')
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")
# Below this many PDFs per process, starting a process (and WeasyPrint in it) costs more
# than it saves.
JOBS_PER_WORKER = 16

# Added to the theme's print stylesheet for PDFs only. It is a user stylesheet, so every rule
# needs !important to win over the theme's rules. It forces the paper size and the margins
# (the theme prints without page margins, so that browsers print no header of their own),
# pins the credit line to the foot of every page (WeasyPrint supports running elements;
# browsers do not), and lays out with blocks the few flex and grid rows that WeasyPrint
# places differently from a browser (the rating scale, the checklist, the name and date
# blanks).
WEASYPRINT_CSS = """
@page {
  size: %(size)s !important;
  margin: 12mm 14mm 22mm !important;
  @bottom-left { content: element(credit); width: 100%%; vertical-align: top; padding-top: 3mm; }
}
body { padding: 0 !important; }
.print-footer { position: running(credit) !important; margin: 0 !important; }
.pdf-download { display: none !important; }
.print-header-name, .packet-name { align-items: flex-end !important; }
.scale { display: inline-block !important; }
.scale-points { display: block !important; white-space: nowrap; }
.scale-points li { display: inline-block !important; margin-right: 2mm !important; }
.scale-points li:last-child { margin-right: 0 !important; }
.scale-ends { display: block !important; margin-top: 1mm !important; }
.scale-ends span:last-child { float: right; }
.scale-points label { display: block !important; text-align: center; line-height: 7.5mm; }
.checklist { display: block !important; }
.checklist li {
  display: inline-block !important; width: 24.5%%; margin: 0 0 1.5mm; vertical-align: top;
}
.checklist li.checklist-other { display: flex !important; width: 100%%; }

/* Form fields (the pages of build.pdf_pages): each lies over the answer space the page
   draws, without a border or a background, so the blank PDF prints as the page does. */
.print-lines, .fill-table td, .print-line-inline, .scale-points label, .scale-points li,
.print-blank {
  position: relative !important;
}
.pdf-field {
  display: block !important; position: absolute !important; left: 0; top: 0;
  width: 100%% !important; height: 100%% !important; min-height: 0 !important; margin: 0 !important;
  padding: 0 !important; border: 0 !important; background: none !important;
  opacity: 1 !important; font-size: 10.5pt !important; color: #000 !important;
}
.print-blank .pdf-field { top: -1mm; height: calc(100%% + 1mm) !important;
  font-size: 9pt !important; }
/* A check box takes the place of the box the page draws before the item, looking the same. */
.checklist label::before, .checklist li::before { content: none !important; }
.pdf-field.pdf-checkbox {
  display: inline-block !important; position: static !important; box-sizing: border-box;
  width: 3.8mm !important; height: 3.8mm !important; margin: 0 2mm 0 0 !important;
  border: 0.8pt solid #000 !important; vertical-align: -0.6mm;
}
/* Right to left, the same mirrored, with physical sides as above: WeasyPrint crashes on
   float: inline-end, and puts a float: left in a right-to-left line outside its box, so the
   scale's far end is placed at its left edge instead. */
[dir=rtl] .scale-points li { margin: 0 0 0 2mm !important; }
[dir=rtl] .scale-points li:last-child { margin-left: 0 !important; }
[dir=rtl] .scale-ends { position: relative; }
[dir=rtl] .scale-ends span:last-child { float: none; position: absolute; top: 0; left: 0; }
[dir=rtl] .pdf-field.pdf-checkbox { margin: 0 0 0 2mm !important; }
"""


class MissingWeasyPrint(Exception):
    """Raised when PDFs are asked for but the `pdf` extra is not installed."""

    def __init__(self, detail: str = ""):
        super().__init__(INSTALL_HINT + (f"\n{detail}" if detail else ""))


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: where it goes, which built page it shows, on which paper."""

    path: str
    page: str
    source: str  # the content file (or folder) it comes from, for messages
    paper: str
    title: str
    authors: tuple[str, ...]
    language: str
    base_url: str = ""  # the site's address, if it has one: links in the PDF point there


def turn_on_pdf(site: Site, wanted: bool) -> Site:
    """Return the site with PDFs switched on when asked (--pdf), so pages link to them."""
    if wanted and not site.settings.pdf:
        return replace(site, settings=replace(site.settings, pdf=True))
    return site


def pdf_jobs(site: Site, words: Callable[[str], Messages] | None = None) -> list[PdfJob]:
    """List the PDFs of the site: each worksheet and each guide's packet, on each paper.

    `words(language)` gives a page language's strings (render.Renderer.messages): a
    packet's title ("Worksheets · {guide}") is in its guide's language, as its pages are;
    without it the titles are English (for callers that need only the paths).
    """
    jobs = []
    for guide in site.guides:
        authors = tuple(person.name for person in guide.authors)
        worksheets = words(guide.language).gettext("Worksheets") if words else "Worksheets"
        for paper in PAPERS:
            for worksheet in guide.worksheets:
                jobs.append(PdfJob(worksheet.pdf_path(paper), worksheet.path,
                                   worksheet.source, paper,
                                   f"{worksheet.title} · {guide.title}", authors,
                                   guide.language, site.settings.base_url))
            if guide.worksheets:
                jobs.append(PdfJob(guide.packet_pdf_path(paper), guide.packet_path,
                                   f"{guide.slug}/worksheets/", paper,
                                   f"{worksheets} · {guide.title}", authors,
                                   guide.language, site.settings.base_url))
    return jobs


def pdf_files(site: Site, read: Callable[[str], bytes | None],
              forms: dict[str, bytes] | None = None,
              words: Callable[[str], Messages] | None = None) -> Iterator[tuple[str, bytes]]:
    """Yield (path, bytes) of every PDF, made from the built files that `read` returns.

    `read(path)` returns the bytes of a built file (a page or an asset), or None; the
    rendered files' `dict.get` will do. `forms` maps a page's path to the same page rendered
    with PDF form fields (build.pdf_pages); a page found there is made from that version,
    so its PDF is a form a reader fills in. `words` gives the titles' words (pdf_jobs).
    """
    require_weasyprint()
    jobs = pdf_jobs(site, words)
    check_collisions(jobs, read)
    forms = forms or {}
    pages = {job.page: forms.get(job.page) or page_bytes(read, job.page) for job in jobs}
    assets = asset_files(pages, read)
    workers = worker_count(len(jobs))
    tasks = [(job, pages[job.page]) for job in jobs]
    if workers <= 1:
        for job, page in tasks:
            yield job.path, make_pdf(assets, (job, page))
        return
    # "spawn" everywhere: WeasyPrint's libraries are not known to be safe after a fork.
    made: dict[int, bytes] = dict(parallel.run(parallel.process_context(spawn_only=True),
                                               workers, make_pdf, assets, tasks))
    for index, job in enumerate(jobs):
        yield job.path, made[index]


def require_weasyprint() -> None:
    """Raise MissingWeasyPrint unless WeasyPrint and its system libraries load."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        raise MissingWeasyPrint() from None
    except OSError as exc:  # installed, but Pango or its friends are missing
        raise MissingWeasyPrint(
            f"WeasyPrint is installed but cannot load the Pango library: {exc}\n"
            + PANGO_HINTS.get(sys.platform, PANGO_HINTS["linux"])) from None


# How to install Pango, by sys.platform (WeasyPrint's documentation, "First steps").
PANGO_HINTS = {
    "linux": "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0",
    "darwin": "On macOS, with Homebrew: brew install pango",
    "win32": "On Windows: install the GTK3 runtime (GTK for Windows Runtime Environment "
             "Installer); if it is still not found, set WEASYPRINT_DLL_DIRECTORIES to its "
             "bin folder",
}


def worker_count(jobs: int) -> int:
    """Return how many processes to make PDFs in: one unless there is enough work."""
    return max(1, min(parallel.cpu_count(), jobs // JOBS_PER_WORKER))


def check_collisions(jobs: list[PdfJob], read: Callable[[str], bytes | None]) -> None:
    """Stop if a PDF would overwrite another PDF or a file of the site."""
    problems = []
    seen: dict[str, PdfJob] = {}
    for job in jobs:
        if job.path in seen:
            problems.append(Problem(
                job.source, 0, 0, f"two PDFs would be written to {path_text(job.path)}",
                f"rename this worksheet or {path_text(seen[job.path].source)}: their PDFs "
                "share a name"))
        elif read(job.path) is not None:
            problems.append(Problem(
                job.path, 0, 0, f"the PDF of {path_text(job.source)} would replace this file",
                "rename this file, or the worksheet"))
        seen[job.path] = job
    if problems:
        raise ContentError(problems)


def page_bytes(read: Callable[[str], bytes | None], path: str) -> bytes:
    data = read(path)
    if data is None:
        raise ContentError([Problem(path, 0, 0, "a PDF needs this page, but it was not built",
                                    "check the templates: this page must be rendered")])
    return data


def asset_files(pages: dict[str, bytes],
                read: Callable[[str], bytes | None]) -> dict[str, bytes]:
    """Collect the built files the pages pull in for print: stylesheets, images, fonts."""
    assets: dict[str, bytes] = {}
    todo = [(path, data) for path, data in pages.items()]
    while todo:
        path, data = todo.pop()
        pattern = CSS_URL if path.endswith(".css") else PAGE_URL
        for link in pattern.findall(data.decode("utf-8", "replace")):
            name = site_path(path, link)
            if name and name not in assets and name.lower().endswith(ASSET_SUFFIXES):
                found = read(name)
                if found is not None:
                    assets[name] = found
                    todo.append((name, found))
    return assets


def site_path(page: str, link: str) -> str:
    """Return the site path a relative link of a page points to, or '' if it leaves. The
    link is as the page's HTML or CSS has it: percent-encoded ("my%20photo.png", RFC 3986),
    and in HTML with its characters escaped ("a&amp;b.png"); the path is the file's name."""
    link = link.split("#")[0].split("?")[0].strip()
    if not link or "://" in link or link.startswith(("/", "data:", "mailto:")):
        return ""
    link = unquote(html.unescape(link) if not page.endswith(".css") else link)
    name = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
    return "" if name.startswith("..") else name


# --- In the worker (or in this process): WeasyPrint is imported only from here on. ---


def make_pdf(assets: dict[str, bytes], task: tuple[PdfJob, bytes]) -> bytes:
    """Render one built page to PDF bytes on the job's paper.

    `assets` are the built files the page may pull in (asset_files), by site path; `task`
    is the job and the page's HTML.
    """
    import weasyprint

    job, page = task
    base = SITE_URL + job.page
    parsed = weasyprint.HTML(string=page, base_url=base, url_fetcher=site_fetcher(assets),
                             media_type="print")
    extra = weasyprint.CSS(string=WEASYPRINT_CSS % {"size": PAPERS[job.paper]})
    # pdf_forms: every named <input> and <textarea> of the page becomes a PDF form field.
    document = parsed.render(stylesheets=[extra], pdf_forms=True)
    for pdf_page in document.pages:
        pdf_page.links = [(kind, link_target(job, target), *rest)
                          for kind, target, *rest in pdf_page.links]
    metadata = document.metadata
    metadata.title = job.title
    metadata.authors = list(job.authors)
    metadata.lang = job.language
    stamp = build_date()
    metadata.created = metadata.modified = stamp
    return document.write_pdf(pdf_tags=True, finisher=one_name_per_radio_group)


def one_name_per_radio_group(document: Any, pdf: Any) -> None:
    """Make each set of radio buttons one field with its buttons as widgets (PDF 1.7, 12.7.3.1).

    WeasyPrint 70 also names each button with the set's name and lists it among the form's
    fields, which makes each button a field of its own, named twice ("scale.scale"), to pypdf
    and some PDF readers. A WeasyPrint finisher: it gets the pydyf PDF before it is written.
    """
    buttons = set()
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Subtype") == "/Widget" and "Parent" in item:
            item.pop("T", None)
            item.pop("TU", None)
            buttons.add(item.reference)
    form = pdf.catalog.get("AcroForm")
    if form is not None and buttons:
        form["Fields"] = type(form["Fields"])(
            ref for ref in form["Fields"] if ref not in buttons)


def link_target(job: PdfJob, target: str) -> str:
    """Point a link to a page of the site at the site's address, or relative to the PDF.

    WeasyPrint resolves the page's links against our made-up root; a PDF is read far from
    it. With a base_url the link goes to the page online; without one it stays relative, and
    works where the PDF sits beside its page (opened from the site, or from a copy of it).
    """
    if not target.startswith(SITE_URL):
        return target
    path = target[len(SITE_URL):]
    if job.base_url:
        return job.base_url + path
    name, hash_, fragment = path.partition("#")
    return posixpath.relpath(name, posixpath.dirname(job.page)) + hash_ + fragment


def build_date() -> str | None:
    """Return the W3C date for the PDF's creation date from SOURCE_DATE_EPOCH, or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def site_fetcher(assets: dict[str, bytes]) -> Any:
    """Make a WeasyPrint URL fetcher that serves these files of the site and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if not url.startswith(SITE_URL):
                raise ValueError(f"not part of the site, not fetched: {url}")
            # The page's addresses are percent-encoded (my%20photo.png: markup.url_encoded);
            # the site's files are named as the coach named them.
            name = posixpath.normpath(unquote(url[len(SITE_URL):].split("?")[0].split("#")[0]))
            if name not in assets:
                raise ValueError(f"not a file of the site: {name}")
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, assets[name], {"Content-Type": kind})

    return SiteFetcher()
